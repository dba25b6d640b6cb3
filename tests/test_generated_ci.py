"""A generated project passes its own CI as its users first run it: pushed exactly
as generated (so without the git-ignored .env), every job of its workflow green.

This is where each variant's own test suite runs; nothing else runs it again, but
for the replica tests' single-database form, which CI (with its replica) never takes.
"""

import re
import shlex
import subprocess
import tomllib
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from .actions_cache import ActionsCache
from .ci_replay import clone, commit_as_generated, job_environment, replay_workflow
from .generated import assert_ok
from .services import chromium
from .template import DEFAULT_VARIANT, ids_of_variants_with


@pytest.fixture(scope="session")
def ci_jobs(project, baked, services, tmp_path_factory):
    extra, servers = {}, {}
    if "e2e" in baked.context["test_tiers"]:
        extra["PLAYWRIGHT_CHROMIUM_EXECUTABLE"] = chromium()
    if baked.context["database"] == "postgresql":
        # Only CI's integration job has a replica (its postgres-replica service).
        servers["DATABASE_REPLICA_URL"] = services.replica_url(
            project.env["DATABASE_URL"]
        )
    return replay_workflow(project, tmp_path_factory.mktemp("ci"), extra, servers)


def test_ci_runs_without_the_env_file_that_generation_wrote(ci_jobs, baked):
    assert (baked.project_path / ".env").exists()
    for job in ci_jobs.values():
        assert not (job.checkout / ".env").exists(), job.name


@pytest.mark.slow
def test_every_ci_job_passes_from_a_clean_clone(ci_jobs):
    failures = [job.failure for job in ci_jobs.values() if job.failure]
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
def test_each_tier_job_runs_only_its_tier_and_skips_nothing(ci_jobs, baked):
    """A skipped test is a promise not checked (say, a service binary missing)."""
    chosen = baked.context["test_tiers"].split("+")
    for tier in chosen:
        job = ci_jobs[tier]
        assert job.failure is None, job.failure
        [report] = job.reports
        suite = ElementTree.parse(report).getroot().find("testsuite")
        assert int(suite.get("skipped")) == 0, (tier, suite.attrib)
        ran = Counter(
            case.get("classname").split(".")[1] for case in suite.iter("testcase")
        )
        assert set(ran) == {tier} and ran[tier] > 0, (tier, ran)


def test_steps_not_run_here_each_say_why(ci_jobs):
    for job in ci_jobs.values():
        for step in job.steps:
            assert (step.command is None) == bool(step.provided_because), step


def test_ci_and_image_install_exactly_the_committed_lockfile(ci_jobs):
    for job in ci_jobs.values():
        syncs = [
            step.command for step in job.steps if "uv sync" in (step.command or "")
        ]
        assert syncs == ["uv sync --locked"], (job.name, syncs)
    dockerfile = (ci_jobs["lint"].checkout / "Dockerfile").read_text()
    assert "COPY pyproject.toml uv.lock ./" in dockerfile
    assert "RUN uv sync --locked --no-dev --no-install-project" in dockerfile


def test_the_lint_job_leaves_mypys_cache_for_the_runs_after_it(ci_jobs):
    """Restored by prefix, as teams cache it with actions/cache: a later run, or
    another variant, checks again only what differs."""
    [key] = ci_jobs["lint"].cached
    assert key.startswith("mypy-")
    saved = ActionsCache.of_this_run().directory / key
    assert list(saved.glob("3.*/cache*.db")), sorted(saved.rglob("*"))


def sync_locked(checkout: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["uv", "sync", "--locked"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )


def test_a_missing_or_stale_lockfile_fails_the_install(project, tmp_path):
    checkout = clone(commit_as_generated(project.path), tmp_path / "checkout")
    # A scratch environment: a sync that went through must not touch the shared one.
    env = job_environment(
        {}, project, {"UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv")}, servers={}
    )
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('    "whitenoise', '    # "whitenoise')
    )
    stale = sync_locked(checkout, env)
    assert stale.returncode != 0 and "needs to be updated" in stale.stderr, stale.stderr
    (checkout / "uv.lock").unlink()
    missing = sync_locked(checkout, env)
    assert missing.returncode != 0 and "Unable to find lockfile" in missing.stderr, (
        missing.stderr
    )


def test_the_lint_job_runs_every_pre_commit_hook_at_its_pinned_version(ci_jobs):
    """pre-commit validates its file, installs each hook at its pin (a version that
    does not exist fails the install) and runs it on every file."""
    lint = ci_jobs["lint"]
    config = yaml.safe_load((lint.checkout / ".pre-commit-config.yaml").read_text())
    names = [hook["name"] for repo in config["repos"] for hook in repo["hooks"]]
    [step] = [step for step in lint.steps if "pre-commit run" in (step.command or "")]
    assert step.completed.returncode == 0, step.completed.stdout
    for name in names:
        assert re.search(
            rf"^{re.escape(name)}\.+Passed$", step.completed.stdout, re.M
        ), name


def test_each_tier_job_fails_below_the_coverage_its_tests_reach(ci_jobs, baked):
    """Each tier's floor is what its tests cover in every variant: pytest-cov
    reports it reached, and a tier covering less would fail its job."""
    for tier in baked.context["test_tiers"].split("+"):
        [step] = [
            step
            for step in ci_jobs[tier].steps
            if "--cov-fail-under=" in (step.command or "")
        ]
        floor = re.search(r"--cov-fail-under=(\d+)", step.command)[1]
        output = step.completed.stdout
        assert f"Required test coverage of {floor}% reached" in output, output[-2000:]


@pytest.mark.parametrize(
    "baked", ids_of_variants_with(**DEFAULT_VARIANT), ids=str, indirect=True
)
def test_a_total_a_fraction_under_its_floor_fails_the_job(project):
    """pytest-cov fails the run when coverage's should_fail_under says so, at the
    precision of the project's [tool.coverage.report]; at whole percents, 51.6%
    would pass a floor of 52 while printing that it was not reached. The setting
    is the same in every variant."""
    completed = project.run(
        "python",
        "-c",
        "from coverage import Coverage; from coverage.results import should_fail_under;"
        "print(should_fail_under(51.6, 52, Coverage().config.precision))",
    )
    assert_ok(completed)
    assert completed.stdout.strip() == "True"


def test_pytest_cov_and_xdist_load_as_pytest_normally_loads_plugins(
    ci_jobs, project, baked
):
    """pytest-cov and pytest-xdist, as a team adds them, answer their options with no
    `-p` to name them: every tier job's pytest lists both among the plugins it
    loaded and reports its coverage (the check above), and the integration job's
    `-n auto` starts its workers."""
    pyproject = tomllib.loads((project.path / "pyproject.toml").read_text())
    addopts = shlex.split(pyproject["tool"]["pytest"]["ini_options"]["addopts"])
    assert "--disable-plugin-autoload" not in addopts and "-p" not in addopts
    tiers = baked.context["test_tiers"].split("+")
    for tier in tiers:
        [step] = [
            step for step in ci_jobs[tier].steps if "pytest" in (step.command or "")
        ]
        [plugins] = re.findall(r"^plugins: (.*)$", step.completed.stdout, re.M)
        assert {"cov", "xdist"} <= {
            name.rsplit("-", 1)[0] for name in plugins.split(", ")
        }
    spread = [
        step
        for job in ci_jobs.values()
        for step in job.steps
        if re.search(r"\s-n auto\b", step.command or "")
    ]
    assert len(spread) == ("integration" in tiers), spread
    for step in spread:
        output = step.completed.stdout
        assert re.search(r"^\d+ workers \[", output, re.M), output[-2000:]


@pytest.mark.parametrize(
    "baked",
    [
        *ids_of_variants_with(database="postgresql", test_tiers="unit+integration"),
        *ids_of_variants_with(database="postgresql", test_tiers="unit+integration+e2e"),
    ],
    ids=str,
    indirect=True,
)
def test_the_replica_tests_pass_on_one_database_where_no_replica_is_set(project, baked):
    """As on a developer's machine without DATABASE_REPLICA_URL: the same tests
    check the single-database form, and none is skipped."""
    completed = project.run(
        "python",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests/integration/test_replicas.py",
    )
    assert_ok(completed)
    summary = completed.stdout.strip().splitlines()[-1]
    assert re.search(r"\b\d+ passed\b", summary) and "skipped" not in summary, summary
