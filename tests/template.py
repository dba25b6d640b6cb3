"""What the tests know about the template: its prompts, variants and hooks."""

import importlib.util
import itertools
import json
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


AXES = variant_axes(COOKIECUTTER_JSON)
VARIANTS = [
    dict(zip(AXES, answers, strict=True))
    for answers in itertools.product(*AXES.values())
]
DEFAULT_VARIANT = VARIANTS[0]


def variant_id(variant: dict) -> str:
    return ",".join(f"{name}={value}" for name, value in variant.items())


def load_hook(name: str) -> ModuleType:
    """Import an unrendered hook; its Jinja lives only inside a string literal."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
