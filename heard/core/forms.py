"""One way for every staff form to follow the NHS.UK patterns the public forms use.

- **Messages that name the field.** ``named_message`` turns Django's generic messages
  ("This field is required.", "Enter a valid date.", "Ensure this value has at most 200
  characters…") into ones that say which field and what to do ("Enter the title",
  "Title must be 200 characters or fewer – it has 250"). The ``nhsuk_field`` and
  ``nhsuk_error_summary`` tags apply it to every form they render, so the error summary
  names each field even on forms that never heard of this module.
- **The NHS date input.** ``NHSDateField`` (day, month, year) and ``NHSDateTimeField``
  (day, month, year and a time such as "9am" or "5:30pm") replace the browser's date and
  date-time pickers. They refuse impossible dates ("31 2 2026") and, by default, years
  outside ``min_year`` … this year + ``max_years_ahead`` – with a message saying which
  part is wrong. For compatibility they also accept one ISO value under the field's own
  name ("2026-12-01T09:00"), as the old pickers sent.
- **NHSFormMixin** for a form: drops the pre-selected "---------" choice from required
  radio groups, and refuses a date in ``not_in_past`` that was changed to one in the past
  ("Closes is in the past – check the date"), the usual slip of a wrong year.
- **No control characters** in what the public types: ``refuse_control_characters``
  gives every text field of a form one check with a message naming the field.
"""

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from heard.core.text import control_character_message, has_control_characters

# -- messages ------------------------------------------------------------------------------

_CHOICE_FIELDS = (
    forms.ChoiceField,
    forms.ModelChoiceField,
    forms.MultipleChoiceField,
    forms.ModelMultipleChoiceField,
)
_MAX_LENGTH = re.compile(
    r"^Ensure this value has at most (\d[\d,]*) characters? \(it has (\d[\d,]*)\)\.$"
)
_MIN_LENGTH = re.compile(
    r"^Ensure this value has at least (\d[\d,]*) characters? \(it has (\d[\d,]*)\)\.$"
)
_MAX_VALUE = re.compile(r"^Ensure this value is less than or equal to (.+)\.$")
_MIN_VALUE = re.compile(r"^Ensure this value is greater than or equal to (.+)\.$")
_INVALID_CHOICE = re.compile(r"^Select a valid choice\..*$")


def field_name(label: Any) -> str:
    """The field's label as it reads inside a sentence: "Full name" -> "full name",
    "OSC comments due" stays as it is, "(optional)" and trailing punctuation dropped."""
    text = re.sub(r"\s*\(optional\)\s*$", "", str(label or "")).strip().rstrip(":?").strip()
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    if text == "email":
        text = "email address"
    return text or "this"


def _label(field: forms.Field, name: str = "") -> str:
    return str(field.label or name.replace("_", " ").capitalize())


def required_message(field: forms.Field, name: str = "") -> str:
    label = _label(field, name)
    if label.rstrip().endswith("?"):
        return f"Answer the question: {label}"
    noun = field_name(label)
    if isinstance(field, forms.BooleanField):
        return f"Tick the box: {noun}"
    if isinstance(field, (*_CHOICE_FIELDS, forms.FileField)):
        verb = "Choose a file for" if isinstance(field, forms.FileField) else "Select"
        return f"{verb} the {noun}"
    return f"Enter the {noun}"


def named_message(field: forms.Field, message: str, name: str = "") -> str:
    """``message`` with the field named, if it is one of Django's generic messages;
    any other message (already written for people) unchanged."""
    text = str(message)
    label = _label(field, name)
    noun = field_name(label)
    if text == str(forms.Field.default_error_messages["required"]):
        return required_message(field, name)
    if text in ("Enter a valid date.", "Enter a valid date/time.", "Enter a valid time."):
        return f"{label} must be a real date" if "time" not in text else f"Enter a real {noun}"
    if text == "Enter a whole number." or text == "Enter a number.":
        return f"{label} must be a number"
    if text == "Enter a valid email address.":
        return "Enter an email address in the correct format, like name@example.nhs.uk"
    if text == "Enter a valid URL.":
        return f"Enter {noun} as a full web address, like https://www.example.nhs.uk/page"
    if match := _MAX_LENGTH.match(text):
        return f"{label} must be {match[1]} characters or fewer – it has {match[2]}"
    if match := _MIN_LENGTH.match(text):
        return f"{label} must be {match[1]} characters or more – it has {match[2]}"
    if match := _MAX_VALUE.match(text):
        return f"{label} must be {match[1]} or less"
    if match := _MIN_VALUE.match(text):
        return f"{label} must be {match[1]} or more"
    if _INVALID_CHOICE.match(text):
        return f"Choose {noun} from the options given"
    return text


# -- the NHS date input ---------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def parse_time(text: str) -> time | None:
    """ "9am", "9:30am", "9.30 pm", "14:30", "midday", "noon", "midnight"; None if not."""
    value = text.strip().lower().replace(" ", "")
    if value in ("midday", "noon", "12noon"):
        return time(12, 0)
    if value == "midnight":
        return time(0, 0)
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    suffix = (match[3] or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match[2] is None:
        return None  # "9" alone: morning or evening?
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_time(moment: time) -> str:
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    suffix = "am" if moment.hour < 12 else "pm"
    hour = moment.hour % 12 or 12
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


_DAY_FIRST = re.compile(r"^(\d{1,2})[/ .-](\d{1,2})[/ .-](\d{4})(?:\s+(.*))?$")


class NHSDateWidget(forms.MultiWidget):
    """Day, month and year boxes (plus a time box with ``with_time``), rendered by the
    ``nhsuk_field`` tag as the NHS.UK date input."""

    def __init__(self, *, with_time: bool = False) -> None:
        self.with_time = with_time
        parts: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        if with_time:
            parts["time"] = forms.TextInput()
        super().__init__(parts)

    def decompress(self, value: Any) -> list[Any]:
        if not value:
            return [None] * len(self.widgets)
        if isinstance(value, str):
            text = value
            value = _parse_iso(text) or value
            if isinstance(value, str):
                match = _DAY_FIRST.match(text.strip())
                if match:  # "27/3/2026", as a link back to the form may carry it
                    typed: list[Any] = [int(match[1]), int(match[2]), int(match[3])]
                    return typed + ([match[4] or ""] if self.with_time else [])
                return [None] * len(self.widgets)
        if isinstance(value, datetime):
            moment = timezone.localtime(value) if timezone.is_aware(value) else value
            parts: list[Any] = [moment.day, moment.month, moment.year]
            return [*parts, format_time(moment.time())] if self.with_time else parts
        return [value.day, value.month, value.year] + ([""] if self.with_time else [])

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            # One ISO value under the field's own name, as the browser pickers sent.
            parsed = _parse_iso(str(data.get(name)))
            if parsed is not None:
                return self.decompress(parsed)
            raw = str(data.get(name)).strip()
            match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](.*))?$", raw)
            if match:  # an ISO date that is not a real one, like 2026-02-31
                parts = [match[3], match[2], match[1]]
                return parts + ([match[4] or ""] if self.with_time else [])
            match = _DAY_FIRST.match(raw)
            if match:  # a day-first date typed in one box, like 27/3/2026
                parts = [match[1], match[2], match[3]]
                return parts + ([match[4] or ""] if self.with_time else [])
            return [raw, "", ""] + ([""] if self.with_time else [])
        return parts


def _parse_iso(text: str) -> date | datetime | None:
    text = text.strip()
    for parse in (datetime.fromisoformat, date.fromisoformat):
        try:
            value = parse(text)
        except ValueError:
            continue
        if isinstance(value, datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
    return None


class NHSDateField(forms.MultiValueField):
    """A date given as day, month and year, checked like the NHS.UK date input asks:
    each part said wrong by name, impossible dates refused, years kept sensible."""

    widget_with_time = False

    def __init__(
        self,
        *,
        min_year: int = 2000,
        max_years_ahead: int = 10,
        hint: str = "",
        **kwargs: Any,
    ) -> None:
        self.min_year = min_year
        self.max_years_ahead = max_years_ahead
        parts: list[forms.Field] = [forms.CharField(required=False) for _ in range(3)]
        if self.widget_with_time:
            parts.append(forms.CharField(required=False))
        kwargs.setdefault(
            "help_text",
            hint
            or (
                "For example, 27 3 2026 and 9am"
                if self.widget_with_time
                else "For example, 27 3 2026"
            ),
        )
        super().__init__(
            fields=parts,
            widget=NHSDateWidget(with_time=self.widget_with_time),
            require_all_fields=False,
            **kwargs,
        )

    def clean(self, value: Any) -> Any:
        parts = [str(v or "").strip() for v in (value or [])]
        parts += [""] * (len(self.fields) - len(parts))
        if not any(parts):
            if self.required:
                raise forms.ValidationError(
                    self.error_messages["required"]
                    if self.error_messages["required"]
                    != forms.Field.default_error_messages["required"]
                    else f"Enter {field_name(self.label)}",
                    code="required",
                )
            return None
        result = self.compress(parts)
        self.validate(result)
        self.run_validators(result)
        return result

    def _date(self, day: str, month: str, year: str) -> date:
        label = str(self.label or "The date")
        if any(part and not part.isdigit() for part in (day, month, year)):
            raise forms.ValidationError(
                f"{label} must be a real date, in numbers, like 27 3 2026", code="invalid"
            )
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(
                f"{label} must include a {' and '.join(missing)}", code="incomplete"
            )
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers, like 2026", code="invalid")
        try:
            result = date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{label} must be a real date", code="invalid") from None
        latest = timezone.localdate().year + self.max_years_ahead
        if not self.min_year <= result.year <= latest:
            raise forms.ValidationError(
                f"{label}: the year {result.year} looks wrong – enter a year between "
                f"{self.min_year} and {latest}",
                code="suspicious",
            )
        return result

    def compress(self, data_list: list[Any]) -> Any:
        if not data_list or not any(data_list):
            return None
        return self._date(*[str(v or "").strip() for v in data_list[:3]])


class NHSDateTimeField(NHSDateField):
    """A date (day, month, year) and a time ("9am", "5:30pm", "14:30"), in UK time."""

    widget_with_time = True

    def compress(self, data_list: list[Any]) -> Any:
        if not data_list or not any(data_list):
            return None
        day = self._date(*[str(v or "").strip() for v in data_list[:3]])
        label = str(self.label or "The time")
        text = str(data_list[3] or "").strip() if len(data_list) > 3 else ""
        if not text:
            raise forms.ValidationError(
                f"{label} must include a time, like 9am or 5:30pm", code="incomplete"
            )
        moment = parse_time(text)
        if moment is None:
            raise forms.ValidationError(
                f"{label}: enter the time like 9am, 5:30pm or 17:30", code="invalid"
            )
        return timezone.make_aware(datetime.combine(day, moment))


# -- the mixin --------------------------------------------------------------------------------


class NHSFormMixin:
    """Mix into a staff ``forms.Form`` or ``forms.ModelForm`` (before it in the bases).

    ``not_in_past``: names of date fields that may not be changed to a moment already
    past – a new or moved closing date in the past is almost always a wrong year.
    """

    not_in_past: tuple[str, ...] = ()
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.required and isinstance(field.widget, forms.RadioSelect):
                if isinstance(field, forms.ModelChoiceField):
                    field.empty_label = None
                    field.widget.choices = field.choices  # type: ignore[assignment]
                elif isinstance(field, forms.ChoiceField):
                    choices: Any = field.choices
                    field.choices = [c for c in choices if c[0] not in ("", None)]
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = required_message(field, name)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        now = timezone.now()
        for name in self.not_in_past:
            value = data.get(name)
            if value is None or name not in getattr(self, "changed_data", [name]):
                continue
            moment = value if isinstance(value, datetime) else None
            past = moment < now if moment else value < timezone.localdate()
            if past:
                label = str(self.fields[name].label or name)
                self.add_error(  # type: ignore[attr-defined]
                    name,
                    f"{label} is in the past – check the date (today is "
                    f"{timezone.localdate():%-d %B %Y})",
                )
        return data


# -- control characters in what the public types ------------------------------------------


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
