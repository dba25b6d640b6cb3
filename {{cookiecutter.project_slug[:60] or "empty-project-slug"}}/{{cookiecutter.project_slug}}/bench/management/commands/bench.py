"""Measure what the example app's query discipline and caching buy.

Seeds posts into the configured database (removed again at the end), then
prints one ``name=value`` line per figure: query counts for the list page at
10 and at N posts, in-process page times uncached and cached, how many of
several concurrent visitors render the list again after a write (with and
without the guard against a stampede), and requests per second under gunicorn on
loopback, loaded from a second process, with a bare view (``/healthz``) as the
physical limit of the same run.
{%- if cookiecutter.database == "postgresql" %} With DATABASE_REPLICA_URL set, also
the share of an anonymous browse mix's queries that a replica answered, and one
query's time with and without the router.
{%- endif %}
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import {% if cookiecutter.database == "postgresql" %}ExitStack, {% endif %}contextmanager
from typing import Any
from unittest import mock

{% if cookiecutter.database == "postgresql" -%}
from django.conf import settings
{% endif -%}
from django.core.cache import cache
from django.core.management.base import CommandError
from django.db import connection{% if cookiecutter.database == "postgresql" %}, connections{% endif %}
from django.test import Client
from django.test.utils import CaptureQueriesContext{% if cookiecutter.database == "postgresql" %}, override_settings{% endif %}

from {{ cookiecutter.project_slug }}.bench.command import BenchCommand
from {{ cookiecutter.project_slug }}.bench.seed import seed_posts
from {{ cookiecutter.project_slug }}.blog import caching
from {{ cookiecutter.project_slug }}.blog.models import Comment, Post, Tag
{%- if cookiecutter.database == "postgresql" %}
from {{ cookiecutter.project_slug }}.core import replicas
{%- endif %}
from {{ cookiecutter.project_slug }}.users.models import User

BENCH_EMAIL = "bench@example.invalid"
BENCH_TAGS = ("bench-alpha", "bench-beta", "bench-gamma")
HOST = "127.0.0.1"
# A database cache's own statements, which the page's query count leaves out: its
# table, and the transaction around each of its writes (BEGIN, or SQLite's BEGIN
# IMMEDIATE, and COMMIT here, where nothing else holds one open; savepoints
# inside one).
CACHE_STATEMENT = re.compile(r"django_cache|SAVEPOINT|^(BEGIN( IMMEDIATE)?|COMMIT)$")


class Command(BenchCommand):
    help = __doc__.strip().splitlines()[0]
    option_defaults = {"rows": 1000, "seconds": 5.0, "connections": 8, "workers": 2}

    def handle(
        self,
        *,
        rows: int,
        seconds: float,
        connections: int,
        workers: int,
        **options: Any,
    ) -> None:
        self.remove_bench_rows()
        try:
            author = User.objects.create_user(BENCH_EMAIL)
            self.seed(author, 0, 10)
            self.report(queries_list_10=self.list_queries())
            self.seed(author, 10, rows)
            self.report(**{f"queries_list_{rows}": self.list_queries()})
            self.report(
                list_uncached_ms=self.page_ms(clear_cache=True),
                list_cached_ms=self.page_ms(clear_cache=False),
            )
            self.report(**self.renders_after_invalidation(connections))
            self.report(**self.pages_a_comment_invalidates(author))
{%- if cookiecutter.database == "postgresql" %}
            if settings.DATABASE_REPLICAS:
                self.report(**self.reads_on_replicas())
                self.report(**self.routing_cost())
{%- endif %}
            figures = self.serve_and_load(seconds, connections, workers)
            self.report(**figures)
        finally:
            self.remove_bench_rows()

    def seed(self, author: User, start: int, stop: int) -> None:
        seed_posts(
            author=author,
            numbers=range(start, stop),
            tag_names=BENCH_TAGS,
            label="Bench post",
        )

    def remove_bench_rows(self) -> None:
        User.objects.filter(email=BENCH_EMAIL).delete()
        Tag.objects.filter(slug__startswith="bench-").delete()
        cache.clear()

    def list_queries(self) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            Client().get("/posts/", HTTP_HOST=HOST)
        return sum(
            not CACHE_STATEMENT.search(query["sql"])
            for query in queries.captured_queries
        )

    def page_ms(self, *, clear_cache: bool, runs: int = 30) -> float:
        client = Client()
        client.get("/posts/", HTTP_HOST=HOST)
        timings = []
        for _ in range(runs):
            if clear_cache:
                cache.clear()
            started = time.perf_counter()
            response = client.get("/posts/", HTTP_HOST=HOST)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        return statistics.median(timings)

    def renders_after_invalidation(self, visitors: int, rounds: int = 5) -> dict:
        """Renders of the list when ``visitors`` ask for it at once right after
        a write, with the guard (caching.current_or_lock) and without it, each
        the median of its rounds."""
        guarded, unguarded = [], []
        for _ in range(rounds):
            guarded.append(concurrent_renders(visitors))
            with mock.patch.object(caching, "current_or_lock", no_lock):
                unguarded.append(concurrent_renders(visitors))
        return {
            "renders_after_invalidation": statistics.median(guarded),
            "renders_after_invalidation_unguarded": statistics.median(unguarded),
        }

    def pages_a_comment_invalidates(self, author: User, pages: int = 5) -> dict:
        """Of the first ``pages`` pages of the list and of each tag, cached for
        visitors, how many a comment on the newest post makes them render again
        (the post has two of the three tags)."""
        urls = [
            f"/posts/?page={number}{tag}"
            for tag in ["", *(f"&tag={slug}" for slug in BENCH_TAGS)]
            for number in range(1, pages + 1)
        ]
        client = Client()
        for url in urls:
            client.get(url, HTTP_HOST=HOST)
        newest = Post.objects.filter(author=author).latest("published_at")
        Comment.objects.create(post=newest, author=author, body="Bench comment")
        rendered = 0
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                client.get(url, HTTP_HOST=HOST)
            rendered += any(
                not CACHE_STATEMENT.search(query["sql"])
                for query in queries.captured_queries
            )
        return {"pages_cached": len(urls), "pages_invalidated_by_a_comment": rendered}

{%- if cookiecutter.database == "postgresql" %}

    def reads_on_replicas(self, requests: int = 100) -> dict:
        """The share of the queries of ``requests`` anonymous page views (the list,
        each tag, five posts) that a replica answered, once the replicas hold the
        seeded posts; fresh cache entries still read the primary for a moment. A
        database cache's own statements are not counted: they are the cache's."""
        wait_until_replicas_are_current()
        cache.clear()
        slugs = Post.objects.filter(author__email=BENCH_EMAIL).values_list(
            "slug", flat=True
        )[:5]
        pages = [
            "/posts/",
            *(f"/posts/?tag={tag}" for tag in BENCH_TAGS),
            *(f"/posts/{slug}/" for slug in slugs),
        ]
        aliases = ["default", *settings.DATABASE_REPLICAS]
        with ExitStack() as stack:
            captured = {
                alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
                for alias in aliases
            }
            client = Client()
            for number in range(requests):
                client.get(pages[number % len(pages)], HTTP_HOST=HOST)
        counts = {
            alias: sum(
                not CACHE_STATEMENT.search(query["sql"])
                for query in queries.captured_queries
            )
            for alias, queries in captured.items()
        }
        total = sum(counts.values())
        on_replicas = total - counts["default"]
        return {"reads_on_replica_pct": 100 * on_replicas / total if total else 0.0}

    def routing_cost(self, runs: int = 300, rounds: int = 5) -> dict:
        """One primary-key read's time in microseconds: without the router, through
        it to the primary (a pinned request), and through it to a replica, each the
        median of ``rounds`` rounds of ``runs`` reads."""
        pk = Post.objects.filter(author__email=BENCH_EMAIL).values_list(
            "pk", flat=True
        )[0]

        def read_us() -> float:
            timings = []
            for _ in range(rounds):
                started = time.perf_counter()
                for _ in range(runs):
                    Post.objects.filter(pk=pk).exists()
                timings.append((time.perf_counter() - started) / runs * 1e6)
            return statistics.median(timings)

        with override_settings(DATABASE_ROUTERS=[]):
            no_router = read_us()
        router_primary = read_us()  # a management command's reads are pinned
        with replicas.reads_pinned(False):
            router_replica = read_us()
        return {
            "read_us_no_router": no_router,
            "read_us_router_primary": router_primary,
            "read_us_router_replica": router_replica,
        }
{%- endif %}

    def serve_and_load(self, seconds: float, connections: int, workers: int) -> dict:
        """Requests per second; the bare view and the cached list take turns in
        the same server, so both see the same machine, and each is the median
        of its rounds."""
        rounds = 3
        # wrk (written in C, it leaves the CPU to the server) where it is installed,
        # but it counts whole seconds: shorter runs use the bounded Python client.
        use_wrk = seconds >= 1 and shutil.which("wrk") is not None
        load = wrk if use_wrk else loadgen
        warm_up = min(seconds, 1.0)
        with serving(workers, uncached=False) as base_url:
            load(f"{base_url}/posts/", warm_up, 1)  # warm the caches and workers
            hello, cached = [], []
            for _ in range(rounds):
                hello.append(load(f"{base_url}/healthz", seconds, connections))
                cached.append(load(f"{base_url}/posts/", seconds, connections))
        with serving(workers, uncached=True) as base_url:
            load(f"{base_url}/posts/", warm_up, 1)
            uncached = load(f"{base_url}/posts/", seconds, connections)
        return {
            "load_tool": "wrk" if use_wrk else "loadgen",
            "rps_hello": statistics.median(hello),
            "rps_list_uncached": uncached,
            "rps_list_cached": statistics.median(cached),
        }


{%- if cookiecutter.database == "postgresql" %}


def wait_until_replicas_are_current(seconds: float = 10) -> None:
    """Until every replica holds what the primary held a moment ago, by the
    router's own measure."""
    moment = time.time()
    deadline = time.monotonic() + seconds
    while len(replicas.monitor.replicas_current_since(moment)) < len(
        settings.DATABASE_REPLICAS
    ):
        if time.monotonic() > deadline:
            raise CommandError(f"The replicas did not catch up within {seconds} s.")
        time.sleep(0.05)
        replicas.monitor.refresh(force=True)
{%- endif %}


def concurrent_renders(visitors: int) -> int:
    """How often the list page is rendered when ``visitors`` threads, each with
    its own database connection, ask for it together after a write."""
    Client().get("/posts/", HTTP_HOST=HOST)
    caching.bump_versions(caching.ALL)
    start_together = threading.Barrier(visitors)
    renders = []

    def count_renders(execute: Callable, sql: str, *args: Any) -> Any:
        # One render of the list counts its posts once, for the paginator.
        if sql.startswith("SELECT COUNT(*)") and '"blog_post"' in sql:
            renders.append(sql)
        return execute(sql, *args)

    def visit(_: int) -> None:
        start_together.wait()
        try:
            with connection.execute_wrapper(count_renders):
                assert Client().get("/posts/", HTTP_HOST=HOST).status_code == 200
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=visitors) as pool:
        list(pool.map(visit, range(visitors)))
    return len(renders)


def no_lock(
    key: str, entry: Any, is_current: Callable[[Any], bool]
) -> tuple[Any, bool]:
    """caching.current_or_lock without the lock: every miss computes."""
    return (entry if is_current(entry) else None), False


def loadgen(url: str, seconds: float, connections: int) -> float:
    """Successful requests per second from blog/loadgen.py, in a second process."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "{{ cookiecutter.project_slug }}.bench.loadgen",
            url,
            str(seconds),
            str(connections),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    return float(completed.stdout)


def wrk(url: str, seconds: float, connections: int) -> float:
    completed = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{round(seconds)}s",
            "--timeout",
            "5s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    report = completed.stdout
    summary = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", report)
    if summary is None:
        raise CommandError(f"wrk printed no request summary:\n{report}")
    requests, duration, unit = summary.groups()
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    ok = int(requests) - (int(failed[1]) if failed else 0)
    return ok / (float(duration) * {"ms": 0.001, "s": 1, "m": 60}[unit])


@contextmanager
def serving(workers: int, *, uncached: bool) -> Iterator[str]:
    """gunicorn serving the project on a free loopback port; yields its URL."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "{{ cookiecutter.project_slug }}.bench.settings"}
    if uncached:
        env["BENCH_UNCACHED"] = "1"
    # gunicorn's defaults rather than gunicorn.conf.py (access log, worker
    # recycling): the figures are the application's. `config` is an empty module.
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:config",
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
    ]
    process = subprocess.Popen(
        [*command, "--workers", str(workers), "--log-level", "warning"], env=env
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection((HOST, port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start within 30 s") from None
                time.sleep(0.1)
        yield f"http://{HOST}:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
