"""What every variant renders: no Jinja left over, nothing pruned or unchosen
mentioned, no blank-line scars, and files that speak of the project alone."""

import re
from pathlib import Path

from .generated import project_files, text_of
from .template import load_hook

UNRENDERED = re.compile(r"\{\{|\{%|\bcookiecutter\.")
# GitHub's workflows have expressions of their own, ${{ }}, which Jinja would take.
UNRENDERED_IN_WORKFLOWS = re.compile(r"(?<!\$)\{\{|\{%|\bcookiecutter\.")
# Django templates use {% %} and {{ }} themselves: only a cookiecutter variable is a leftover.
UNRENDERED_IN_DJANGO_TEMPLATES = re.compile(r"\bcookiecutter\.")
# What a file would say about the template, its tests or their timings.
ABOUT_THE_TEMPLATE = re.compile(
    r"\bthe template\b|\btemplate's\b|\bharness\b|\bcookiecutter template\b"
    r"|\b\d+(\.\d+)? ?m?s (of|instead of) \d+(\.\d+)? ?m?s\b",
    re.IGNORECASE,
)
pruning = load_hook("post_gen_project")


def references_to(relative: str) -> re.Pattern:
    """How a remaining file could refer to a pruned path: the path itself, and for
    a Python module its dotted name, its file name and relative imports of it; for a
    folder, its name. A file name inside another folder's path (tests/conftest.py
    for a pruned tests/integration/conftest.py) is another file."""
    path = Path(relative)
    if path.suffix == ".py":
        stem = re.escape(path.stem)
        forms = [
            re.escape(relative),
            re.escape(".".join(path.with_suffix("").parts)),
            rf"(?<![\w/.]){stem}\.py\b",
            rf"from \.{stem} import",
            rf"from \. import {stem}\b",
        ]
    else:
        forms = [re.escape(relative), rf"\b{re.escape(path.name)}\b"]
    return re.compile("|".join(forms))


def test_no_unrendered_jinja_in_any_path_or_file(baked):
    for path in project_files(baked.project_path):
        relative = path.relative_to(baked.project_path)
        # Django's templates, pages and e-mails alike, live under templates/.
        if "templates" in relative.parts:
            leftover = UNRENDERED_IN_DJANGO_TEMPLATES
        elif relative.parts[:2] == (".github", "workflows"):
            leftover = UNRENDERED_IN_WORKFLOWS
        else:
            leftover = UNRENDERED
        assert not UNRENDERED.search(str(relative)), relative
        assert not leftover.search(text_of(path)), relative


def test_pruned_paths_are_gone_and_nothing_refers_to_them(baked):
    pruned = pruning.pruned_paths(baked.context)
    for relative in pruned:
        assert not (baked.project_path / relative).exists(), relative
    for path in project_files(baked.project_path):
        text = text_of(path)
        for relative in pruned:
            match = references_to(relative).search(text)
            assert not match, (
                f"{path.relative_to(baked.project_path)} mentions pruned {relative}: {match[0]!r}"
            )


def test_a_service_layer_exists_exactly_when_chosen(baked):
    """services.py (writes) and selectors.py (reads) in each app with models when the
    service layer is chosen; none without it, where model managers and forms do the
    same work and a second copy would be dead code."""
    package = baked.project_path / baked.context["project_slug"]
    found = {
        path.relative_to(package).as_posix()
        for name in ("services.py", "selectors.py")
        for path in package.glob(f"*/{name}")
    }
    apps = ["users", "blog"] if baked.context["include_example_app"] else ["users"]
    layer = {
        f"{app}/{name}" for app in apps for name in ("services.py", "selectors.py")
    }
    assert found == (layer if baked.context["use_service_layer"] else set())


# What betrays a backing service in a project that did not choose it.
MENTIONS = {
    row["answer"]: re.compile(row["mentions"], re.IGNORECASE)
    for row in pruning.BACKING_SERVICES.values()
}


def test_no_file_mentions_a_backend_the_variant_did_not_choose(baked):
    unchosen = [
        pattern
        for (prompt, answer), pattern in MENTIONS.items()
        if baked.context[prompt] != answer
    ]
    for path in project_files(baked.project_path):
        text = text_of(path)
        for pattern in unchosen:
            match = pattern.search(text)
            assert not match, (
                f"{path.relative_to(baked.project_path)} mentions {match[0]!r}"
            )


def test_no_blank_line_scars_outside_python(baked):
    # ruff format owns blank lines in Python; everywhere else no run of blank
    # lines, no leading blank line, and exactly one newline at the end.
    for path in project_files(baked.project_path):
        if path.suffix == ".py" or path.stat().st_size == 0:
            continue
        text = text_of(path)
        relative = path.relative_to(baked.project_path)
        assert "\n\n\n" not in text, f"{relative} has a run of blank lines"
        assert not text.startswith("\n"), f"{relative} starts with a blank line"
        assert text.endswith("\n") and not text.endswith("\n\n"), (
            f"{relative} does not end in one newline"
        )


def test_readme_headings_each_start_a_block(baked):
    """A heading glued to the line before it (a table row, say) renders as text."""
    lines = text_of(baked.project_path / "README.md").splitlines()
    in_code = False
    for number, (before, line) in enumerate(zip(["", *lines], lines, strict=False), 1):
        if line.startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        assert not re.search(r"[^#\s]\s*#{2,6} ", line), f"README.md:{number}: {line!r}"
        if line.startswith("#") and number > 1:
            assert not before.strip(), f"README.md:{number} follows {before!r}"


def test_generated_files_speak_of_the_project_alone(baked):
    """Comments and docs explain the project: never the template that made it, its
    tests or what they measured."""
    for path in project_files(baked.project_path):
        match = ABOUT_THE_TEMPLATE.search(text_of(path))
        assert not match, f"{path.relative_to(baked.project_path)} says {match[0]!r}"
