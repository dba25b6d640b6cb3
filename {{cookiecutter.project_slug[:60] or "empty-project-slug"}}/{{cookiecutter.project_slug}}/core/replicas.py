"""Which database a query goes to when the site has read replicas.

Writes and migrations go to the primary. A read goes to the primary:

1. when no replica is configured (``DATABASE_REPLICA_URL`` is empty), and for
   the database cache's table, which must read what was just stored there;
2. inside a transaction on the primary, which must see its own writes (and
   ``select_for_update`` needs one);
3. outside a web request (the task worker, management commands), and while a
   request is pinned: it is not a GET, HEAD or OPTIONS, it has written, or its
   client wrote within ``READ_YOUR_WRITES_SECONDS`` (a signed cookie says so);
4. when no replica is current enough: every replica is down, lags more than
   ``REPLICA_MAX_LAG_SECONDS``, or, inside ``current_since(moment)``, has not yet
   replayed every commit made before that moment.

Otherwise it goes to one of the replicas that are, chosen at random.

How current a replica is: at most every ``LAG_CHECK_SECONDS``, each process
notes the primary's WAL insert position (past every commit, synchronous or not)
and asks each replica how far it has replayed.
A replica that has replayed a position the primary held at time T holds every
commit made before T; the latest such T is the moment it is current as of. This
also catches a replica cut off from its primary, which its own replay timestamp
would not.
"""

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS as PRIMARY
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

LAG_CHECK_SECONDS = 1.0
# How long a replica that failed to answer is left alone before it is asked again.
DOWN_RETRY_SECONDS = 10.0
# How far apart two web nodes' clocks may be: a cache entry's change time comes
# from the node that wrote, a replica's "current as of" from the node that reads.
CLOCK_MARGIN_SECONDS = 1.0
PIN_COOKIE = "read_your_writes"
PIN_SALT = "read-your-writes"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Only ReadYourWritesMiddleware unpins: a task must find what the request that
# queued it wrote a moment before.
pinned: ContextVar[bool] = ContextVar("pinned", default=True)
wrote: ContextVar[bool] = ContextVar("wrote", default=False)
needs_current_since: ContextVar[float] = ContextVar("needs_current_since", default=0)


def wal_position(lsn: str) -> int:
    """A PostgreSQL LSN ("16/B374D848") as a number that orders like it."""
    high, low = lsn.split("/")
    return int(high, 16) << 32 | int(low, 16)


class ReplicaMonitor:
    """What this process knows of each replica: since when it is current, and
    whether it answered its last check."""

    def __init__(self, aliases: list[str]) -> None:
        self.aliases = aliases
        self.lock = threading.Lock()
        self.checked_at = 0.0
        # (time, primary WAL position) samples, newest last; two minutes' worth.
        self.primary_positions: deque[tuple[float, int]] = deque(maxlen=120)
        self.current_as_of = dict.fromkeys(aliases, 0.0)
        self.down_until = dict.fromkeys(aliases, 0.0)
        self.usable = dict.fromkeys(aliases, False)

    def refresh(self, *, force: bool = False) -> None:
        """Check the primary's position and each replica's, unless this process
        did less than ``LAG_CHECK_SECONDS`` ago and ``force`` is not given."""
        now = time.time()
        if not force and now - self.checked_at < LAG_CHECK_SECONDS:
            return
        with self.lock:
            if not force and now - self.checked_at < LAG_CHECK_SECONDS:
                return
            self.checked_at = now
            with connections[PRIMARY].cursor() as cursor:
                cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
                self.primary_positions.append((now, wal_position(cursor.fetchone()[0])))
            for alias in self.aliases:
                if self.down_until[alias] <= now:
                    self.check(alias, now)

    def check(self, alias: str, now: float) -> None:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
                replayed = cursor.fetchone()[0]
        except DatabaseError as error:
            self.mark_down(alias, error)
            return
        if replayed is None:
            # Not in recovery: the "replica" is a primary, current by definition.
            self.current_as_of[alias] = now
        else:
            position = wal_position(replayed)
            for sampled_at, primary_position in reversed(self.primary_positions):
                if primary_position <= position:
                    self.current_as_of[alias] = sampled_at
                    break
        lag = now - self.current_as_of[alias]
        limit = settings.REPLICA_MAX_LAG_SECONDS
        if lag > limit:
            self.report(alias, False, f"lags more than {limit} s behind the primary")
        else:
            self.report(alias, True, "serves reads")

    def connects(self, alias: str) -> bool:
        """Whether the replica's connection is open, or opens: a replica that went
        down since its last check is found here, before a query fails on it."""
        try:
            connections[alias].ensure_connection()
        except DatabaseError as error:
            self.mark_down(alias, error)
            return False
        return True

    def mark_down(self, alias: str, error: DatabaseError) -> None:
        connections[alias].close()
        self.down_until[alias] = time.time() + DOWN_RETRY_SECONDS
        self.report(alias, False, f"does not answer ({error})")

    def report(self, alias: str, usable: bool, state: str) -> None:
        """Log when a replica starts or stops serving reads, once per change."""
        if self.usable[alias] != usable:
            self.usable[alias] = usable
            if usable:
                logger.info("Replica %r %s", alias, state)
            else:
                logger.warning(
                    "Replica %r %s; its reads go to the primary", alias, state
                )

    def replicas_current_since(self, moment: float) -> list[str]:
        self.refresh()
        return [
            alias
            for alias in self.aliases
            if self.usable[alias] and self.current_as_of[alias] >= moment
        ]

    def states(self) -> dict[str, str]:
        """Each replica's state, as ``/readyz`` reports it."""
        self.refresh()
        now = time.time()
        return {
            alias: "ok"
            if self.usable[alias]
            else ("down" if self.down_until[alias] > now else "lagging")
            for alias in self.aliases
        }


monitor = ReplicaMonitor(settings.DATABASE_REPLICAS)


def is_cache_table(model: Any) -> bool:
    """Django's DatabaseCache routes its table as a model of the app "django_cache"."""
    return model._meta.app_label == "django_cache"


class PrimaryReplicaRouter:
    """The rules in this module's docstring, for ``DATABASE_ROUTERS``."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if (
            not monitor.aliases
            or is_cache_table(model)
            or connections[PRIMARY].in_atomic_block
            or pinned.get()
        ):
            return PRIMARY
        since = needs_current_since.get()
        current = monitor.replicas_current_since(
            since + CLOCK_MARGIN_SECONDS if since else 0
        )
        for alias in random.sample(current, len(current)):
            if monitor.connects(alias):
                return alias
        return PRIMARY

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Storing in the database cache is not a write of the visitor's own.
        if not is_cache_table(model):
            wrote.set(True)
            pinned.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


@contextmanager
def reads_pinned(pin: bool) -> Iterator[None]:
    """Reads inside go to the primary if ``pin``, else where the other rules
    send them: as for a visitor who has not written."""
    token = pinned.set(pin)
    try:
        yield
    finally:
        pinned.reset(token)


@contextmanager
def current_since(moment: float) -> Iterator[None]:
    """Reads inside come from a replica only if it holds every commit made before
    ``moment`` (a time.time()), else from the primary: for filling a cache that
    others will read after that moment's write."""
    token = needs_current_since.set(max(moment, needs_current_since.get()))
    try:
        yield
    finally:
        needs_current_since.reset(token)


class ReadYourWritesMiddleware:
    """Pins a request's reads to the primary when it may write, or its client
    wrote within ``READ_YOUR_WRITES_SECONDS``; and after a request that wrote,
    tells the client so in a signed cookie that lasts that long."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        window = settings.READ_YOUR_WRITES_SECONDS
        recent = request.get_signed_cookie(
            PIN_COOKIE, default=None, salt=PIN_SALT, max_age=window
        )
        pin = recent is not None or request.method not in SAFE_METHODS
        wrote_token = wrote.set(False)
        try:
            with reads_pinned(pin):
                response = self.get_response(request)
            if wrote.get():
                response.set_signed_cookie(
                    PIN_COOKIE,
                    "1",
                    salt=PIN_SALT,
                    max_age=window,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        finally:
            wrote.reset(wrote_token)
