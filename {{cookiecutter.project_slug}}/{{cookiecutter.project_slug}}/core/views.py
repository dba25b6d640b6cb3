"""Probes for load balancers and orchestrators."""

import logging
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches no database or cache on purpose."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: every backing service answers; 503 names the one that does not."""
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
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": checks},
        status=200 if ready else 503,
    )
