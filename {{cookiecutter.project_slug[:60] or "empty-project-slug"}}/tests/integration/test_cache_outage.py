"""A cache outage is not an outage: pages keep answering while the cache server is
down, /readyz says so, and caching resumes when it is back, without a restart.

The test runs its own {{ "Redis" if cookiecutter.cache_backend == "redis" else "memcached" }} server so that it can stop and start it.
"""

import logging
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ..factories import PASSWORD, UserFactory

{%- if cookiecutter.cache_backend == "redis" %}

CACHE_LOGGER = "django_redis.cache"
{%- else %}

CACHE_LOGGER = "{{ cookiecutter.project_slug }}.core.cache"
{%- endif %}
PAGES = ["home", "login", "signup"{% if cookiecutter.include_example_app %}, "blog:posts"{% endif %}]

pytestmark = pytest.mark.django_db


def cache_works() -> bool:
    cache.set("probe", "value", timeout=30)
    return cache.get("probe") == "value"
{%- if cookiecutter.cache_backend == "memcached" %}


def cache_log_levels(caplog: pytest.LogCaptureFixture) -> list[int]:
    return [record.levelno for record in caplog.records if record.name == CACHE_LOGGER]
{%- endif %}


def test_pages_answer_while_the_cache_is_down_and_caching_resumes(
    client, cache_server, caplog
):
    member = Client()
    user = UserFactory.create()
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
{%- if cookiecutter.cache_backend == "memcached" %}
    # One outage, one error with its cause: not one per failed cache command.
    assert cache_log_levels(caplog) == [logging.ERROR]
{%- else %}
    assert any(record.name == CACHE_LOGGER for record in caplog.records)
{%- endif %}

    cache_server.start()
    deadline = time.monotonic() + 15
    while not cache_works():
        assert time.monotonic() < deadline, "caching did not resume after the restart"
        time.sleep(0.05)
{%- if cookiecutter.cache_backend == "memcached" %}
    assert cache_log_levels(caplog) == [logging.ERROR, logging.WARNING]
{%- endif %}
    assert client.get(reverse("readyz")).status_code == 200
    assert user.email in member.get(reverse("home")).text
