"""What the tests know about the template: its prompts, variants and hooks."""

import importlib.util
import itertools
import json
import os
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))


def variant_axes(context: dict) -> dict[str, list]:
    """Every prompt whose answer changes the generated code: booleans and choices."""
    axes = {}
    for name, default in context.items():
        if name.startswith("_"):
            continue
        if isinstance(default, bool):
            axes[name] = [default, not default]
        elif isinstance(default, list):
            axes[name] = default
    return axes


def variant_id(variant: dict) -> str:
    return ",".join(f"{name}={value}" for name, value in variant.items())


AXES = variant_axes(COOKIECUTTER_JSON)
ALL_VARIANTS = [
    dict(zip(AXES, answers, strict=True))
    for answers in itertools.product(*AXES.values())
]
DEFAULT_VARIANT = ALL_VARIANTS[0]
# TEMPLATE_VARIANT=<id> narrows a run to one variant (one cell of the CI matrix).
VARIANTS = [
    variant
    for variant in ALL_VARIANTS
    if os.environ.get("TEMPLATE_VARIANT", variant_id(variant)) == variant_id(variant)
]

if not VARIANTS:
    raise ValueError(
        f"TEMPLATE_VARIANT={os.environ['TEMPLATE_VARIANT']!r} names no variant; "
        f"run `python -m tests.template` to list them."
    )

VARIANTS_BY_ID = {variant_id(variant): variant for variant in VARIANTS}


def ids_of_variants_with(**answers) -> list[str]:
    """The variants of this run that give these answers, for a check that only
    they can have: the others do not collect it, rather than report it skipped.
    (A run narrowed to another variant reports it skipped for an empty parameter set.)"""
    return [
        key
        for key, variant in VARIANTS_BY_ID.items()
        if all(variant[name] == value for name, value in answers.items())
    ]


def load_hook(name: str) -> ModuleType:
    """Import an unrendered hook; its Jinja lives only inside a string literal."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    # The CI matrix: one id per variant, as JSON for GitHub Actions.
    print(json.dumps([variant_id(variant) for variant in ALL_VARIANTS]))
