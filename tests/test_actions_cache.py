"""The replay's stand-in for GitHub's cache restores and saves as GitHub's does,
and stays whole when jobs of several variants use it at once."""

import threading

import pytest

from .actions_cache import ActionsCache, evaluate

STEP = {
    "uses": "actions/cache@v5",
    "with": {
        "path": ".mypy_cache",
        "key": "mypy-${{ hashFiles('uv.lock') }}-${{ github.sha }}",
        "restore-keys": "mypy-${{ hashFiles('uv.lock') }}-\nmypy-\n",
    },
}


def saved(cache: ActionsCache, key: str, content: str, where) -> None:
    checkout = where / key
    (checkout / ".mypy_cache").mkdir(parents=True)
    (checkout / ".mypy_cache" / "cache.db").write_text(content)
    cache.save(STEP, key, checkout)


def restored(cache: ActionsCache, key: str, prefixes: list[str]) -> str | None:
    found = cache._find(key, prefixes)
    return (cache.directory / found / "cache.db").read_text() if found else None


@pytest.fixture
def cache(tmp_path) -> ActionsCache:
    (tmp_path / "cache").mkdir()
    return ActionsCache(tmp_path / "cache")


def test_the_exact_key_wins_then_the_newest_entry_of_each_prefix_in_order(
    cache, tmp_path
):
    saved(cache, "mypy-a-1", "a1", tmp_path)
    saved(cache, "mypy-b-1", "b1", tmp_path)
    saved(cache, "mypy-a-2", "a2", tmp_path)
    assert restored(cache, "mypy-b-1", ["mypy-a-", "mypy-"]) == "b1"
    assert restored(cache, "mypy-a-3", ["mypy-a-", "mypy-"]) == "a2"
    assert restored(cache, "mypy-c-1", ["mypy-c-", "mypy-"]) == "a2"
    assert restored(cache, "pip-1", ["pip-"]) is None


def test_an_entry_never_changes_once_saved(cache, tmp_path):
    saved(cache, "mypy-a-1", "first", tmp_path / "one")
    saved(cache, "mypy-a-1", "second", tmp_path / "two")
    assert restored(cache, "mypy-a-1", []) == "first"


def test_jobs_saving_one_key_at_once_leave_one_whole_entry(cache, tmp_path):
    jobs = [
        threading.Thread(
            target=saved, args=(cache, "mypy-a-1", "x" * 100_000, tmp_path / str(n))
        )
        for n in range(8)
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    assert [entry.name for entry in cache.directory.iterdir()] == ["mypy-a-1"]
    assert restored(cache, "mypy-a-1", []) == "x" * 100_000


def test_keys_are_evaluated_as_github_evaluates_the_workflows_expressions(tmp_path):
    (tmp_path / "uv.lock").write_text("one")
    first = evaluate(STEP["with"]["key"].split("-${{ github")[0], tmp_path)
    (tmp_path / "uv.lock").write_text("two")
    assert evaluate(STEP["with"]["key"].split("-${{ github")[0], tmp_path) != first
    with pytest.raises(AssertionError, match="secrets.TOKEN"):
        evaluate("${{ secrets.TOKEN }}", tmp_path)
