"""The `cunshe` command: Django's management commands, with the settings chosen from the environment."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunshe.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cunshe", *(sys.argv[1:] if argv is None else argv)])
    return 0
