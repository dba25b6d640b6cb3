"""Run a baked project's own GitHub workflow as a user's first push would.

The project is committed to a fresh repository and cloned, so each job starts from
tracked files only (no ``.env``), and runs its ``run:`` steps in order with the
job's ``env:``; its ``services:`` are the harness's real servers. What GitHub
provides and this machine cannot is mapped in ``provided_here``, each with why.
"""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .actions_cache import ActionsCache
from .generated import Project, environment_without_the_harness
from .phases import phase
from .services import SERVICE_VARIABLES

UV_DIRECTORY = sysconfig.get_path("scripts")
HARNESS_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
GIT_IDENTITY = {
    f"GIT_{role}_{part}": value
    for role in ("AUTHOR", "COMMITTER")
    for part, value in (("NAME", "CI replay"), ("EMAIL", "replay@example.com"))
}


def first_steps(project: Path) -> str:
    """The commands the generated README's "Set up" section opens with, which lock
    the dependencies and commit the project."""
    setup = (project / "README.md").read_text(encoding="utf-8").split("## Set up")[1]
    return re.search(r"```sh\n(.*?)```", setup, re.DOTALL)[1]


def commit_as_generated(project: Path) -> Path:
    """The project as the README's first steps leave it (`uv lock`, then `git init`,
    `add` and `commit`): a repository to clone from, holding exactly what .gitignore
    lets through, uv.lock included."""
    repository = project.with_name(f"{project.name}-origin")
    if repository.exists():
        return repository
    shutil.copytree(project, repository, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        **environment_without_the_harness(),
        "PATH": f"{UV_DIRECTORY}{os.pathsep}{os.environ.get('PATH', '')}",
        # Resolved from uv's cache, which environment_for filled online.
        "UV_OFFLINE": "1",
        "UV_PYTHON": sys.executable,
        **GIT_IDENTITY,
    }
    with phase("push: uv lock, git init and commit"):
        subprocess.run(
            ["bash", "-eo", "pipefail", "-c", first_steps(project)],
            cwd=repository,
            env=env,
            check=True,
            capture_output=True,
        )
    return repository


def clone(repository: Path, into: Path) -> Path:
    subprocess.run(
        ["git", "clone", "--quiet", repository, into],
        check=True,
        capture_output=True,
    )
    return into


@dataclass
class Step:
    """One step of a job: its command, or why it is not run here."""

    name: str
    command: str | None = None
    provided_because: str | None = None
    completed: subprocess.CompletedProcess | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.completed is not None and self.completed.returncode != 0


@dataclass
class Job:
    name: str
    checkout: Path
    steps: list[Step] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)  # keys saved for later jobs

    @property
    def failure(self) -> str | None:
        for step in self.steps:
            if step.failed:
                output = step.completed.stdout + step.completed.stderr
                return f"job {self.name!r}, step {step.command!r}:\n{output[-6000:]}"
        return None


def provided_here(step: dict) -> str | None:
    """Why a step of GitHub's is not run here, or None when it runs as written.
    A step this does not know fails the replay rather than pass unseen."""
    uses = step.get("uses", "")
    command = step.get("run", "")
    if uses.startswith("actions/checkout@"):
        return "the job runs in a fresh clone of the project"
    if uses.startswith("astral-sh/setup-uv@"):
        wanted = str(step.get("with", {}).get("python-version"))
        if wanted != HARNESS_PYTHON:
            raise AssertionError(
                f"setup-uv asks for Python {wanted}; the replay has {HARNESS_PYTHON}"
            )
        return "uv and this Python are the harness's own; uv's cache is warm, as setup-uv's enable-cache keeps it"
    if uses.startswith("actions/upload-artifact@") and step.get("if") == "failure()":
        return "it only uploads a failed run's results; the replay reports them itself"
    if command == "uv run playwright install --with-deps chromium":
        return "Playwright cannot download browsers here; PLAYWRIGHT_CHROMIUM_EXECUTABLE names the system's Chromium headless shell"
    if installed := re.fullmatch(
        r"sudo apt-get update && sudo apt-get install -y ([\w-]+)", command
    ):
        binary = installed[1]
        if not shutil.which(binary):
            raise AssertionError(f"{binary} is not installed (.ci/run installs it)")
        return f"{binary} is installed on this machine already (.ci/run does it)"
    if uses or "if" in step:
        raise AssertionError(f"the replay does not know how to run {step}")
    return None


def job_environment(
    job: dict,
    project: Project,
    extra: dict[str, str],
    servers: dict[str, str],
) -> dict[str, str]:
    """The job's ``env:`` with each service address that points at a port the job's
    ``services:`` publish moved to the harness's server for that service: the
    project's own, or one of ``servers`` (by variable) that only CI uses."""
    env = {name: str(value) for name, value in job.get("env", {}).items()}
    addresses = {**project.env, **servers}
    for service, definition in job.get("services", {}).items():
        variable = SERVICE_VARIABLES[service]
        published = {int(port.split(":")[0]) for port in definition.get("ports", [])}
        for name, value in env.items():
            if urlsplit(value).port in published:
                assert name == variable, f"{name} points at the {service} service"
                env[name] = addresses[variable]
    # Nor the harness's own service addresses and switches.
    harness = {
        name: value
        for name, value in environment_without_the_harness().items()
        if not name.startswith(("TEST_", "TEMPLATE_"))
        and name != "REQUIRE_SERVICES"
        and not name.endswith("_URL")
    }
    return {
        **harness,
        "PATH": f"{UV_DIRECTORY}{os.pathsep}{harness.get('PATH', '')}",
        "CI": "true",
        # The environment uv sync fills is the harness's, built once for every
        # variant with these dependencies; resolution from uv's warm cache.
        "UV_PROJECT_ENVIRONMENT": str(project.venv),
        "UV_PYTHON": sys.executable,
        "UV_OFFLINE": "1",
        **extra,
        **env,
    }


def run_job(
    name: str,
    job: dict,
    checkout: Path,
    project: Project,
    reports: Path,
    extra: dict[str, str],
    servers: dict[str, str],
) -> Job:
    env = job_environment(job, project, extra, servers)
    result = Job(name, checkout)
    cache = ActionsCache.of_this_run()
    to_save = []
    for number, step in enumerate(job["steps"]):
        if step.get("uses", "").startswith("actions/cache@"):
            key, restored = cache.restore(step, checkout)
            to_save.append((step, key))
            because = f"the run's cache directory stands for GitHub's cache: restored {restored or 'nothing'}"
            result.steps.append(Step(step["uses"], None, because))
            continue
        because = provided_here(step)
        if because:
            result.steps.append(Step(step.get("uses", step.get("run")), None, because))
            continue
        command = step["run"]
        report = reports / f"{name}-{number}.xml"
        step_env = {**env, "PYTEST_ADDOPTS": f"--junitxml={report}"}
        started = time.perf_counter()
        completed = subprocess.run(
            # GitHub's own shell for run: steps on Linux.
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
            cwd=checkout,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        elapsed = time.perf_counter() - started
        result.steps.append(Step(command, command, None, completed, elapsed))
        if report.exists():
            result.reports.append(report)
        if completed.returncode != 0:
            return result
    for step, key in to_save:
        cache.save(step, key, checkout)
        result.cached.append(key)
    return result


def replay_workflow(
    project: Project, workdir: Path, extra: dict[str, str], servers: dict[str, str]
) -> dict[str, Job]:
    """Every job of the project's CI, each from a clean clone, in file order."""
    repository = commit_as_generated(project.path)
    workflow = yaml.safe_load(
        (repository / ".github" / "workflows" / "ci.yml").read_text()
    )
    jobs = {}
    for name, job in workflow["jobs"].items():
        with phase(f"CI job {name}"):
            checkout = clone(repository, workdir / name)
            jobs[name] = run_job(name, job, checkout, project, workdir, extra, servers)
    return jobs
