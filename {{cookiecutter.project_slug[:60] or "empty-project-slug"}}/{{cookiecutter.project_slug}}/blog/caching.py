"""The blog's cache levels and how a write invalidates them.

Query results and full pages are stored with a content version; every committed
write sets a new version (signals.py), so nothing cached before a write is read
after it. Template fragments (post cards) are keyed by the
post's id, last change and comment count, so they invalidate themselves.
Every level degrades to no caching when the cache is down or disabled.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

VERSION_KEY = "blog:content-version"


def content_version() -> int:
    # A missing version (evicted, or a cold cache) becomes a fresh one, so an
    # old entry can never be mistaken for current.
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def bump_content_version() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def cached(name: str, compute: Callable[[], Any], timeout: int = 600) -> Any:
    """Level 1, query caching: ``compute()`` once per content version."""
    return cache.get_or_set(f"blog:{name}:{content_version()}", compute, timeout)


def cache_page_for_visitors(timeout: int):
    """Level 3, full-page caching for anonymous visitors.

    A hit costs one round trip to the cache: the page is stored with the content
    version it was rendered under, and one ``get_many`` reads both. (Django's
    ``cache_page`` would need the version before computing its key, and then two
    more reads.) Logged-in users, requests with a message waiting and responses
    that set a cookie (such as the CSRF token) are never cached. Browsers are told
    not to keep the page, so logging in or a write shows at once.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if (
                request.method != "GET"
                or request.user.is_authenticated
                or get_messages(request)
            ):
                return view(request, *args, **kwargs)
            path = request.get_full_path().encode()
            page_key = f"blog:page:{hashlib.sha256(path).hexdigest()}"
            found = cache.get_many([VERSION_KEY, page_key])
            version = found.get(VERSION_KEY) or content_version()
            stored = found.get(page_key)
            if stored and stored["version"] == version:
                response = HttpResponse(stored["content"], stored["content_type"])
            else:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.cookies:
                    page = {
                        "version": version,
                        "content": response.content,
                        "content_type": response["Content-Type"],
                    }
                    cache.set(page_key, page, timeout)
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorator
