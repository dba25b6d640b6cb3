"""Production logs a collector can parse, tied together by request id, and error
reporting that is there only when asked for."""

import io
import json
import logging
import re
import sys
from collections.abc import Iterator

import pytest
import sentry_sdk
import structlog
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from config.logs import logging_config
from {{ cookiecutter.project_slug }}.core.middleware import RequestIdMiddleware

from .test_settings import PRODUCTION_ENVIRONMENT


def test_a_request_keeps_the_id_its_proxy_sent(client: Client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:42"})
    assert response["X-Request-ID"] == "lb-7f3a:42"


@pytest.mark.parametrize("sent", [None, "", "two words", "x" * 129, "<script>"])
def test_a_request_without_a_usable_id_gets_a_fresh_one(client: Client, sent):
    headers = {} if sent is None else {"X-Request-ID": sent}
    first = client.get("/healthz", headers=headers)["X-Request-ID"]
    second = client.get("/healthz", headers=headers)["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", first)
    assert first != second


def test_each_production_log_line_is_json_with_its_request_id(rf: RequestFactory):
    formatter = logging_config(json=True, level="INFO")["formatters"]["structured"]
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=formatter["foreign_pre_chain"],
            processors=formatter["processors"],
        )
    )
    logger = logging.getLogger("{{ cookiecutter.project_slug }}.observed")
    logger.addHandler(handler)

    def view(request: HttpRequest) -> HttpResponse:
        logger.warning("signed up %s", "someone")
        try:
            raise ValueError("a failure")
        except ValueError:
            logger.exception("it failed")
        return HttpResponse()

    try:
        RequestIdMiddleware(view)(rf.get("/", headers={"X-Request-ID": "req-1"}))
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    assert [line["event"] for line in lines] == ["signed up someone", "it failed"]
    assert {line["request_id"] for line in lines} == {"req-1"}
    assert lines[0]["level"] == "warning" and lines[0]["logger"] == logger.name
    assert lines[1]["exception"][0]["exc_type"] == "ValueError"


def test_error_reporting_is_off_and_not_imported_without_a_dsn(
    monkeypatch: pytest.MonkeyPatch,
):
    for name, value in PRODUCTION_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    for module in [name for name in sys.modules if name.startswith("sentry_sdk")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.delitem(sys.modules, "config.settings.prod", raising=False)
    __import__("config.settings.prod")
    assert "sentry_sdk" not in sys.modules


@pytest.fixture
def sentry_client_reset() -> Iterator[None]:
    """Whatever a test starts, the rest of the run reports nothing to Sentry."""
    yield
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_error_reporting_turns_on_with_a_dsn(
    monkeypatch: pytest.MonkeyPatch, sentry_client_reset: None
):
    for name, value in PRODUCTION_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SENTRY_DSN", "https://key@sentry.example.com/1")
    monkeypatch.delitem(sys.modules, "config.settings.prod", raising=False)
    __import__("config.settings.prod")
    assert sentry_sdk.get_client().is_active()
