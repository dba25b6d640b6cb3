"""Benchmarks for the template (not part of the test run).

Prints one ``name=value`` line per figure, each the median of several runs, next to
its floor measured in the same run on the same machine; a figure with a goal (GOALS)
ends with the goal and whether this run met it:

    uv run python scripts/bench.py [--runs N] [--matrix [--cold]]
    uv run python scripts/bench.py --suite-against REVISION [--runs N]

bake_inprocess_ms / bake_floor_ms   cookiecutter's API: the default variant / a
                                    template of one empty file
bake_cli_ms / cli_floor_ms          `cookiecutter --no-input` as a process /
                                    `cookiecutter --version`
suite_default_s / suite_floor_s     the default project's own pytest, warm / a
                                    one-test `django-admin startproject` suite in
                                    an environment of Django, pytest and
                                    pytest-django alone, at the same versions
suite_against_s                     with --suite-against: the default suite baked
                                    from REVISION, in turns with this tree's
matrix_s, phase_*                   with --matrix: the template's whole test run
                                    (every variant), as README's test command
                                    runs it, once; and the seconds of each phase
                                    of it (bakes, environments, each replayed CI
                                    job, production, the calls of each test
                                    file), summed over its test processes
"""

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.generated import Project, environment_for  # noqa: E402
from tests.phases import SUMMARY_TITLE as PHASES_TITLE  # noqa: E402
from tests.template import ALL_VARIANTS  # noqa: E402

# figure -> the most it may be, on the 2-core machine these goals were set for.
GOALS = {
    "bake_inprocess_ms": 200,
    # Start-up, cookiecutter's default extensions (arrow), two hook processes and
    # a Jinja compile per rendered file: a bake without hooks or Jinja is ~1.2x.
    "bake_cli_ratio": 1.3,
    # Set when the default suite ran 51 tests against the floor's one; what lies
    # above the floor is test work (client requests, the admin's pages the most),
    # and the suite has grown since (suite_default_tests says by how much).
    "suite_ratio": 1.5,
    # Issue 42: at most half of the suite before its tests stopped waiting.
    "suite_against_ratio": 0.5,
    # Half of what the template's CI allows a run (5,400 s on a 2-core machine),
    # so that the next prompt value fits beside today's proof.
    "matrix_s": 1500,
}

FLOOR_TEST = """\
import pytest


@pytest.mark.django_db
def test_admin_login_page(client):
    assert client.get("/admin/login/").status_code == 200
"""


def medians_of(runs: int, *actions) -> list[float]:
    """The median time of each action, run in turns (a, b, a, b, ...) so that a
    figure and its floor see the same moments of a shared, noisy machine."""
    timings = [[] for _ in actions]
    for _ in range(runs):
        for action, times in zip(actions, timings, strict=True):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in timings]


def report(name: str, value: float, digits: int = 0, note: str = "") -> None:
    """Print ``name=value``, with the goal and met/missed when it has one."""
    parts = [note] if note else []
    if name in GOALS:
        met = "met" if value <= GOALS[name] else "missed"
        parts.append(f"goal <= {GOALS[name]}: {met}")
    print(f"{name}={value:.{digits}f}" + "".join(f"  # {part}" for part in parts))


def bake(template: Path, out: Path) -> Path:
    return Path(
        cookiecutter(
            str(template), no_input=True, output_dir=str(out), overwrite_if_exists=True
        )
    )


@contextlib.contextmanager
def temporary_files_in(directory: Path):
    """Temporary files, ours and child processes', in ``directory``: cookiecutter
    leaves a copy of each hook behind in TMPDIR (cookiecutter#886)."""
    with (
        mock.patch.object(tempfile, "tempdir", str(directory)),
        mock.patch.dict(os.environ, TMPDIR=str(directory)),
    ):
        yield


@contextlib.contextmanager
def output_discarded():
    """The post-generation hook, a child process, prints the next steps on every
    bake; keep the figures readable."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def run_ok(*command, **kwargs) -> subprocess.CompletedProcess:
    completed = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


def floor_template(where: Path) -> Path:
    """A template with one empty file and no hooks: what cookiecutter costs at least."""
    template = where / "floor-template"
    (template / "{{cookiecutter.name}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"name": "floor"}')
    (template / "{{cookiecutter.name}}" / "empty.txt").write_text("")
    return template


def installed(venv: Path, *names: str) -> list[str]:
    """``name==version`` of each distribution as installed in ``venv``."""
    script = (
        "import importlib.metadata as m, sys;"
        "print(*(f'{name}=={m.version(name)}' for name in sys.argv[1:]))"
    )
    return run_ok(venv / "bin" / "python", "-c", script, *names).stdout.split()


def floor_project(where: Path, versions_from: Path) -> Project:
    """`django-admin startproject` with one database test, run by pytest-django in
    an environment of its own: Django, pytest and pytest-django at the versions in
    ``versions_from``, and nothing else. In the project's environment the floor
    would also pay for what the project installs, such as Faker's pytest plugin."""
    path = where / "floor-project"
    path.mkdir()
    django, *test_tools = installed(versions_from, "django", "pytest", "pytest-django")
    (path / "pyproject.toml").write_text(
        "[project]\n"
        'name = "floor"\n'
        'version = "0"\n'
        f"dependencies = {json.dumps([django])}\n"
        "[dependency-groups]\n"
        f"dev = {json.dumps(test_tools)}\n"
    )
    venv = environment_for(path)
    run_ok(venv / "bin" / "django-admin", "startproject", "floor", str(path))
    (path / "pytest.ini").write_text(
        "[pytest]\nDJANGO_SETTINGS_MODULE = floor.settings\n"
    )
    (path / "test_floor.py").write_text(FLOOR_TEST)
    return Project(path=path, venv=venv)


def suite_runner(project: Project):
    def suite() -> str:
        completed = project.run(
            "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed.stdout

    return suite


def matrix(env_cache: Path | None) -> tuple[float, str]:
    """The README's test command, timed, and what it printed; an empty
    environment cache makes it cold."""
    env = dict(os.environ)
    if env_cache:
        env["TEMPLATE_ENV_CACHE"] = str(env_cache)
    start = time.perf_counter()
    completed = run_ok("uv", "run", "pytest", "-n", "auto", "-q", cwd=ROOT, env=env)
    return time.perf_counter() - start, completed.stdout


def phase_seconds(output: str) -> dict[str, float]:
    """The run's own summary of seconds per phase (tests/phases.py)."""
    summary = output.split(PHASES_TITLE, 1)[1]
    return {
        name: float(seconds)
        for seconds, name in re.findall(r"^\s*([\d.]+)  (.+)$", summary, re.M)
    }


def bake_figures(tmp: Path, runs: int) -> None:
    floor = floor_template(tmp)
    with output_discarded():
        in_process, in_process_floor = medians_of(
            runs,
            lambda: bake(ROOT, tmp / "out"),
            lambda: bake(floor, tmp / "floor"),
        )
    report("bake_inprocess_ms", 1000 * in_process)
    report("bake_floor_ms", 1000 * in_process_floor)

    cookiecutter_cli = [sys.executable, "-m", "cookiecutter"]
    cli, cli_floor = medians_of(
        runs,
        lambda: run_ok(
            *cookiecutter_cli,
            "--no-input",
            "--overwrite-if-exists",
            "--output-dir",
            tmp / "cli",
            ROOT,
        ),
        lambda: run_ok(*cookiecutter_cli, "--version"),
    )
    report("bake_cli_ms", 1000 * cli)
    report("cli_floor_ms", 1000 * cli_floor)
    report("bake_cli_ratio", cli / cli_floor, 2)


def suite_figures(tmp: Path, runs: int) -> None:
    with output_discarded():
        default = bake(ROOT, tmp / "suite")
    project = Project(path=default, venv=environment_for(default))
    suite, suite_floor = (
        suite_runner(project),
        suite_runner(floor_project(tmp, versions_from=project.venv)),
    )
    output = suite()  # warm: bytecode compiled, environment built
    suite_floor()
    suite_s, suite_floor_s = medians_of(runs, suite, suite_floor)
    report("suite_default_s", suite_s, 2)
    report("suite_default_tests", int(re.search(r"(\d+) passed", output)[1]))
    report("suite_floor_s", suite_floor_s, 2)
    report("suite_ratio", suite_s / suite_floor_s, 2)


def template_at(revision: str, where: Path) -> Path:
    """The template as it was at ``revision`` of this repository."""
    where.mkdir()
    archive = subprocess.run(
        ["git", "-C", ROOT, "archive", revision], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", where], input=archive, check=True)
    return where


def suite_against_figures(tmp: Path, runs: int, revision: str) -> None:
    """The default suite of this tree and of ``revision``'s, in turns."""
    suites = []
    for name, template in (
        ("now", ROOT),
        ("then", template_at(revision, tmp / "then")),
    ):
        with output_discarded():
            default = bake(template, tmp / f"suite-{name}")
        suites.append(
            suite_runner(Project(path=default, venv=environment_for(default)))
        )
    for suite in suites:
        suite()  # warm: bytecode compiled, environment built
    now, then = medians_of(runs, *suites)
    report("suite_default_s", now, 2)
    report("suite_against_s", then, 2, note=f"the default suite baked from {revision}")
    report("suite_against_ratio", now / then, 2)


def matrix_figures(tmp: Path, cold: bool) -> None:
    report("variants", len(ALL_VARIANTS))
    seconds, output = matrix(tmp / "environments" if cold else None)
    summary = output.strip().splitlines()[-1]
    cache = "an empty environment cache" if cold else "the usual environment cache"
    report("matrix_s", seconds, note=f"{cache}: {summary}")
    for name, value in phase_seconds(output).items():
        slug = re.sub(r"\W+", "_", name.removeprefix("calls in tests/")).strip("_")
        report(f"phase_{slug}_s", value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--matrix", action="store_true", help="also time the whole test run, once"
    )
    parser.add_argument(
        "--suite-against",
        metavar="REVISION",
        help="only the default suite, in turns with the one baked from REVISION",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="with --matrix: build every environment again, in an empty cache",
    )
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with temporary_files_in(tmp):
            if arguments.suite_against:
                suite_against_figures(tmp, arguments.runs, arguments.suite_against)
                return
            bake_figures(tmp, arguments.runs)
            suite_figures(tmp, arguments.runs)
        if arguments.matrix:
            # Outside: the test run keeps its temporary files on tmpfs unless
            # TMPDIR is set.
            matrix_figures(tmp, arguments.cold)


if __name__ == "__main__":
    main()
