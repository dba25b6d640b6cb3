"""Probes for load balancers and orchestrators."""

import logging
from collections.abc import Callable
{% if cookiecutter.cache_backend == "memcached" %}
from django.conf import settings
{%- endif %}
{%- if cookiecutter.cache_backend in ["locmem", "database"] %}
from django.core.cache import cache
{%- endif %}
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
{%- if cookiecutter.cache_backend == "redis" %}
from django_redis import get_redis_connection
{%- elif cookiecutter.cache_backend == "memcached" %}
from pymemcache import Client
{%- endif %}
{%- if cookiecutter.database == "postgresql" %}

from . import replicas
{%- endif %}

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


{%- if cookiecutter.cache_backend == "redis" %}


def check_cache() -> None:
    """Ask Redis itself: the cache backend swallows connection errors by design."""
    get_redis_connection("default").ping()
{%- elif cookiecutter.cache_backend == "memcached" %}


def check_cache() -> None:
    """Ask memcached itself: the cache backend swallows connection errors by design."""
    host, port = settings.CACHES["default"]["LOCATION"].rsplit(":", 1)
    client = Client((host, int(port)), connect_timeout=0.5, timeout=0.5)
    try:
        client.version()
    finally:
        client.close()
{%- elif cookiecutter.cache_backend in ["locmem", "database"] %}


def check_cache() -> None:
    cache.set("readyz", "ok", timeout=5)
    if cache.get("readyz") != "ok":
        raise RuntimeError("the cache did not return what was just stored")
{%- endif %}


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
{%- if cookiecutter.cache_backend != "none" %}
    "cache": check_cache,
{%- endif %}
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches no database or cache on purpose."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: every backing service answers; 503 names the one that does not.
{%- if cookiecutter.database == "postgresql" %}
    Replicas are reported but never make the node unready: while the primary
    answers, their reads fall back to it.
{%- endif %}"""
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Readiness check %r failed", name)
            checks[name] = "error"
        else:
            checks[name] = "ok"
    ready = all(result == "ok" for result in checks.values())
{%- if cookiecutter.database == "postgresql" %}
    body: dict[str, object] = {"status": "ok" if ready else "error", "checks": checks}
    if replicas.monitor.aliases and checks["database"] == "ok":
        body["replicas"] = replicas.monitor.states()
    return JsonResponse(body, status=200 if ready else 503)
{%- else %}
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": checks},
        status=200 if ready else 503,
    )
{%- endif %}
