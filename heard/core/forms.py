"""Form helpers shared by every app's public forms."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible

from heard.core.text import control_character_message, has_control_characters


@deconstructible
class NoControlCharactersValidator:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, value: Any) -> None:
        if has_control_characters(value):
            raise ValidationError(control_character_message(self.name), code="control")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharactersValidator) and other.name == self.name


def refuse_control_characters(form: forms.BaseForm) -> None:
    """Give every text field of a public form the check (instead of Django's NUL-only one)."""
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField):
            label = str(field.label or name.replace("_", " ").capitalize())
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
            field.validators.insert(
                0, NoControlCharactersValidator(label.removesuffix(" (optional)"))
            )
