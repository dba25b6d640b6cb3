import importlib
import logging
import re
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.log import configure_logging


def import_prod_settings():
    return importlib.import_module("config.settings.prod")


# Everything production requires, as a deployment sets it: the suite reads no .env.
PRODUCTION_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "a-production-secret-as-long-and-varied-as-django-asks",
    "DJANGO_ALLOWED_HOSTS": "app.example.com",
    "DJANGO_ADMIN_URL": "a-secret-admin/",
{%- if cookiecutter.database == "postgresql" %}
    "DATABASE_URL": "postgres://app@db.example.com:5432/app",
{%- endif %}
{%- if cookiecutter.cache_backend == "redis" %}
    "REDIS_URL": "redis://cache.example.com:6379/0",
{%- elif cookiecutter.cache_backend == "memcached" %}
    "MEMCACHED_URL": "memcached://cache.example.com:11211",
{%- endif %}
}


@pytest.fixture
def prod_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name, value in PRODUCTION_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "config.settings.prod", raising=False)
    return monkeypatch


@pytest.mark.parametrize("variable", list(PRODUCTION_ENVIRONMENT))
def test_production_refuses_to_start_without(
    prod_env: pytest.MonkeyPatch, variable: str
):
    prod_env.delenv(variable)
    with pytest.raises(ImproperlyConfigured, match=f"{variable} is not set"):
        import_prod_settings()


def placeholder_secret() -> str:
    """The DJANGO_SECRET_KEY that .env.example shows."""
    example = Path(__file__).resolve().parents[2] / ".env.example"
    [value] = re.findall(r"^DJANGO_SECRET_KEY=(.*)$", example.read_text(), re.M)
    return value


@pytest.mark.parametrize(
    "secret",
    [
        placeholder_secret(),
        "x" * 60,  # long, but one character
        "django-insecure-" + "k3y" * 20,  # as startproject writes for development
    ],
)
def test_production_refuses_a_placeholder_or_weak_secret_key(
    prod_env: pytest.MonkeyPatch, secret: str
):
    prod_env.setenv("DJANGO_SECRET_KEY", secret)
    with pytest.raises(ImproperlyConfigured, match="production needs at least 50"):
        import_prod_settings()


def test_behind_a_tls_proxy_no_trusted_proxy_is_refused_by_name(
    prod_env: pytest.MonkeyPatch,
):
    prod_env.setenv("DJANGO_BEHIND_TLS_PROXY", "true")
    prod_env.setenv("DJANGO_TRUSTED_PROXIES", "0")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES=0"):
        import_prod_settings()


def test_production_is_locked_down_when_configured(prod_env: pytest.MonkeyPatch):
    prod = import_prod_settings()
    assert prod.DEBUG is False
    assert prod.ALLOWED_HOSTS == ["app.example.com"]
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.ADMIN_URL == "a-secret-admin/"
    # HSTS starts short, so a mistake can be undone within the hour.
    assert prod.SECURE_HSTS_SECONDS == 3600
{%- if cookiecutter.database == "postgresql" %}


@pytest.mark.parametrize(
    ("pool", "options", "conn_max_age"),
    [
        ("false", {"sslmode": "require"}, 60),
        ("true", {"sslmode": "require", "pool": True}, 0),
    ],
)
def test_the_connection_pool_is_switched_by_the_environment_for_the_primary(
    monkeypatch: pytest.MonkeyPatch, pool: str, options: dict, conn_max_age: int
):
    monkeypatch.setenv("DJANGO_DB_POOL", pool)
    monkeypatch.delenv("DJANGO_CONN_MAX_AGE", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://db.internal/site?sslmode=require")
    monkeypatch.setenv(
        "DATABASE_REPLICA_URL", "postgres://replica.internal/site?sslmode=require"
    )
    monkeypatch.delitem(sys.modules, "config.settings.base")
    databases = importlib.import_module("config.settings.base").DATABASES
    # The pool is added to the URL's options, never in their place.
    assert databases["default"]["OPTIONS"] == options
    assert databases["default"]["CONN_MAX_AGE"] == conn_max_age
    # A replica keeps persistent connections, so one that is down fails at once.
    assert databases["replica1"]["OPTIONS"] == {"sslmode": "require"}
    assert databases["replica1"]["CONN_MAX_AGE"] == 60
    assert all(database["CONN_HEALTH_CHECKS"] for database in databases.values())
{%- endif %}


def test_a_log_line_of_django_prints_once(settings):
    settings.DEBUG = True  # Django's own console handler prints only in debug
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    record = logging.makeLogRecord(
        {"name": "django.request", "levelno": logging.ERROR, "msg": "once"}
    )
    printing = []
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger:  # the handlers that Logger.callHandlers would call
        printing += [
            handler
            for handler in logger.handlers
            if record.levelno >= handler.level and handler.filter(record)
        ]
        logger = logger.parent if logger.propagate else None
    assert len(printing) == 1, printing


def test_the_debug_toolbar_is_loaded_in_development_only(
    monkeypatch: pytest.MonkeyPatch, settings
):
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    monkeypatch.delitem(sys.modules, "config.settings.dev", raising=False)
    dev = importlib.import_module("config.settings.dev")
    assert "debug_toolbar" in dev.INSTALLED_APPS
    assert dev.MIDDLEWARE[0] == "debug_toolbar.middleware.DebugToolbarMiddleware"
    assert "debug_toolbar" not in settings.INSTALLED_APPS
