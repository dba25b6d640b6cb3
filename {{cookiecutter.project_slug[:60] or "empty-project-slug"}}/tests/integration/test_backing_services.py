import pytest
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_database_is_the_configured_{{ cookiecutter.database }}():
    assert connection.vendor == "{{ cookiecutter.database }}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
{%- if cookiecutter.cache_backend != "none" %}


def test_the_configured_cache_stores_reads_and_forgets_a_value():
    cache.set("greeting", {"text": "hello"}, timeout=60)
    assert cache.get("greeting") == {"text": "hello"}

    cache.delete("greeting")
    assert cache.get("greeting") is None
{%- else %}


def test_nothing_is_cached_so_every_read_goes_to_the_source():
    cache.set("greeting", "hello", timeout=60)
    assert cache.get("greeting") is None
{%- endif %}
