"""The blog's cache levels and how a write invalidates them.

Query results and full pages are stored under keys that carry a content version;
every committed write sets a new version (signals.py), so nothing cached before
a write is read after it. Template fragments (post cards) are keyed by the
post's id, last change and comment count, so they invalidate themselves.
Every level degrades to no caching when the cache is down or disabled.
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_page

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

    Logged-in users and requests with a message waiting always get a fresh page.
    Django's cache middleware already refuses to store a response that sets a
    cookie (such as the CSRF token). Browsers are told not to keep the page, so
    logging in or a write shows at once.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated or get_messages(request):
                return view(request, *args, **kwargs)
            prefix = f"blog-page:{content_version()}"
            response = cache_page(timeout, key_prefix=prefix)(view)(
                request, *args, **kwargs
            )
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorator
