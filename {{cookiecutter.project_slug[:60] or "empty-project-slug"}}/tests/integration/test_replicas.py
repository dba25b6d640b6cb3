"""Reads on a real streaming replica (DATABASE_REPLICA_URL), with replication
paused and resumed; without one, the same tests check the single-database form.

They commit what they write (``transaction=True``), since only committed writes
replicate, and read through the router as production does.
"""

import fcntl
import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

{% if cookiecutter.include_example_app -%}
from {{ cookiecutter.project_slug }}.bench.management.commands.bench import (
    BENCH_EMAIL,
    Command,
)
{% endif -%}
from {{ cookiecutter.project_slug }}.core import replicas
from {{ cookiecutter.project_slug }}.users.models import User

from ..factories import PASSWORD, UserFactory
{%- if cookiecutter.include_example_app %}
from .blog import make_posts
{%- endif %}

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture
def replica(monkeypatch) -> str | None:
    """The replica's alias, with reads routed to it as in production (the test
    settings keep them on the primary); None without DATABASE_REPLICA_URL."""
    aliases = [alias for alias in connections if alias != "default"]
    if not aliases:
        return None
    monkeypatch.setattr(replicas, "monitor", replicas.ReplicaMonitor(aliases[:1]))
    wait_until_current(aliases[0])
    return aliases[0]


def query(alias: str, sql: str) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_until_current(alias: str | None, seconds: float = 10) -> None:
    """Until the replica has replayed everything the primary has written so far,
    and this process's monitor has seen it do so."""
    if alias is None:
        return
    target = query("default", "SELECT pg_current_wal_insert_lsn()")
    deadline = time.monotonic() + seconds
    while not query(alias, f"SELECT pg_last_wal_replay_lsn() >= '{target}'"):
        assert time.monotonic() < deadline, f"{alias} did not catch up in {seconds} s"
        time.sleep(0.02)
    while not replicas.monitor.usable[alias]:
        assert time.monotonic() < deadline, f"{alias} is not usable after {seconds} s"
        replicas.monitor.refresh(force=True)


@contextmanager
def replay_paused(alias: str | None) -> Iterator[None]:
    """Replication stopped on the replica for the block (on one database there is
    nothing to stop). Replay pauses for the whole server, so the tests running in
    pytest-xdist's other workers wait their turn on a lock file."""
    if alias is None:
        yield
        return
    server = connections[alias].settings_dict
    lock_file = Path(tempfile.gettempdir()) / (
        f"replay-{server['HOST']}-{server['PORT']}.lock"
    )
    with lock_file.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        query(alias, "SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            query(alias, "SELECT pg_wal_replay_resume()")


def user_table_reads(alias: str) -> int:
    """Scans of the users table on the server behind ``alias`` (the standby's,
    for a replica), in that server's own statistics."""
    query(alias, "SELECT pg_stat_force_next_flush()")
    return query(
        alias,
        "SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables"
        " WHERE relname = 'users_user'",
    )


def test_a_signed_in_visitors_reads_reach_the_replica(client, replica):
    client.force_login(UserFactory.create(email="reader@example.com"))
    wait_until_current(replica)
    server = replica or "default"
    before = user_table_reads(server)

    assert "reader@example.com" in client.get(reverse("home")).text

    assert user_table_reads(server) > before


def test_a_new_account_is_read_from_the_primary_while_the_replica_lags(replica):
    client = Client()
    with replay_paused(replica):
        response = client.post(
            reverse("signup"),
            {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code == 302
        assert "new@example.com" in client.get(reverse("home")).text
        with replicas.reads_pinned(False):
            seen_by_others = User.objects.filter(email="new@example.com").exists()
        assert seen_by_others == (replica is None)
{%- if cookiecutter.include_example_app %}


def test_a_comment_shows_to_its_writer_at_once_and_no_stale_list_outlives_the_lag(
    client, replica
):
    [post] = make_posts(1, comments_per_post=0)
    client.force_login(UserFactory.create())
    visitor = Client()
    wait_until_current(replica)
    assert "0 comments" in visitor.get(reverse("blog:posts")).text

    with replay_paused(replica):
        page = reverse("blog:post", args=[post.slug])
        client.post(page, {"body": "Written while the replica lags"})
        assert "Written while the replica lags" in client.get(page).text
        assert ("Written while the replica lags" in visitor.get(page).text) == (
            replica is None
        )
        visitor.get(reverse("blog:posts"))

    wait_until_current(replica)
    assert "1 comment" in visitor.get(reverse("blog:posts")).text


def test_the_benchmark_counts_the_reads_a_replica_answers_and_times_the_router(
    replica, settings
):
    settings.DATABASE_REPLICAS = [replica] if replica else []
    bench = Command()
    bench.seed(User.objects.create_user(BENCH_EMAIL), 0, 5)

    on_replica = bench.reads_on_replicas(requests=16)["reads_on_replica_pct"]
    timings = bench.routing_cost(runs=5, rounds=1)

    # Fresh cache entries read the primary for a moment; the rest read the replica.
    assert (on_replica > 50) if replica else (on_replica == 0)
    assert set(timings) == {
        "read_us_no_router",
        "read_us_router_primary",
        "read_us_router_replica",
    }
    assert all(microseconds > 0 for microseconds in timings.values())
{%- endif %}


def test_reads_fall_back_to_the_primary_when_the_replica_is_down(
    client, replica, caplog
):
    if replica:
        settings_dict = connections[replica].settings_dict
        connections[replica].close()
        real_port, settings_dict["PORT"] = settings_dict["PORT"], 1
    try:
        with caplog.at_level(logging.WARNING):
            with replicas.reads_pinned(False):
                assert User.objects.filter(email="nobody@example.com").count() == 0
            readiness = client.get("/readyz").json()
    finally:
        if replica:
            connections[replica].close()
            settings_dict["PORT"] = real_port

    assert readiness["status"] == "ok"
    if replica:
        assert readiness["replicas"] == {replica: "down"}
        assert f"Replica '{replica}' does not answer" in caplog.text
    else:
        assert "replicas" not in readiness


def test_a_replica_lagging_past_the_limit_serves_no_reads(
    client, replica, settings, caplog
):
    settings.REPLICA_MAX_LAG_SECONDS = 0.5
    with replay_paused(replica), caplog.at_level(logging.WARNING):
        UserFactory.create()
        time.sleep(1.2)
        readiness = client.get("/readyz").json()
        with replicas.reads_pinned(False):
            accounts = User.objects.count()

    assert accounts == 1
    assert readiness["status"] == "ok"
    if replica:
        assert readiness["replicas"] == {replica: "lagging"}
        assert f"Replica '{replica}' lags more than 0.5 s" in caplog.text
