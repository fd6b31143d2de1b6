#!/usr/bin/env python
"""Django's command-line utility for Heard."""

import os
import sys


def main() -> None:
    # Production unless told otherwise: a forgotten variable on a server must never mean
    # DEBUG on and a published development key. `make run`, bin/run-dev and the tests
    # name their settings themselves.
    chosen = "DJANGO_SETTINGS_MODULE" in os.environ
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.production")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A missing or bad setting: say which, without a stack trace.
        sys.stderr.write(f"Heard is not configured correctly: {exc}\n")
        if not chosen:
            sys.stderr.write(
                "manage.py uses the production settings unless DJANGO_SETTINGS_MODULE is "
                "set. On a developer's machine: DJANGO_SETTINGS_MODULE=heard.settings.dev "
                "(make run sets it).\n"
            )
        sys.exit(2)


if __name__ == "__main__":
    main()
