"""Run a baked project's own tools in an environment built from its pyproject.toml."""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

UV = Path(sysconfig.get_path("scripts")) / "uv"
ENV_CACHE = Path(
    os.environ.get(
        "TEMPLATE_ENV_CACHE", Path.home() / ".cache" / "scalable-django-template"
    )
)


def requirements(project: Path) -> list[str]:
    """Runtime dependencies plus the dev group, exactly as the project declares them."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return sorted(
        pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    )


def environment_for(project: Path) -> Path:
    """A virtualenv with the project's requirements, compiled to bytecode, shared by
    every project that declares the same set and kept between runs."""
    reqs = requirements(project)
    key = hashlib.sha256(
        "\n".join([sys.version, "compiled", *reqs]).encode()
    ).hexdigest()[:16]
    venv = ENV_CACHE / "envs" / key
    ENV_CACHE.mkdir(parents=True, exist_ok=True)
    with open(ENV_CACHE / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / "ready").exists():
            subprocess.run(
                [UV, "venv", "--quiet", "--clear", "--python", sys.executable, venv],
                check=True,
            )
            subprocess.run(
                [
                    UV,
                    "pip",
                    "install",
                    "--quiet",
                    # Bytecode now, not at every start-up: with
                    # PYTHONDONTWRITEBYTECODE set (CI), nothing would cache it.
                    "--compile-bytecode",
                    "--python",
                    venv / "bin" / "python",
                    *reqs,
                ],
                check=True,
            )
            (venv / "ready").write_text("\n".join(reqs) + "\n")
        if not (venv / "resolved").exists():
            fill_uv_cache_for_locking(project)
            (venv / "resolved").touch()
    return venv


def fill_uv_cache_for_locking(project: Path) -> None:
    """Resolve the project once online, in a scratch copy, so that uv's cache holds
    what a universal lock needs (every platform's metadata, not just this one's
    wheels): the CI replay's `uv sync` then resolves from the cache alone, as a
    runner with setup-uv's warm cache mostly does."""
    with tempfile.TemporaryDirectory() as scratch:
        # The README too, where pyproject.toml names it (the benchmark's floor has none).
        for name in ("pyproject.toml", "README.md"):
            if (project / name).exists():
                shutil.copy(project / name, scratch)
        subprocess.run(
            [UV, "lock", "--quiet", "--python", sys.executable, "--directory", scratch],
            check=True,
        )


def environment_without_the_harness() -> dict[str, str]:
    """This process's variables, less those that configure the harness's own Django,
    pytest, uv and virtualenv, and bytecode writing."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PYTEST_", "VIRTUAL_ENV", "UV_"))
        and name != "PYTHONDONTWRITEBYTECODE"
    }


@dataclass
class Project:
    """A baked project and the environment its own tools run in."""

    path: Path
    venv: Path
    env: dict[str, str] = field(default_factory=dict)
    # What every process starts from; None: this process's, less the harness's.
    start: dict[str, str] | None = None

    def environment(self, env: dict[str, str] | None = None) -> dict[str, str]:
        """The variables the project's own tools run with: this process's, less
        anything meant for the harness (or ``start``), plus the project's services
        and ``env``.

        As on a developer's machine, the project's own modules (and pytest's
        rewritten tests) are compiled once and cached in ``__pycache__``, even
        where ``PYTHONDONTWRITEBYTECODE`` is set, as on CI: compiling them again in
        every process made a default suite 2.3 s instead of 1.7 s.
        """
        clean = dict(
            environment_without_the_harness() if self.start is None else self.start
        )
        clean["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{clean.get('PATH', '')}"
        return {**clean, **self.env, **(env or {})}

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        """Run a command of the project's environment in the project directory."""
        return subprocess.run(
            args,
            cwd=self.path,
            env=self.environment(env),
            capture_output=True,
            text=True,
            timeout=600,
        )

    def manage(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        return self.run("python", "manage.py", *args, env=env)

    def manage_in_one_process(
        self, *commands: list[str], env: dict[str, str] | None = None
    ) -> list[subprocess.CompletedProcess]:
        """Run several management commands, each as ``manage.py`` would, but
        starting Django once (a second per start on these machines); one result
        per command, with its exit status and output."""
        completed = self.run(
            "python", "-c", RUN_COMMANDS, json.dumps(commands), env=env
        )
        if completed.returncode != 0:
            return [completed] * len(commands)
        return [
            subprocess.CompletedProcess(command, code, output, "")
            for command, (code, output) in zip(
                commands, json.loads(completed.stdout.splitlines()[-1]), strict=True
            )
        ]


# Runs in the project's environment: each command's exit status and output, as
# one JSON line.
RUN_COMMANDS = """
import io, json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
from django.core.management import call_command
results = []
for command in json.loads(sys.argv[1]):
    output = io.StringIO()
    try:
        call_command(*command, stdout=output, stderr=output)
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except Exception as error:
        output.write(f"{type(error).__name__}: {error}")
        code = 1
    results.append([code, output.getvalue()])
print(json.dumps(results))
"""


def assert_ok(completed: subprocess.CompletedProcess) -> None:
    assert completed.returncode == 0, (
        f"{completed.args}\n{completed.stdout}\n{completed.stderr}"
    )


def project_files(project: Path) -> list[Path]:
    """The project's files, without the bytecode its own tools cache or the SQLite
    database that `manage.py check` creates (Django's JSONField check connects)."""
    return sorted(
        path
        for path in project.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and not path.name.startswith("db.sqlite3")
    )


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")
