"""What a project's production image holds, and the key of it that the production
checks are run once for.

The image is the Dockerfile's build: its build context is the pushed project (the
tracked files and uv.lock) less what .dockerignore leaves out, and it installs
the production dependencies that uv.lock pins. Variants whose images would hold
the same files and install the same packages share one production run.
"""

import fnmatch
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from .ci_replay import UV_DIRECTORY
from .generated import environment_without_the_harness

# What the image reads of these two files is its production dependencies: the
# [project] and [tool.uv] tables of one, the packages the other pins for them.
DEPENDENCY_FILES = {"pyproject.toml", "uv.lock"}


def ignored_by(patterns: list[str], path: str) -> bool:
    """Whether .dockerignore's ``patterns`` leave ``path`` (or a folder holding it)
    out of the build context; a ``!`` pattern lets it back in."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: end + 1]) for end in range(len(parts))]
    ignored = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip("/")
        if any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            ignored = not keep
    return ignored


def dockerignore_patterns(checkout: Path) -> list[str]:
    lines = (checkout / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def build_context(checkout: Path) -> list[str]:
    """The paths, relative to ``checkout``, that `COPY . .` puts in the image."""
    patterns = dockerignore_patterns(checkout)
    return sorted(
        relative
        for path in checkout.rglob("*")
        if path.is_file()
        and not ignored_by(patterns, relative := path.relative_to(checkout).as_posix())
    )


def production_dependencies(checkout: Path) -> str:
    """What the image's `uv sync --locked --no-dev` installs, as uv exports it."""
    completed = subprocess.run(
        [
            Path(UV_DIRECTORY) / "uv",
            "export",
            "--frozen",
            "--no-dev",
            "--no-hashes",
            "--no-header",
            "--no-annotate",
            "--no-emit-project",
            "--quiet",
        ],
        cwd=checkout,
        env={**environment_without_the_harness(), "UV_PYTHON": sys.executable},
        check=True,
        capture_output=True,
        text=True,
    )
    pyproject = tomllib.loads((checkout / "pyproject.toml").read_text("utf-8"))
    read = {"project": pyproject["project"], "uv": pyproject["tool"].get("uv")}
    return f"{read!r}\n{completed.stdout}"


def image_key(checkout: Path) -> str:
    """A digest of everything the production checks read of the image: each file
    of its build context (the Dockerfile among them) with its path, and its
    production dependencies."""
    digest = hashlib.sha256()
    for relative in build_context(checkout):
        if relative in DEPENDENCY_FILES:
            continue
        digest.update(relative.encode() + b"\0")
        digest.update(hashlib.sha256((checkout / relative).read_bytes()).digest())
    digest.update(production_dependencies(checkout).encode())
    return digest.hexdigest()


def copy_build_context(checkout: Path, into: Path) -> Path:
    """The image's /app: only the files of the build context."""
    for relative in build_context(checkout):
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(checkout / relative, into / relative)
    os.chmod(into, 0o755)
    return into


@dataclass
class Image:
    """One production image, and the variants whose pushed projects build it."""

    id: str  # the answers its variants share
    variants: list[str]
    context: dict  # the first variant's answers: the image reads them alike
    key: str
    repository: Path  # the first variant's pushed project
    venv: Path
    env: dict[str, str]  # its own servers for the services it uses


SHARED_RUNS = pytest.StashKey[list[str]]()


def record_shared_run(config: pytest.Config, image: Image) -> None:
    """Note which variants shared this image's production run, for the summary."""
    line = f"{image.key[:12]}: {len(image.variants)} variants, " + " | ".join(
        image.variants
    )
    config.stash.setdefault(SHARED_RUNS, []).append(line)


def report_shared_runs(config: pytest.Config, reporter) -> None:
    runs = sorted(config.stash.get(SHARED_RUNS, []))
    if runs:
        reporter.write_sep("-", f"production checks: {len(runs)} images, run once each")
        for line in runs:
            reporter.write_line(line)
