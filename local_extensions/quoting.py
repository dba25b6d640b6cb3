"""Quote free-text answers so they render into valid source files."""

import json

from cookiecutter.utils import simple_filter


@simple_filter
def quoted(value):
    """Return ``value`` as a double-quoted literal valid in Python, TOML and YAML.

    JSON's escaping covers quotes, backslashes and control characters; keeping
    non-ASCII raw (rather than ``\\uXXXX`` surrogate pairs, which TOML rejects)
    shows names like "Zoë" or emoji verbatim. DEL is the one character TOML
    forbids that JSON leaves unescaped.
    """
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")
