import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Each test starts with an empty cache: the real, shared one in most variants."""
    cache.clear()
