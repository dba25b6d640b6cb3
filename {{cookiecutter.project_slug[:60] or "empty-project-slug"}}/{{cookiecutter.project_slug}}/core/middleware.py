"""A request id for every request's log lines, and health probes answered before
anything looks at the Host header."""

import re
import uuid
from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property

from .views import healthz, readyz

# What an incoming X-Request-ID may hold to be kept: a proxy's or load balancer's id,
# not arbitrary text to write into every log line.
VALID_REQUEST_ID = re.compile(r"[\w.:-]{1,128}")


class RequestIdMiddleware:
    """Gives each request an id: the ``X-Request-ID`` the proxy or load balancer
    sent, or a new one. Every log line written while the request is served carries
    it (config/logs.py), and so does the response's ``X-Request-ID`` header, so a
    user's report, the proxy's log and the site's log meet on one id.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")
        if not VALID_REQUEST_ID.fullmatch(request_id):
            request_id = uuid.uuid4().hex
        # Left bound after the response, so that gunicorn's access-log line for
        # this request, written afterwards on the same thread, carries it too.
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


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
