"""The blog's cache levels and how a write invalidates them.

Query results and full pages are stored with the versions of what they show;
every committed write sets new versions for what it changed (the rules are in
signals.py), so nothing cached before a write is read after it. The versions
are narrow where writes are frequent: a comment renews the list and its post's
tags, not every tag's pages nor the popular tags; rarer, wider writes renew
``ALL``. Every process must see the same versions: they live in the ``shared``
cache where settings define one (local memory is per process, so that variant
keeps versions in the database), else in the default cache, shared already.
Template fragments (post cards) are keyed by everything they show (the post's
last change, comment count, author's name and tags), so no write retires them.
Every level degrades to no caching when the cache is down or disabled. After a
write, each query result and page is computed by one request while the others
wait for it, briefly.
{%- if cookiecutter.database == "postgresql" %}

With read replicas, an entry is computed from a replica only if it holds every
commit made before the newest version the entry is stored under (else from the
primary): no entry computed after a write can lack it, however far a replica lags.
A cache that keeps nothing (``DummyCache``) has no entry to protect, so there any
replica within the lag limit serves.
{%- endif %}
"""

import hashlib
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import BaseCache, cache, caches
{%- if cookiecutter.database == "postgresql" %}
from django.core.cache.backends.dummy import DummyCache
{%- endif %}
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
{%- if cookiecutter.database == "postgresql" %}

from ..core.replicas import current_since
{%- endif %}

# What a version covers: everything; the list without a tag; one tag's pages;
# the popular tags.
ALL = "all"
LIST = "list"
POPULAR_TAGS = "popular-tags"
# A tag's slug, as Tag.slug holds it: anything else names no tag's page.
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")
# Level 3: the pages served whole to anonymous visitors, by URL name.
VISITOR_PAGES = ("blog:posts",)
VISITOR_PAGE_TIMEOUT = 60 * 5
# Level 1: how long a query result is kept. With the page's lifetime, it bounds
# how late a post scheduled for later shows, since no write announces it.
QUERY_TIMEOUT = 60 * 10
# How long one request may hold the right to compute an entry. A request that
# finds the entry being computed waits for it this long at most, looking this
# often, then computes it too.
COMPUTE_LOCK_SECONDS = 5
WAIT_FOR_COMPUTE_SECONDS = 0.5
LOCK_POLL_SECONDS = 0.01


def version_cache() -> BaseCache:
    return caches["shared"] if "shared" in settings.CACHES else cache


def tag_scope(slug: str) -> str:
    return f"tag:{slug}"


def read_versions(
    *scopes: str, lazy: frozenset[str] = frozenset(), entry_key: str
) -> tuple[tuple[int, ...], dict[str, int], Any]:
    """The version of each scope, those of the ``lazy`` scopes that were not
    set, and the entry at ``entry_key``: one read when the versions are set and
    live in the same cache as the entries.

    A version that is not set (never written, evicted, or a cold cache) becomes
    a fresh one, so an old entry can never be mistaken for current. A lazy
    scope's fresh version is stored only with an entry computed under it
    (``keep_versions``): a request for a tag's page that does not exist stores
    no version.
    """
    store = version_cache()
    keys = {scope: f"blog:version:{scope}" for scope in scopes}
    if store is cache:
        found = store.get_many([*keys.values(), entry_key])
        entry = found.pop(entry_key, None)
    else:
        found = store.get_many(keys.values())
        entry = cache.get(entry_key)
    missing = {}
    for scope, key in keys.items():
        if key in found:
            continue
        if scope in lazy:
            found[key] = missing[key] = time.time_ns()
        else:
            found[key] = store.get_or_set(key, time.time_ns, timeout=None)
    return tuple(found[key] for key in keys.values()), missing, entry


def keep_versions(missing: dict[str, int]) -> bool:
    """Store the lazy versions ``read_versions`` found missing, before an entry
    made under them. False if another process set one first: its write may be
    newer than what was computed, so the entry must not be kept."""
    store = version_cache()
    return all(store.add(key, value, timeout=None) for key, value in missing.items())


{%- if cookiecutter.database == "postgresql" %}


def written_at(version: tuple[int, ...]) -> float:
    """The time of the newest write ``version`` records, which a replica must
    hold to compute an entry stored under it; 0 (none needed) when nothing is
    stored."""
    if isinstance(caches["default"], DummyCache):
        return 0.0
    return max(version) / 1e9
{%- endif %}


def bump_versions(*scopes: str) -> None:
    now = time.time_ns()
    version_cache().set_many(
        {f"blog:version:{scope}": now for scope in scopes}, timeout=None
    )


def current_or_lock(
    key: str, entry: Any, is_current: Callable[[Any], bool]
) -> tuple[Any, bool]:
    """The entry to serve for ``key`` (``entry``, as just read), else the right
    to compute it: ``(entry, False)``, or ``(None, True)`` to compute it and
    ``release(key)`` after.

    Against a stampede after a write: only one request in the cluster holds a
    key's lock (``cache.add`` is atomic on every backend) and computes the new
    entry. The others wait for it, up to ``WAIT_FOR_COMPUTE_SECONDS``, then
    compute it themselves: no worker is held for longer, and none serves the
    entry the write replaced, so a write shows on every node's next request.
    Nobody waits when the cache is down, since the lock then reads as absent.
    ``(None, False)`` means compute without the lock.
    """
    if is_current(entry):
        return entry, False
    lock = f"{key}:lock"
    if cache.add(lock, True, COMPUTE_LOCK_SECONDS):
        return None, True
    deadline = time.monotonic() + WAIT_FOR_COMPUTE_SECONDS
    while time.monotonic() < deadline:
        # The lock first: the holder stores the entry before it lets go, so an
        # entry read after the lock is gone is the holder's, if it stored one.
        held = cache.get(lock)
        entry = cache.get(key)
        if is_current(entry):
            return entry, False
        if not held:
            break
        time.sleep(LOCK_POLL_SECONDS)
    return None, False


def release(key: str) -> None:
    cache.delete(f"{key}:lock")


def cached(name: str, compute: Callable[[], Any]) -> Any:
    """Level 1, query caching: ``compute()`` once per version of ``name`` (and
    of ``ALL``), by one request at a time."""
    key = f"blog:{name}"
    version, _, entry = read_versions(ALL, name, entry_key=key)
    entry, locked = current_or_lock(
        key, entry, lambda entry: entry and entry[0] == version
    )
    if entry:
        return entry[1]
    try:
{%- if cookiecutter.database == "postgresql" %}
        with current_since(written_at(version)):
            value = compute()
{%- else %}
        value = compute()
{%- endif %}
        cache.set(key, (version, value), QUERY_TIMEOUT)
        return value
    finally:
        if locked:
            release(key)


class VisitorPageCacheMiddleware:
    """Level 3, full-page caching of ``VISITOR_PAGES`` for anonymous visitors.

    It sits right after the security and static-file middleware, so a hit skips
    sessions, CSRF, authentication, messages and the view: one read fetches the
    page and the versions it must have been rendered under (two where those are
    kept in another cache). Only
    requests with neither a session cookie (so no logged-in user and no message in
    the session) nor a message cookie are served from or stored into it, and never
    a response that sets a cookie (such as the CSRF token). Browsers are told not to keep
    these pages, so logging in or a write shows at once. After a write, one request
    renders each page again while the others wait for it, briefly
    (``current_or_lock``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def paths(self) -> frozenset[str]:
        return frozenset(reverse(name) for name in VISITOR_PAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page_key, tag = self.page_key(request)
        if page_key is None:
            return self.get_response(request)
        scope = tag_scope(tag) if tag else LIST
        version, missing, stored = read_versions(
            ALL,
            scope,
            POPULAR_TAGS,
            lazy=frozenset([scope] if tag else []),
            entry_key=page_key,
        )
        stored, locked = current_or_lock(
            page_key, stored, lambda stored: stored and stored["version"] == version
        )
        if stored:
            return HttpResponse(stored["content"], headers=stored["headers"])
        try:
{%- if cookiecutter.database == "postgresql" %}
            with current_since(written_at(version)):
                response = self.get_response(request)
{%- else %}
            response = self.get_response(request)
{%- endif %}
            add_never_cache_headers(response)
            if (
                response.status_code == 200
                and not (response.streaming or response.cookies)
                and keep_versions(missing)
            ):
                page = {
                    "version": version,
                    "content": response.content,
                    "headers": dict(response.items()),
                }
                cache.set(page_key, page, VISITOR_PAGE_TIMEOUT)
            return response
        finally:
            if locked:
                release(page_key)

    def page_key(self, request: HttpRequest) -> tuple[str | None, str]:
        """The entry for this request, or None to leave the cache alone, and the
        tag whose page it is ("" for the list of all posts).

        It is built from the only parameters the pages read, ``tag`` and
        ``page``, so ``?utm_source=…`` and other junk share the canonical entry.
        The page number is normalised as the paginator reads it (``01`` is 1);
        one it cannot read, or a tag that is no slug, is never cached, and
        neither is any answer but a 200, so the entries (and the versions they
        are kept under) are bounded by the pages that exist.
        """
        if not self.is_visitor_page(request):
            return None, ""
        tag = request.GET.get("tag") or ""
        try:
            number = int(request.GET.get("page") or 1)
        except ValueError:
            return None, ""
        if tag and not SLUG.fullmatch(tag):
            return None, ""
        wanted = f"{request.path_info}\n{tag}\n{number}"
        return f"blog:page:{hashlib.sha256(wanted.encode()).hexdigest()}", tag

    def is_visitor_page(self, request: HttpRequest) -> bool:
        return (
            request.method == "GET"
            and request.path_info in self.paths
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        )
