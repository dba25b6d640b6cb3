"""Django's PyMemcacheCache, logging the outages that ``ignore_exc`` swallows."""

import logging

from django.core.cache.backends import memcached
from pymemcache import HashClient

logger = logging.getLogger(__name__)


class LoggingHashClient(HashClient):
    def _mark_failed_server(self, server) -> None:
        # Called from pymemcache's own except block, so the error is at hand.
        logger.exception("memcached at %s failed; serving without cache", server)
        super()._mark_failed_server(server)


class PyMemcacheCache(memcached.PyMemcacheCache):
    """Answers a miss while memcached is down, logs why, and retries it shortly."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = LoggingHashClient
