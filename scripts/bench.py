"""Benchmarks for the template (not part of the test run).

Prints one ``name=value`` line per figure, each the median of several runs, next to
its floor measured in the same run on the same machine:

    uv run python scripts/bench.py [--runs N]
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.generated import Project, environment_for  # noqa: E402


def median_of(runs: int, action) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bake(template: Path, out: Path) -> Path:
    return Path(
        cookiecutter(
            str(template), no_input=True, output_dir=str(out), overwrite_if_exists=True
        )
    )


def floor_template(where: Path) -> Path:
    """A template with one empty file and no hooks: what cookiecutter costs at least."""
    template = where / "floor-template"
    (template / "{{cookiecutter.name}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"name": "floor"}')
    (template / "{{cookiecutter.name}}" / "empty.txt").write_text("")
    return template


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor = floor_template(tmp)
        print(
            f"bake_inprocess_ms={1000 * median_of(runs, lambda: bake(ROOT, tmp / 'out')):.0f}"
        )
        print(
            f"bake_floor_ms={1000 * median_of(runs, lambda: bake(floor, tmp / 'floor')):.0f}"
        )

        project = Project(path=bake(ROOT, tmp / "suite"), venv=None)
        project.venv = environment_for(project.path)
        outputs = []

        def suite():
            completed = project.run(
                "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"
            )
            assert completed.returncode == 0, completed.stdout + completed.stderr
            outputs.append(completed.stdout)

        suite()  # warm: bytecode compiled, environment built
        print(f"suite_default_s={median_of(max(3, runs // 2), suite):.2f}")
        print(f"suite_default_tests={re.search(r'(\d+) passed', outputs[-1])[1]}")


if __name__ == "__main__":
    main()
