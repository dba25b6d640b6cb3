import gc
{%- if cookiecutter.test_tiers != "unit" %}
import logging
import signal
import socket
{%- endif %}
import uuid
{%- if cookiecutter.test_tiers != "unit" %}
from collections.abc import Callable
{%- endif %}
from pathlib import Path

import pytest
{%- if cookiecutter.database == "sqlite" and cookiecutter.test_tiers != "unit" %}
from django.conf import settings
{%- endif %}
{%- if cookiecutter.test_tiers != "unit" %}
from django.core.management import call_command
{%- endif %}

TESTS_DIR = Path(__file__).parent
# Fastest first, so a broken unit fails the run before the slower tiers start.
TIERS = ["unit"{% if cookiecutter.test_tiers != "unit" %}, "integration"{% endif %}{% if "e2e" in cookiecutter.test_tiers %}, "e2e"{% endif %}]


def tier_of(item: pytest.Item) -> str:
    tier = item.path.relative_to(TESTS_DIR).parts[0]
    if tier not in TIERS:
        raise pytest.UsageError(f"{item.nodeid} is outside the tier folders {TIERS}.")
    return tier


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, named by the folder it lives in, and run
    the tiers in order."""
    for item in items:
        item.add_marker(tier_of(item))
    items.sort(key=lambda item: TIERS.index(tier_of(item)))


@pytest.fixture(autouse=True)
def isolated_cache(settings) -> None:
    """Each test has a cache of its own: the configured servers under a fresh key
    prefix. No test sees another's entries, and none flushes a cache server
    that development uses too."""
    settings.CACHES = {
        alias: {**options, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for alias, options in settings.CACHES.items()
    }


{%- if cookiecutter.test_tiers != "unit" %}


@pytest.fixture
def run_queued_tasks() -> Callable[[], None]:
    """Run every queued task with the project's own worker (`db_worker --batch`),
    in this process, so that its mail lands in mail.outbox. What the worker sets
    for a process of its own, its signal handlers and its loggers' levels, is put
    back afterwards."""

    def run() -> None:
        stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
        handlers = {number: signal.getsignal(number) for number in stop_signals}
        names = ("django.tasks", "django_tasks_db")
        levels = {logger: logger.level for logger in map(logging.getLogger, names)}
        try:
            call_command("db_worker", batch=True, startup_delay=False, reload=False)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
            for logger, level in levels.items():
                logger.setLevel(level)

    return run


@pytest.fixture
def unused_port() -> int:
    """A local port nobody listens on, for a server of the test's own (or none)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
{%- endif %}


{%- if cookiecutter.database == "sqlite" and cookiecutter.test_tiers != "unit" %}


def commits_for_other_connections(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return "live_server" in getattr(item, "fixturenames", ())
{%- endif %}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what start-up and collection built (Django's app registry, modules,
    test items). It lives until exit anyway; frozen, the garbage collector stops
    scanning it again in every collection and at exit.
{%- if cookiecutter.database == "sqlite" and cookiecutter.test_tiers != "unit" %}

    The SQLite test database stays in memory, unless the run has a test that
    commits for other connections to read (``transaction=True``, or a live
    server): a worker process, or threads racing, which need the locking of a
    file, as in production. It is removed afterwards (pytest-django adds each
    xdist worker's suffix to its name)."""
    if any(map(commits_for_other_connections, session.items)):
        test_database = settings.DATABASES["default"].setdefault("TEST", {})
        test_database["NAME"] = settings.BASE_DIR / "test-db.sqlite3"
{%- else %}"""
{%- endif %}
    gc.freeze()
