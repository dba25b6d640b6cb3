from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).parent
TIERS = {"unit"{% if cookiecutter.test_tiers != "unit" %}, "integration"{% endif %}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, named by the folder it lives in."""
    for item in items:
        tier = item.path.relative_to(TESTS_DIR).parts[0]
        if tier not in TIERS:
            raise pytest.UsageError(
                f"{item.nodeid} is outside the tier folders {TIERS}."
            )
        item.add_marker(tier)
