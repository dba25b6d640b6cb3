"""What the hooks promise: clear refusals, nothing left behind, free text intact."""

import ast
import fnmatch
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from cookiecutter.generate import is_copy_only_path
from cookiecutter.main import cookiecutter

from .template import COOKIECUTTER_JSON, DEFAULT_VARIANT, ROOT, load_hook

pre_gen = load_hook("pre_gen_project")


NOT_IDENTIFIER = "must be a lowercase Python identifier: ASCII letters, digits and underscores, not starting with a digit"
KEYWORD = "is a Python keyword"
STDLIB = "would shadow the standard-library module of that name"
PROJECT_MODULE = "would shadow a module the generated project imports"


@pytest.mark.parametrize(
    ("slug", "rule"),
    [
        ("My-Project", NOT_IDENTIFIER),
        ("2fast", NOT_IDENTIFIER),
        ("../escape", NOT_IDENTIFIER),
        ("café", NOT_IDENTIFIER),
        ("", "is empty: answer it with a lowercase Python identifier such as my_shop"),
        ("class", KEYWORD),
        ("match", KEYWORD),
        ("site", STDLIB),
        ("test", STDLIB),
        ("django", PROJECT_MODULE),
        ("config", PROJECT_MODULE),
        ("users", PROJECT_MODULE),
        ("core", PROJECT_MODULE),
        ("blog", PROJECT_MODULE),
        ("redis", PROJECT_MODULE),
        ("tests", PROJECT_MODULE),
    ],
)
def test_pre_gen_refuses_a_slug_in_one_sentence_naming_it_and_the_rule(
    slug, rule, capsys
):
    assert pre_gen.main({"project_slug": slug}) == 1
    assert capsys.readouterr().err == f"ERROR: project_slug {slug!r} {rule}.\n"


@pytest.mark.parametrize("slug", ["shop", "my_project", "_internal", "blog2"])
def test_pre_gen_accepts_a_valid_slug(slug, capsys):
    assert pre_gen.main({"project_slug": slug}) == 0
    assert capsys.readouterr().err == ""


def test_the_project_directory_is_named_so_any_slug_reaches_the_hook():
    [directory] = [path.name for path in ROOT.iterdir() if "{{" in path.name]
    assert f"project_slug[:{pre_gen.SLUG_MAX_LENGTH}] or " in directory


def test_a_refused_bake_leaves_no_directory_and_says_why(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "--output-dir",
            tmp_path,
            ROOT,
            "project_slug=django",
        ],
        capture_output=True,
        text=True,
    )
    assert completed.returncode != 0
    assert (
        "ERROR: project_slug 'django' would shadow a module the generated project imports."
        in completed.stderr
    )
    assert list(tmp_path.iterdir()) == []


FREE_TEXT = {
    "project_name": 'Zoë\'s "Quoted" \\ Café 🚀',
    "description": 'Says "hi", uses C:\\path\\ and {braces}; émigré ünïcode — ok',
    "author_name": 'Seán O\'Brien \\ "Jr"',
}


@pytest.fixture(scope="module")
def free_text_project(bake):
    return bake({**DEFAULT_VARIANT, **FREE_TEXT}).project_path


def test_free_text_renders_into_valid_python_and_toml(free_text_project):
    pyproject = tomllib.loads(
        (free_text_project / "pyproject.toml").read_text(encoding="utf-8")
    )
    assert pyproject["project"]["description"] == FREE_TEXT["description"]
    assert pyproject["project"]["authors"][0]["name"] == FREE_TEXT["author_name"]
    for path in free_text_project.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    settings = ast.parse(
        (free_text_project / "config" / "settings" / "base.py").read_text(
            encoding="utf-8"
        )
    )
    [project_name] = [
        ast.literal_eval(node.value)
        for node in settings.body
        if isinstance(node, ast.Assign) and node.targets[0].id == "PROJECT_NAME"
    ]
    assert project_name == FREE_TEXT["project_name"]


def test_free_text_is_shown_verbatim_in_the_readme(free_text_project):
    readme = (free_text_project / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {FREE_TEXT['project_name']}\n")
    assert FREE_TEXT["description"] in readme


@pytest.mark.slow
def test_free_text_project_passes_its_own_suite(free_text_project):
    from .generated import Project, environment_for

    project = Project(path=free_text_project, venv=environment_for(free_text_project))
    completed = project.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert completed.returncode == 0, completed.stdout + completed.stderr


def env_values(project) -> dict[str, str]:
    lines = (project / ".env").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_two_bakes_never_share_a_secret(tmp_path):
    first, second = (
        Path(cookiecutter(str(ROOT), no_input=True, output_dir=tmp_path / name))
        for name in ("first", "second")
    )
    assert (
        env_values(first)["DJANGO_SECRET_KEY"]
        != env_values(second)["DJANGO_SECRET_KEY"]
    )


def test_baking_over_a_project_keeps_its_env_file(tmp_path):
    project = Path(cookiecutter(str(ROOT), no_input=True, output_dir=tmp_path))
    before = env_values(project)
    cookiecutter(
        str(ROOT), no_input=True, output_dir=tmp_path, overwrite_if_exists=True
    )
    assert env_values(project) == before


def test_the_hooks_ignore_modules_planted_in_the_temp_directory(tmp_path, monkeypatch):
    """Cookiecutter runs each hook from the system temp directory, where anyone
    can write: a module left there must not stand in for the standard library."""
    temp = tmp_path / "shared-temp"
    temp.mkdir()
    ran = tmp_path / "planted-module-ran"
    for module in ("base64", "json", "re", "shutil", "zoneinfo"):
        (temp / f"{module}.py").write_text(f"open({str(ran)!r}, 'w')\n")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    project = Path(cookiecutter(str(ROOT), no_input=True, output_dir=tmp_path))
    assert (project / ".env").exists()
    assert not ran.exists()


TEMPLATE_DIR = next(ROOT.glob("*cookiecutter.project_slug*"))
TEMPLATE_PATHS = sorted(
    path.relative_to(TEMPLATE_DIR) for path in TEMPLATE_DIR.glob("**/*")
)
JINJA = re.compile(r"\{\{|\{%|\{#")


def copied_verbatim(path: Path) -> bool:
    """Cookiecutter's own decision: patterns match paths relative to the template
    folder, and a folder that matches is copied whole."""
    context = {"cookiecutter": COOKIECUTTER_JSON}
    return any(
        is_copy_only_path(str(candidate), context)
        for candidate in [path, *path.parents[:-1]]
    )


@pytest.mark.parametrize(
    "path",
    [path for path in TEMPLATE_PATHS if (TEMPLATE_DIR / path).is_file()],
    ids=str,
)
def test_a_file_is_rendered_exactly_when_it_uses_jinja(path: Path):
    """Rendering costs a Jinja compile per file on every bake: files without
    Jinja are copied as they are, and nothing copied needs rendering."""
    text = (TEMPLATE_DIR / path).read_text(encoding="utf-8")
    if copied_verbatim(path):
        # Django templates have {% %} of their own; only cookiecutter's would be lost.
        assert "cookiecutter." not in text, f"{path} needs rendering"
    else:
        assert JINJA.search(text), f"add {path} to _copy_without_render"


@pytest.mark.parametrize("pattern", COOKIECUTTER_JSON["_copy_without_render"])
def test_every_copy_without_render_pattern_matches_a_template_path(pattern: str):
    assert any(fnmatch.fnmatch(str(path), pattern) for path in TEMPLATE_PATHS)
