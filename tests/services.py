"""Real backing services for the generated suites: Postgres, Redis, memcached.

Each comes from the environment when given (TEST_POSTGRES_URL, TEST_REDIS_URL,
TEST_MEMCACHED_URL), else from a throwaway server started from the binary on PATH.
Without either, the variants that need it are skipped with the reason, or fail when
REQUIRE_SERVICES=1.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from .template import load_hook

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# The hook's table of backing services, which the pruning and next steps read too.
pruning = load_hook("post_gen_project")
# A service as compose and CI name it -> the variable the project reads its address from.
SERVICE_VARIABLES = {
    name: row["variable"] for name, row in pruning.BACKING_SERVICES.items()
}


def unavailable(reason: str) -> None:
    """Skip, or fail when the run promised every service (REQUIRE_SERVICES=1)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}, and REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(
    port: int, process: subprocess.Popen, name: str, seconds: float = 30
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{name} exited with {process.returncode} before listening"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on port {port} within {seconds} s")


class Server:
    """A server process of our own, stopped at the end of the session."""

    def __init__(self, name: str, args: list[str], port: int) -> None:
        self.name, self.port = name, port
        self.process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_port(port, self.process, name)

    def stop(self) -> None:
        # Throwaway servers with nothing to keep: killed, since memcached's clean
        # shutdown waits for its next one-second clock tick.
        self.process.kill()
        self.process.wait()


def start_redis() -> Server:
    port = free_port()
    args = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    return Server("redis-server", args, port)


def start_memcached() -> Server:
    port = free_port()
    user = pwd.getpwuid(os.getuid()).pw_name  # memcached wants -u to run as root
    return Server(
        "memcached",
        ["memcached", "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-u", user],
        port,
    )


class Postgres(Server):
    """A throwaway cluster: initdb into a temporary folder, trust auth on loopback
    (replication connections included, as initdb allows them).

    Postgres refuses to run as root, so as root it runs as the ``postgres`` user."""

    name = "postgres"

    def __init__(self) -> None:
        self.data = Path(tempfile.mkdtemp(prefix="template-pg-"))
        as_postgres = []
        if os.geteuid() == 0:
            as_postgres = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.data, "postgres")
        self.as_postgres = as_postgres
        self.create_cluster()
        port = free_port()
        args = [
            *as_postgres,
            "postgres",
            "-D",
            str(self.data / "db"),
            "-p",
            str(port),
            "-k",
            str(self.data),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            # A hot standby needs at least its primary's.
            "-c",
            "max_connections=200",
        ]
        super().__init__(self.name, args, port)
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def create_cluster(self) -> None:
        subprocess.run(
            [
                *self.as_postgres,
                "initdb",
                "-D",
                self.data / "db",
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )


class Standby(Postgres):
    """A streaming replica of a running Postgres: ``pg_basebackup -R`` copies it
    and writes the settings that make the copy follow it, as a hot standby that
    answers read-only queries on a port of its own."""

    name = "postgres standby"

    def __init__(self, primary_url: str) -> None:
        self.primary_url = primary_url
        super().__init__()
        self.wait_until_it_accepts_queries()

    def create_cluster(self, attempts: int = 3) -> None:
        """Copy the primary. A copy that fails is retried from scratch, with a
        warning that keeps pg_basebackup's reason in the run's summary; the last
        failure stops the run with that reason."""
        primary = urlsplit(self.primary_url)
        for attempt in range(1, attempts + 1):
            copy = subprocess.run(
                [
                    *self.as_postgres,
                    "pg_basebackup",
                    "-h",
                    primary.hostname,
                    "-p",
                    str(primary.port),
                    "-U",
                    primary.username,
                    "-D",
                    self.data / "db",
                    "-R",
                    "-X",
                    "stream",
                    "--checkpoint=fast",
                    "--no-sync",
                ],
                capture_output=True,
                text=True,
            )
            if copy.returncode == 0:
                return
            reason = f"pg_basebackup from port {primary.port} exited with {copy.returncode}: {copy.stderr.strip()}"
            if attempt == attempts:
                raise RuntimeError(f"{reason} (attempt {attempt} of {attempts})")
            warnings.warn(f"{reason}; retrying", stacklevel=1)
            shutil.rmtree(self.data / "db", ignore_errors=True)
            time.sleep(attempt)

    def wait_until_it_accepts_queries(self, seconds: float = 30) -> None:
        """The port opens before recovery reaches a consistent state."""
        deadline = time.monotonic() + seconds
        while (
            subprocess.run(
                ["psql", self.url, "-Atqc", "SELECT pg_is_in_recovery()"],
                capture_output=True,
                text=True,
            ).stdout.strip()
            != "t"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the standby did not answer within {seconds} s")
            time.sleep(0.05)

    def stop(self) -> None:
        # pg_ctl's immediate mode: no final checkpoint for a cluster about to be
        # deleted, and no signal to runuser, which waits two seconds to pass it on.
        subprocess.run(
            [
                *self.as_postgres,
                "pg_ctl",
                "stop",
                "-s",
                "-m",
                "immediate",
                "-D",
                self.data / "db",
            ],
            check=False,
        )
        super().stop()
        shutil.rmtree(self.data, ignore_errors=True)


def start_postgres_for_session(config: pytest.Config) -> None:
    """Start one Postgres for the whole run (all xdist workers) unless one is given.

    Runs in the controlling process: workers inherit TEST_POSTGRES_URL."""
    if os.environ.get("TEST_POSTGRES_URL") or not shutil.which("initdb"):
        return
    server = Postgres()
    os.environ["TEST_POSTGRES_URL"] = server.url
    config.add_cleanup(server.stop)


def database_for(variant_key: str) -> str:
    """A database of the variant's own on the session's Postgres: its URL."""
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        unavailable(
            "PostgreSQL is not available: set TEST_POSTGRES_URL or install initdb/postgres"
        )
    # Per xdist worker too, should one variant ever run on two workers at once.
    name = f"variant_{variant_key}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    subprocess.run(
        [
            "psql",
            base,
            "-q",
            "-c",
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            "-c",
            f"CREATE DATABASE {name}",
        ],
        check=True,
    )
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def chromium() -> str:
    """A Chromium for the generated e2e tiers: PLAYWRIGHT_CHROMIUM_EXECUTABLE, or
    the system's headless shell, the build Playwright itself runs headless
    (microsoft/playwright#33566), as a CI runner's `playwright install chromium`
    sets it up. Playwright cannot download its own browser here."""
    executable = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or shutil.which(
        "chromium-headless-shell"
    )
    if not executable:
        unavailable(
            "Chromium is not available: set PLAYWRIGHT_CHROMIUM_EXECUTABLE or install chromium-headless-shell"
        )
    return executable


class Services:
    """Redis and memcached servers per variant, so parallel variants never share one;
    and a standby of the session's Postgres per worker (``replica_url``)."""

    def __init__(self) -> None:
        self.servers: list[Server] = []
        self.standby: Standby | None = None

    def replica_url(self, database_url: str) -> str:
        """The database at ``database_url`` on a streaming standby of the session's
        Postgres: one per xdist worker, since a test that pauses replay pauses it
        for every database, and variants on other workers must not wait."""
        if self.standby is None:
            self.standby = Standby(os.environ["TEST_POSTGRES_URL"])
            self.servers.append(self.standby)
        standby = urlsplit(self.standby.url)
        return urlunsplit(urlsplit(database_url)._replace(netloc=standby.netloc))

    def redis_url(self, variant_key: str) -> str:
        if url := os.environ.get("TEST_REDIS_URL"):
            # A shared server: each variant in a database number of its own.
            return urlunsplit(urlsplit(url)._replace(path=f"/{int(variant_key) % 16}"))
        if not shutil.which("redis-server"):
            unavailable(
                "Redis is not available: set TEST_REDIS_URL or install redis-server"
            )
        server = start_redis()
        self.servers.append(server)
        return f"redis://127.0.0.1:{server.port}/0"

    def memcached_url(self, variant_key: str) -> str:
        """One server per variant; a shared server (TEST_MEMCACHED_URL) as given:
        each test's keys carry a prefix of their own."""
        if url := os.environ.get("TEST_MEMCACHED_URL"):
            return url
        if not shutil.which("memcached"):
            unavailable(
                "memcached is not available: set TEST_MEMCACHED_URL or install memcached"
            )
        server = start_memcached()
        self.servers.append(server)
        return f"memcached://127.0.0.1:{server.port}"

    def environment_for(self, answers: dict, variant_key: str) -> dict[str, str]:
        """The variables the variant's settings (and its e2e tier) read to reach
        its services."""
        env = {}
        if "e2e" in answers["test_tiers"]:
            env["PLAYWRIGHT_CHROMIUM_EXECUTABLE"] = chromium()
        # How the harness gives each service of the table a server of its own.
        address_of = {
            "postgres": database_for,
            "redis": self.redis_url,
            "memcached": self.memcached_url,
        }
        for service in pruning.services_for(answers):
            env[SERVICE_VARIABLES[service]] = address_of[service](variant_key)
        return env

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
