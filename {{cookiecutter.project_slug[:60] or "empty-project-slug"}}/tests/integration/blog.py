"""Helpers for the blog's tests: bulk test data, its queries, and what the cache holds."""

{% if cookiecutter.cache_backend in ["locmem", "memcached", "database"] -%}
from django.conf import settings
{% endif -%}
{% if cookiecutter.cache_backend in ["locmem", "redis"] -%}
from django.core.cache import cache
{% endif -%}
from django.db import connection
from django.test.utils import CaptureQueriesContext
{%- if cookiecutter.cache_backend == "memcached" %}
from pymemcache import Client
{%- endif %}

from {{ cookiecutter.project_slug }}.bench.seed import seed_posts
from {{ cookiecutter.project_slug }}.blog.models import Post

from ..factories import UserFactory


def make_posts(count: int, *, comments_per_post: int = 2, first: int = 0) -> list[Post]:
    """Published posts "Post <first>"... by a new author, tagged django/python/caching."""
    return seed_posts(
        author=UserFactory.create(),
        numbers=range(first, first + count),
        tag_names=("django", "python", "caching"),
        comments_per_post=comments_per_post,
    )


class AppQueries(CaptureQueriesContext):
    """Queries to the application's tables: a database cache's own (its table and
    the savepoints around its writes) are left out."""

    def __init__(self) -> None:
        super().__init__(connection)

    def __len__(self) -> int:
        return len(self.app_queries)

    @property
    def app_queries(self) -> list[str]:
        return [
            query["sql"]
            for query in self.captured_queries
            if "django_cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]
{%- if cookiecutter.cache_backend != "none" %}


def cache_entries() -> int:
{%- if cookiecutter.cache_backend == "memcached" %}
    """The entries in this test's cache. memcached cannot list its keys, so the
    test runs a server of its own (the cache_server fixture) and counts them all."""
    server = Client(settings.CACHES["default"]["LOCATION"])
    try:
        return server.stats()[b"curr_items"]
    finally:
        server.close()
{%- elif cookiecutter.cache_backend == "redis" %}
    """The entries in this test's cache: the keys under the test's own prefix."""
    # django-redis's own method: BaseCache cannot list keys.
    return len(cache.keys("*"))  # type: ignore[attr-defined]
{%- else %}
    """The entries in this test's cache: conftest gives each test a key prefix
    of its own, so only this test's entries start with it."""
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
{%- if cookiecutter.cache_backend == "locmem" %}
    # LocMemCache lists its keys only through its private dict.
    entries = cache._cache  # type: ignore[attr-defined]
    return sum(key.startswith(prefix) for key in entries)
{%- else %}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM django_cache WHERE cache_key LIKE %s", [f"{prefix}%"]
        )
        return cursor.fetchone()[0]
{%- endif %}
{%- endif %}
{%- endif %}
