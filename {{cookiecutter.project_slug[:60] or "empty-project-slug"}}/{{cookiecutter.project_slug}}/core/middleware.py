"""Health probes answered before anything looks at the Host header."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property

from .views import healthz, readyz


class HealthProbeMiddleware:
    """Answers ``/healthz`` and ``/readyz`` ahead of every other middleware.

    Kubernetes probes and load-balancer health checks send an IP address as the
    Host, which ``ALLOWED_HOSTS`` rightly refuses (400) on every other path; and
    they speak plain HTTP to the container, which production would redirect.
    The probes read nothing from the request, so its Host cannot matter to them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def probes(self) -> dict[str, Callable[[HttpRequest], HttpResponse]]:
        return {reverse("healthz"): healthz, reverse("readyz"): readyz}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.probes.get(request.path_info)
        return probe(request) if probe else self.get_response(request)
