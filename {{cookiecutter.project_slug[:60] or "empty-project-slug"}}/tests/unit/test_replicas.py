import time

import pytest
from django.core.cache.backends.db import Options
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from {{ cookiecutter.project_slug }}.core import replicas
from {{ cookiecutter.project_slug }}.users.models import User


@pytest.fixture
def one_current_replica(monkeypatch) -> replicas.ReplicaMonitor:
    """A monitor that has just found "replica1" current and answering."""
    monitor = replicas.ReplicaMonitor(["replica1"])
    monitor.checked_at = monitor.current_as_of["replica1"] = time.time()
    monitor.usable["replica1"] = True
    monkeypatch.setattr(monitor, "connects", lambda alias: True)
    monkeypatch.setattr(replicas, "monitor", monitor)
    return monitor


class CacheEntry:
    """What DatabaseCache hands the router for its table."""

    _meta = Options("cache_table")


def route_read(*, pinned: bool, model: type = User) -> str:
    with replicas.reads_pinned(pinned):
        return replicas.PrimaryReplicaRouter().db_for_read(model)


def test_wal_positions_order_as_postgresql_orders_them():
    assert replicas.wal_position("16/B374D848") == 0x16_B374D848
    assert replicas.wal_position("0/FFFFFFFF") < replicas.wal_position("1/0")


def test_unpinned_reads_go_to_a_current_replica_and_pinned_ones_to_the_primary(
    one_current_replica,
):
    assert route_read(pinned=False) == "replica1"
    assert route_read(pinned=True) == "default"


def test_a_cache_fill_after_a_write_reads_the_primary_until_a_replica_holds_it(
    one_current_replica,
):
    with replicas.current_since(time.time()):
        assert route_read(pinned=False) == "default"
    with replicas.current_since(time.time() - 60):
        assert route_read(pinned=False) == "replica1"


def test_a_lagging_replica_serves_no_reads(one_current_replica):
    one_current_replica.usable["replica1"] = False
    assert route_read(pinned=False) == "default"


def test_outside_a_request_reads_go_to_the_primary(one_current_replica):
    """The task worker must find what the request that queued its task wrote."""
    assert replicas.PrimaryReplicaRouter().db_for_read(User) == "default"


def test_the_database_caches_table_is_the_primarys_and_filling_it_pins_nothing(
    one_current_replica,
):
    assert route_read(pinned=False, model=CacheEntry) == "default"
    with replicas.reads_pinned(False):
        replicas.PrimaryReplicaRouter().db_for_write(CacheEntry)
        assert replicas.pinned.get() is False


def test_a_client_that_wrote_reads_from_the_primary_for_the_window(settings):
    settings.READ_YOUR_WRITES_SECONDS = 15
    seen = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(replicas.pinned.get())
        if request.path == "/write/":
            replicas.PrimaryReplicaRouter().db_for_write(User)
        return HttpResponse()

    middleware = replicas.ReadYourWritesMiddleware(view)
    requests = RequestFactory()
    assert replicas.PIN_COOKIE not in middleware(requests.get("/")).cookies
    wrote = middleware(requests.get("/write/")).cookies[replicas.PIN_COOKIE]
    assert wrote["max-age"] == 15 and wrote["httponly"]
    requests.cookies[replicas.PIN_COOKIE] = wrote.value
    middleware(requests.get("/"))
    requests.cookies[replicas.PIN_COOKIE] = "forged"
    middleware(requests.get("/"))
    middleware(requests.post("/"))

    # Unpinned; then pinned by its own write, by the cookie, not by a forged
    # cookie, and while it posts.
    assert seen == [False, False, True, False, True]
