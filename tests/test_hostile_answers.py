"""Hostile answers end in a working project that shows them verbatim, or in a clean
refusal: one sentence naming the answer and the rule, and no directory left behind."""

import ast
import os
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest
import yaml

from .generated import Project, environment_for
from .hostile_answers import CASES, Case
from .template import COOKIECUTTER_JSON, ROOT

PROMPTS = [name for name in COOKIECUTTER_JSON if not name.startswith("_")]
DEFAULTS = {
    name: value
    for name, value in COOKIECUTTER_JSON.items()
    if isinstance(value, str) and "{{" not in value
}


def can_be_typed(value: str) -> bool:
    """Prompts read one stripped line; an empty line means the default."""
    return value != "" and value == value.strip() and value.isprintable()


def cookiecutter_cli(answers: dict, output_dir: Path, *options: str):
    """Run cookiecutter as a user would: typing each answer at its prompt when it
    can be typed (then cookiecutter renders none of it), else on the command line."""
    command = [sys.executable, "-m", "cookiecutter", "--output-dir", output_dir]
    if all(can_be_typed(value) for value in answers.values()):
        typed = "".join(f"{answers.get(name, '')}\n" for name in PROMPTS)
        command += [*options, ROOT]
    else:
        typed = ""
        command += ["--no-input", *options, ROOT]
        command += [f"{name}={value}" for name, value in answers.items()]
    return subprocess.run(
        command,
        input=typed,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_the_corpus_covers_every_category_with_bakes_and_refusals():
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)
    categories = Counter(case.category for case in CASES)
    assert len(categories) >= 15
    outcomes = Counter("bakes" if case.refused is None else "refused" for case in CASES)
    assert outcomes["bakes"] >= 15 and outcomes["refused"] >= 15


def literal_assignments(path: Path) -> dict:
    """NAME = "literal" assignments of a settings module, evaluated."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
    }


def assert_parses_and_shows_answers_verbatim(project: Path, answers: dict) -> None:
    for path in project.rglob("*"):
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        elif path.suffix == ".toml":
            tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in {".yaml", ".yml"}:
            yaml.safe_load(path.read_text(encoding="utf-8"))
        elif path.suffix == ".md":
            path.read_text(encoding="utf-8")
    settings = literal_assignments(project / "config" / "settings" / "base.py")
    assert settings["PROJECT_NAME"] == answers["project_name"]
    assert settings["DOMAIN_NAME"] == answers["domain_name"]
    assert settings["TIME_ZONE"] == answers["timezone"]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    metadata = pyproject["project"]
    assert metadata["description"] == answers["description"]
    assert metadata["version"] == answers["version"]
    assert metadata["authors"] == [
        {"name": answers["author_name"], "email": answers["email"]}
    ]
    readme = (project / "README.md").read_text(encoding="utf-8").splitlines()
    assert readme[0] == f"# {answers['project_name']}"
    assert readme[2] == answers["description"]


def bake_case(case: Case, output_dir: Path) -> Path:
    completed = cookiecutter_cli(case.answers, output_dir)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    [project] = output_dir.iterdir()
    return project


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_a_hostile_answer_bakes_verbatim_or_is_refused_cleanly(case, tmp_path):
    completed = cookiecutter_cli(case.answers, tmp_path)
    if case.refused is None:
        assert completed.returncode == 0, completed.stdout + completed.stderr
        [project] = tmp_path.iterdir()
        assert_parses_and_shows_answers_verbatim(project, {**DEFAULTS, **case.answers})
    else:
        assert completed.returncode != 0
        errors = [
            line
            for line in completed.stderr.splitlines()
            if line.startswith("ERROR:") and "Stopping generation" not in line
        ]
        assert len(errors) == 1, completed.stderr
        assert errors[0].startswith(f"ERROR: {case.refused} ")
        assert errors[0].endswith(".")
        assert list(tmp_path.iterdir()) == []


SAMPLES = {case.category: case for case in reversed(CASES) if case.refused is None}


@pytest.mark.slow
@pytest.mark.parametrize("case", SAMPLES.values(), ids=lambda case: case.category)
def test_a_baked_sample_of_each_category_passes_check_and_its_own_suite(case, tmp_path):
    path = bake_case(case, tmp_path)
    project = Project(path=path, venv=environment_for(path))
    checked = project.manage("check", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    suite = project.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert suite.returncode == 0, suite.stdout + suite.stderr


def test_a_refusal_leaves_an_existing_project_directory_untouched(tmp_path):
    existing = tmp_path / "shop"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = cookiecutter_cli(
        {"project_slug": "shop", "email": "not an address"},
        tmp_path,
        "--overwrite-if-exists",
    )
    assert refused.returncode != 0
    assert "ERROR: email 'not an address'" in refused.stderr
    assert [path.name for path in existing.iterdir()] == ["notes.txt"]
    assert (existing / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_bake_never_clobbers_an_existing_directory_unless_asked(tmp_path):
    existing = tmp_path / "shop"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine\n", encoding="utf-8")
    completed = cookiecutter_cli({"project_slug": "shop"}, tmp_path)
    assert completed.returncode != 0
    assert "already exists" in completed.stdout + completed.stderr
    assert [path.name for path in existing.iterdir()] == ["notes.txt"]
