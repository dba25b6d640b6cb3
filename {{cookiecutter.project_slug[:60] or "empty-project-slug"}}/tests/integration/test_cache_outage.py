"""A cache outage is not an outage: pages keep answering while the cache server is
down, /readyz says so, and caching resumes when it is back, without a restart.

The test runs its own {{ "Redis" if cookiecutter.cache_backend == "redis" else "memcached" }} server so that it can stop and start it.
"""

import logging
{%- if cookiecutter.cache_backend == "memcached" %}
import os
import pwd
{%- endif %}
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ..factories import PASSWORD, UserFactory

{%- if cookiecutter.cache_backend == "redis" %}

SERVER = "redis-server"
CACHE_LOGGER = "django_redis.cache"
{%- else %}

SERVER = "memcached"
CACHE_LOGGER = "{{ cookiecutter.project_slug }}.core.cache"
{%- endif %}
PAGES = ["home", "login", "signup"]

pytestmark = pytest.mark.django_db


class CacheServer:
    """A {{ "Redis" if cookiecutter.cache_backend == "redis" else "memcached" }} server on a free loopback port, stopped and started at will."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None

    def start(self) -> None:
{%- if cookiecutter.cache_backend == "redis" %}
        args = [SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
{%- else %}
        user = pwd.getpwuid(os.getuid()).pw_name  # memcached needs -u to run as root
        args = [SERVER, "-l", "127.0.0.1", "-p", str(self.port), "-u", user]
{%- endif %}
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self) -> None:
        # Killed, as in a crash: an outage needs no clean shutdown, which can take
        # a second.
        self.process.kill()
        self.process.wait()


@pytest.fixture
def cache_server(settings):
    if not shutil.which(SERVER):
        pytest.skip(f"{SERVER} is not installed")
    server = CacheServer()
    server.start()
{%- if cookiecutter.cache_backend == "redis" %}
    location = f"redis://127.0.0.1:{server.port}/0"
{%- else %}
    location = f"127.0.0.1:{server.port}"
{%- endif %}
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": location}}
    yield server
    server.stop()


def cache_works() -> bool:
    cache.set("probe", "value", timeout=30)
    return cache.get("probe") == "value"


def test_pages_answer_while_the_cache_is_down_and_caching_resumes(
    client, cache_server, caplog
):
    member = Client()
    user = UserFactory()
    member.force_login(user)
    assert cache_works()
    assert client.get(reverse("readyz")).status_code == 200

    cache_server.stop()
    with caplog.at_level(logging.ERROR):
        for page in PAGES:
            assert client.get(reverse(page)).status_code == 200, page
        # The session is still found: it is in the database as well as the cache.
        assert user.email in member.get(reverse("home")).text
        signup = client.post(
            reverse("signup"),
            {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
        readyz = client.get(reverse("readyz"))
        assert not cache_works()
    assert signup.status_code == 302
    assert readyz.status_code == 503
    assert readyz.json()["checks"] == {"database": "ok", "cache": "error"}
    assert any(record.name == CACHE_LOGGER for record in caplog.records)

    cache_server.start()
    deadline = time.monotonic() + 15
    while not cache_works():
        assert time.monotonic() < deadline, "caching did not resume after the restart"
        time.sleep(0.05)
    assert client.get(reverse("readyz")).status_code == 200
    assert user.email in member.get(reverse("home")).text
