import gc
import uuid
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).parent
# Fastest first, so a broken unit fails the run before the slower tiers start.
TIERS = ["unit"{% if cookiecutter.test_tiers != "unit" %}, "integration"{% endif %}{% if "e2e" in cookiecutter.test_tiers %}, "e2e"{% endif %}]


def tier_of(item: pytest.Item) -> str:
    tier = item.path.relative_to(TESTS_DIR).parts[0]
    if tier not in TIERS:
        raise pytest.UsageError(f"{item.nodeid} is outside the tier folders {TIERS}.")
    return tier


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, named by the folder it lives in, and run
    the tiers in order."""
    for item in items:
        item.add_marker(tier_of(item))
    items.sort(key=lambda item: TIERS.index(tier_of(item)))


@pytest.fixture(autouse=True)
def isolated_cache(settings) -> None:
    """Each test has a cache of its own: the configured servers under a fresh key
    prefix. No test sees another's entries, and none flushes a cache server
    that development uses too."""
    settings.CACHES = {
        alias: {**options, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for alias, options in settings.CACHES.items()
    }


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what start-up and collection built (Django's app registry, modules,
    test items). It lives until exit anyway; frozen, the garbage collector stops
    scanning it again in every collection and at exit."""
    gc.freeze()
