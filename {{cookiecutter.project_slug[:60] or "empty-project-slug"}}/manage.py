#!/usr/bin/env python
"""Django's command-line utility; development settings unless told otherwise.

Only here is the git-ignored ``.env`` read, as development defaults that real
environment variables override: the test suite and production never see it.
"""

import os
import sys
from pathlib import Path

import environ

if __name__ == "__main__":
    environ.Env.read_env(Path(__file__).resolve().parent / ".env")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
