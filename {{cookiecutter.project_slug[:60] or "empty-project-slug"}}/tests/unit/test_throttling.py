import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import RequestFactory

from config.settings import base
from {{ cookiecutter.project_slug }}.users.throttling import client_ip


def request_through_a_proxy() -> HttpRequest:
    """From the proxy at 10.0.0.2: the client wrote the first X-Forwarded-For
    entry, and the proxy appended the address it saw."""
    forwarded = {"X-Forwarded-For": "203.0.113.9, 198.51.100.4"}
    return RequestFactory().get("/", headers=forwarded, REMOTE_ADDR="10.0.0.2")


def request_through_a_cdn_and_a_load_balancer() -> HttpRequest:
    """The client wrote the first entry, the CDN appended the client's address,
    and the load balancer (at 10.0.0.2) the CDN's."""
    forwarded = {"X-Forwarded-For": "203.0.113.9, 198.51.100.4, 192.0.2.80"}
    return RequestFactory().get("/", headers=forwarded, REMOTE_ADDR="10.0.0.2")


def test_without_a_trusted_proxy_the_client_is_the_connection(settings):
    settings.TRUSTED_PROXIES = 0

    assert client_ip(request_through_a_proxy()) == "10.0.0.2"


def test_behind_a_proxy_the_client_is_the_address_the_proxy_appended(settings):
    settings.TRUSTED_PROXIES = 1

    assert client_ip(request_through_a_proxy()) == "198.51.100.4"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_behind_two_proxies_the_client_is_the_address_the_outer_one_appended(
    settings,
):
    settings.TRUSTED_PROXIES = 2

    assert client_ip(request_through_a_cdn_and_a_load_balancer()) == "198.51.100.4"
    # Straight to the load balancer, past the CDN: the one entry is its own.
    direct = RequestFactory().get("/", headers={"X-Forwarded-For": "198.51.100.7"})
    assert client_ip(direct) == "198.51.100.7"


def test_a_throttling_window_under_a_second_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("DJANGO_AUTH_THROTTLE_WINDOW", "0")

    with pytest.raises(ImproperlyConfigured, match="DJANGO_AUTH_THROTTLE_WINDOW=0"):
        runpy.run_path(base.__file__)
