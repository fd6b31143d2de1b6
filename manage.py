#!/usr/bin/env python
"""Django's command-line utility for Heard."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A missing or bad setting: say which, without a stack trace.
        sys.stderr.write(f"Heard is not configured correctly: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
