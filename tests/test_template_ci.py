"""The template's own workflow runs every test file: the template's checks once,
and each variant's checks in that variant's cell of the matrix."""

import re

import yaml

from .template import ROOT


def test_the_template_workflow_runs_every_test_file_once():
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    commands = [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "pytest" in step.get("run", "")
    ]
    named = re.findall(r"tests/test_\w+\.py", " ".join(commands))
    assert sorted(named) == sorted(
        f"tests/{path.name}" for path in (ROOT / "tests").glob("test_*.py")
    )
