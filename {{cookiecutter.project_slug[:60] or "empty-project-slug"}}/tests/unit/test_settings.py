import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured


def import_prod_settings():
    return importlib.import_module("config.settings.prod")


@pytest.fixture
def prod_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "app.example.com")
    monkeypatch.delitem(sys.modules, "config.settings.prod", raising=False)
    return monkeypatch


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(
    prod_env: pytest.MonkeyPatch, variable: str
):
    prod_env.delenv(variable)
    with pytest.raises(ImproperlyConfigured, match=f"{variable} is not set"):
        import_prod_settings()


def test_production_is_locked_down_when_configured(prod_env: pytest.MonkeyPatch):
    prod = import_prod_settings()
    assert prod.DEBUG is False
    assert prod.ALLOWED_HOSTS == ["app.example.com"]
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_HSTS_SECONDS >= 31_536_000
{%- if cookiecutter.database == "postgresql" %}


@pytest.mark.parametrize(
    ("pool", "options", "conn_max_age"),
    [("false", {}, 60), ("true", {"pool": True}, 0)],
)
def test_the_connection_pool_is_switched_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, pool: str, options: dict, conn_max_age: int
):
    monkeypatch.setenv("DJANGO_DB_POOL", pool)
    monkeypatch.delenv("DJANGO_CONN_MAX_AGE", raising=False)
    monkeypatch.delitem(sys.modules, "config.settings.base")
    database = importlib.import_module("config.settings.base").DATABASES["default"]
    assert database.get("OPTIONS", {}) == options
    assert database["CONN_MAX_AGE"] == conn_max_age
    assert database["CONN_HEALTH_CHECKS"] is True
{%- endif %}
