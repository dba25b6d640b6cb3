"""Limits on login, sign-up and password-reset attempts, per client address and
per account.

Attempts are counted in fixed windows of ``AUTH_THROTTLE_WINDOW`` seconds. Once a
count reaches its limit (``AUTH_THROTTLE`` in settings), the form answers 429
until the window ends. Failed logins count; every sign-up and reset request
counts, since each may queue an e-mail.
{%- if cookiecutter.cache_backend in ["redis", "memcached"] %}

The counts live in the cache server that every web process shares. Its
increments are atomic, so two workers counting at once both count. While the
cache is down, attempts go uncounted rather than refused.
{%- else %}

The counts live in the database (``AttemptCount``), which every web process
shares, and where adding one is a single atomic update.
{%- if cookiecutter.cache_backend == "locmem" %} The local-memory cache would
count in each process apart.
{%- elif cookiecutter.cache_backend == "database" %} The database cache would lose
counts: its increment is a read and then a write.
{%- endif %}
{%- endif %}
"""

import hashlib
import time
{%- if cookiecutter.cache_backend not in ["redis", "memcached"] %}
from datetime import timedelta
{%- endif %}

from django.conf import settings
{%- if cookiecutter.cache_backend in ["redis", "memcached"] %}
from django.core.cache import cache
{%- else %}
from django.db.models import F
{%- endif %}
from django.http import HttpRequest
{%- if cookiecutter.cache_backend not in ["redis", "memcached"] %}
from django.utils import timezone

from .models import AttemptCount
{%- endif %}

# Actions whose account limit counts each client address apart, as django-axes'
# lockout on [username, ip_address]: someone who knows an address can use up the
# account's failed logins only from their own addresses, and its owner still logs
# in from theirs. Sign-ups and reset requests count per account from anywhere, so
# that nobody floods one inbox from many addresses.
PER_ACCOUNT_AND_ADDRESS = {"login"}


def client_ip(request: HttpRequest) -> str:
    """The address a request came from. Behind ``TRUSTED_PROXIES`` proxies, each
    appending the address it saw to X-Forwarded-For, it is the entry that many from
    the end, the one the outermost proxy added: entries before it are whatever the
    client chose to send. Fewer entries mean a request that passed fewer proxies,
    whose first entry a proxy added all the same."""
    forwarded = [
        entry.strip()
        for entry in request.headers.get("X-Forwarded-For", "").split(",")
        if entry.strip()
    ]
    if settings.TRUSTED_PROXIES and forwarded:
        return forwarded[-min(settings.TRUSTED_PROXIES, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")


def retry_after(action: str, request: HttpRequest, *, account: str) -> int | None:
    """Seconds until this client may try ``action`` for ``account`` again, or None
    while both its address and the account are under their limits."""
    counters = counters_for(action, request, account)
    counts = read_counts(list(counters))
    if all(counts.get(key, 0) < limit for key, limit in counters.items()):
        return None
    window = settings.AUTH_THROTTLE_WINDOW
    return window - int(time.time()) % window


def count_attempt(action: str, request: HttpRequest, *, account: str) -> None:
    """Count one attempt against the client's address and against the account."""
    for key in counters_for(action, request, account):
        increment(key)


def counters_for(action: str, request: HttpRequest, account: str) -> dict[str, int]:
    """The current window's counter keys for the address and the account, each
    with its limit. Keys hold digests, so no address or e-mail is stored."""
    window = int(time.time()) // settings.AUTH_THROTTLE_WINDOW
    limits = settings.AUTH_THROTTLE[action]
    address, account = client_ip(request), account.strip().lower()
    if action in PER_ACCOUNT_AND_ADDRESS:
        account = f"{account} from {address}"
    counted = {"ip": address, "account": account}
    return {
        f"throttle:{action}:{kind}:{window}:{digest(who)}": limits[f"per_{kind}"]
        for kind, who in counted.items()
    }


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
{%- if cookiecutter.cache_backend in ["redis", "memcached"] %}


def read_counts(keys: list[str]) -> dict[str, int]:
    return cache.get_many(keys)


def increment(key: str) -> None:
    cache.add(key, 0, timeout=settings.AUTH_THROTTLE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # the cache is down, or the key expired since add()
        pass
{%- else %}


def read_counts(keys: list[str]) -> dict[str, int]:
    return dict(AttemptCount.objects.filter(key__in=keys).values_list("key", "count"))


def increment(key: str) -> None:
    expires_at = timezone.now() + timedelta(seconds=settings.AUTH_THROTTLE_WINDOW)
    _, created = AttemptCount.objects.get_or_create(
        key=key, defaults={"count": 1, "expires_at": expires_at}
    )
    if created:  # a new window: forget the windows that have ended
        AttemptCount.objects.filter(expires_at__lt=timezone.now()).delete()
    else:
        AttemptCount.objects.filter(key=key).update(count=F("count") + 1)
{%- endif %}
