"""Conscientious consideration, decisions and outcome reports."""

from django.db import models  # noqa: F401
