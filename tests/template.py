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

# Answers that change only what the production image leaves out (.dockerignore):
# the variants that differ in them alone are expected to build one image, and
# share its production checks. The key of each image (tests/image.py) is what
# decides; a group whose variants' keys differ fails, naming them.
OUTSIDE_THE_IMAGE = {"test_tiers"}


def image_id(variant: dict) -> str:
    return variant_id(
        {
            name: value
            for name, value in variant.items()
            if name not in OUTSIDE_THE_IMAGE
        }
    )


# TEMPLATE_VARIANT=<id> narrows a run to one variant, or to the variants of one
# image (one cell of the CI matrix).
VARIANTS = [
    variant
    for variant in ALL_VARIANTS
    if os.environ.get("TEMPLATE_VARIANT", variant_id(variant))
    in (variant_id(variant), image_id(variant))
]
if not VARIANTS:
    raise ValueError(
        f"TEMPLATE_VARIANT={os.environ['TEMPLATE_VARIANT']!r} names no variant; "
        f"run `python -m tests.template` to list them."
    )

VARIANTS_BY_ID = {variant_id(variant): variant for variant in VARIANTS}

IMAGES: dict[str, list[str]] = {}
for _variant in VARIANTS:
    IMAGES.setdefault(image_id(_variant), []).append(variant_id(_variant))


def ids_of_images_with(**answers) -> list[str]:
    """The images of this run whose variants give these answers."""
    return [
        key
        for key, members in IMAGES.items()
        if all(
            VARIANTS_BY_ID[members[0]][name] == value for name, value in answers.items()
        )
    ]


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
    # The CI matrix: one cell per image, with the variants that build it, as JSON
    # for GitHub Actions.
    print(json.dumps(list(dict.fromkeys(map(image_id, ALL_VARIANTS)))))
