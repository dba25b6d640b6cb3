"""GitHub's ``actions/cache`` for the CI replay: one directory on this machine for
the whole test run, shared by every variant's jobs as a repository's runs share
GitHub's cache, and new for each run, so that nothing is reused across runs.

As on GitHub: a job restores the entry with its exact ``key``, else the newest
whose key starts with one of its ``restore-keys``, in order; it saves under its
``key`` once all its steps have passed, unless that key exists; an entry never
changes. Entries are written aside and renamed into place, so a job running at
the same time never reads half of one.
"""

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

# The variable through which every test process of one run finds the directory.
DIRECTORY_VARIABLE = "TEMPLATE_ACTIONS_CACHE"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def create_for_this_run() -> Path:
    """A fresh, empty cache directory, named in the environment for the test
    processes this one starts (pytest-xdist's workers)."""
    directory = Path(tempfile.mkdtemp(prefix="actions-cache-"))
    os.environ[DIRECTORY_VARIABLE] = str(directory)
    return directory


def hash_files(checkout: Path, pattern: str) -> str:
    """``hashFiles()``: one digest of every file the pattern matches, in order."""
    digest = hashlib.sha256()
    for path in sorted(checkout.glob(pattern)):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def evaluate(text: str, checkout: Path) -> str:
    """``text`` with the expressions the project's workflow uses in cache keys
    evaluated; any other fails the replay rather than pass unseen."""

    def value(match: re.Match) -> str:
        expression = match[1]
        if files := re.fullmatch(r"hashFiles\('([^']+)'\)", expression):
            return hash_files(checkout, files[1])
        if expression == "github.sha":
            return subprocess.run(
                ["git", "rev-parse", "HEAD"],
                cwd=checkout,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
        if expression == "runner.os":
            return "Linux"
        raise AssertionError(f"the replay cannot evaluate ${{{{ {expression} }}}}")

    return EXPRESSION.sub(value, text)


class ActionsCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def of_this_run(cls) -> "ActionsCache":
        return cls(Path(os.environ[DIRECTORY_VARIABLE]))

    def restore(self, step: dict, checkout: Path) -> tuple[str, str | None]:
        """Restore what ``step`` asks for into ``checkout``: its evaluated key,
        and the key of the entry restored (None on a miss)."""
        settings = step["with"]
        key = evaluate(settings["key"], checkout)
        prefixes = [
            evaluate(line.strip(), checkout)
            for line in settings.get("restore-keys", "").splitlines()
            if line.strip()
        ]
        found = self._find(key, prefixes)
        if found:
            shutil.copytree(
                self.directory / found, checkout / settings["path"], dirs_exist_ok=True
            )
        return key, found

    def save(self, step: dict, key: str, checkout: Path) -> None:
        source = checkout / step["with"]["path"]
        if (self.directory / key).exists() or not source.exists():
            return
        aside = Path(tempfile.mkdtemp(dir=self.directory, prefix=".saving-"))
        shutil.copytree(source, aside, dirs_exist_ok=True)
        try:
            aside.rename(self.directory / key)
        except OSError:  # another job saved this key first: entries never change
            shutil.rmtree(aside)

    def _find(self, key: str, prefixes: list[str]) -> str | None:
        entries = {
            entry.name: entry.stat().st_mtime_ns
            for entry in self.directory.iterdir()
            if not entry.name.startswith(".")
        }
        if key in entries:
            return key
        for prefix in prefixes:
            matching = [name for name in entries if name.startswith(prefix)]
            if matching:
                return max(matching, key=entries.__getitem__)
        return None
