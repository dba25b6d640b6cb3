"""A newcomer's path is short: the README speaks to users and reaches its two
commands early; CONTRIBUTING.md speaks to maintainers and reaches adding a choice
early."""

import re

from .template import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def line_of(text: str, heading: str) -> int:
    return text.splitlines().index(heading) + 1


def test_the_readme_stays_short_enough_to_read_through():
    assert len(README.encode()) <= 9000


def test_the_readme_reaches_its_two_commands_within_forty_lines():
    lines = README.splitlines()
    marker = lines.index("<!-- test-command -->")
    assert marker + 3 <= 40
    assert lines[marker + 2] == "uv run pytest -n auto"
    generate = next(
        n
        for n, line in enumerate(lines)
        if "cookiecutter" in line and line.startswith("uvx ")
    )
    assert generate < marker


def test_the_readme_sends_maintainers_to_the_contributing_guide():
    assert "(CONTRIBUTING.md)" in README
    assert not re.search(r"(?i)\bharness\b", README)


def test_the_contributing_guide_reaches_adding_a_choice_within_eighty_lines():
    assert line_of(CONTRIBUTING, "## Adding a choice") <= 80
