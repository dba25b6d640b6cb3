"""Quote free-text answers so they render into valid source files."""

import json

from cookiecutter.utils import simple_filter


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@simple_filter
def quoted(value):
    """Return ``value`` as a double-quoted literal valid in Python, TOML and YAML.

    JSON's escaping covers quotes, backslashes and control characters; keeping
    printable non-ASCII raw shows names like "Zoë" or emoji verbatim. Anything
    else unprintable (DEL, which TOML forbids, and invisible format characters
    such as right-to-left overrides, which could disguise source code) becomes
    an escape that all three languages read back as the same character.
    """
    literal = json.dumps(str(value), ensure_ascii=False)
    return "".join(c if c.isprintable() else _escape(c) for c in literal)
