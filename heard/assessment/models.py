"""Options appraisal, significance and assurance."""

from django.db import models  # noqa: F401
