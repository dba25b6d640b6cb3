"""The upgrade path: a project made with cruft takes a later template commit and
keeps its own changes."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .generated import Project, environment_for
from .template import ROOT

CRUFT = [sys.executable, "-m", "cruft"]
PROJECT_DIR = next(path.name for path in ROOT.iterdir() if "{{" in path.name)


def git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def run(cwd: Path, *command: str) -> subprocess.CompletedProcess:
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


@pytest.fixture
def template_repo(tmp_path) -> Path:
    """This template as a git repository of its own, at its first commit."""
    repo = tmp_path / "template"
    shutil.copytree(
        ROOT,
        repo,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"
        ),
    )
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", "Template v1")
    return repo


@pytest.fixture
def created(template_repo, tmp_path) -> Path:
    """A project made with cruft from the template's first commit, committed."""
    first = git(template_repo, "rev-parse", "HEAD")
    run(
        tmp_path,
        *CRUFT,
        "create",
        str(template_repo),
        "--no-input",
        "--checkout",
        first,
    )
    project = tmp_path / "my_project"
    git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "Generated")
    return project


def commit_template(template_repo: Path, message: str) -> str:
    git(template_repo, "commit", "--quiet", "--all", "--message", message)
    return git(template_repo, "rev-parse", "HEAD")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_cruft_update_applies_template_changes_and_keeps_the_users(
    template_repo, created
):
    project = created
    env_before = (project / ".env").read_text(encoding="utf-8")

    # The user changes a setting and the README ...
    base = project / "config" / "settings" / "base.py"
    base.write_text(
        base.read_text(encoding="utf-8").replace(
            'LANGUAGE_CODE = "en-us"', 'LANGUAGE_CODE = "fr-fr"'
        ),
        encoding="utf-8",
    )
    with (project / "README.md").open("a", encoding="utf-8") as readme:
        readme.write("\nOur own deployment notes.\n")
    git(project, "commit", "--quiet", "--all", "--message", "Our changes")

    # ... while the template changes a file the user did not touch.
    compose = template_repo / PROJECT_DIR / "compose.yaml"
    compose.write_text(
        "# Changed upstream.\n" + compose.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    second = commit_template(template_repo, "Template v2")

    run(project, *CRUFT, "update", "--skip-apply-ask", "--checkout", second)

    assert (
        (project / "compose.yaml")
        .read_text(encoding="utf-8")
        .startswith("# Changed upstream.\n")
    )
    assert 'LANGUAGE_CODE = "fr-fr"' in base.read_text(encoding="utf-8")
    assert (
        (project / "README.md")
        .read_text(encoding="utf-8")
        .endswith("\nOur own deployment notes.\n")
    )
    # The project's secrets are its own: never patched, no rejected hunks.
    assert (project / ".env").read_text(encoding="utf-8") == env_before
    assert list(project.rglob("*.rej")) == []
    cruft_state = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert cruft_state["commit"] == second
    assert cruft_state["context"]["cookiecutter"]["project_slug"] == "my_project"
    checked = Project(path=project, venv=environment_for(project)).manage("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("in_git", [True, False], ids=["in-git", "outside-git"])
def test_a_template_change_that_clashes_with_the_users_is_left_for_them_to_resolve(
    template_repo, created, in_git
):
    base = created / "config" / "settings" / "base.py"
    replace_in(base, 'LANGUAGE_CODE = "en-us"', 'LANGUAGE_CODE = "fr-fr"')
    git(created, "commit", "--quiet", "--all", "--message", "Our language")
    if not in_git:
        shutil.rmtree(created / ".git")
    replace_in(
        template_repo / PROJECT_DIR / "config" / "settings" / "base.py",
        'LANGUAGE_CODE = "en-us"',
        'LANGUAGE_CODE = "en-gb"',
    )
    second = commit_template(template_repo, "Template v2")

    run(created, *CRUFT, "update", "--skip-apply-ask", "--checkout", second)

    # The user's line stays, and the template's is kept for them to choose from:
    # in git as a merge conflict in the file, outside git in a .rej file beside it.
    assert 'LANGUAGE_CODE = "fr-fr"' in base.read_text(encoding="utf-8")
    if in_git:
        assert (
            git(created, "status", "--short", str(base)) == "UU config/settings/base.py"
        )
        assert 'LANGUAGE_CODE = "en-gb"' in base.read_text(encoding="utf-8")
    else:
        rejected = base.with_name("base.py.rej")
        assert 'LANGUAGE_CODE = "en-gb"' in rejected.read_text(encoding="utf-8")


def test_a_file_the_template_removes_leaves_the_project(template_repo, created):
    git(template_repo, "rm", "--quiet", f"{PROJECT_DIR}/.pre-commit-config.yaml")
    second = commit_template(template_repo, "Template v2")

    run(created, *CRUFT, "update", "--skip-apply-ask", "--checkout", second)

    assert not (created / ".pre-commit-config.yaml").exists()
    assert (created / "compose.yaml").exists()
