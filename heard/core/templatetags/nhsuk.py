"""Template tags that render Django forms with NHS.UK frontend components.

Loaded as a builtin (see TEMPLATES in settings), so every template can use
``{% nhsuk_field form.email %}`` and ``{% nhsuk_error_summary form %}``.
"""

from datetime import datetime
from typing import Any

from django import forms, template
from django.utils import timezone

from heard.core.forms import NHSDateWidget, named_message

register = template.Library()

_CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, NHSDateWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.inclusion_tag("core/includes/field.html")
def nhsuk_field(field: forms.BoundField, width: str = "", label_size: str = "") -> dict[str, Any]:
    """Render a bound field as an NHS.UK form group: label, hint, error message, control."""
    kind = _kind(field)
    widget = field.field.widget
    # The server checks the length and says so; a browser maxlength would cut a long
    # pasted title silently.
    widget.attrs.pop("maxlength", None)
    css = {
        "input": "nhsuk-input",
        "textarea": "nhsuk-textarea",
        "select": "nhsuk-select",
    }.get(kind, "")
    if css:
        classes = [css]
        if width:
            classes.append(f"nhsuk-input--width-{width}" if kind == "input" else width)
        if field.errors:
            classes.append(f"{css}--error")
        widget.attrs["class"] = " ".join(classes)
    describedby = []
    if field.help_text:
        describedby.append(f"{field.auto_id}-hint")
    if field.errors:
        describedby.append(f"{field.auto_id}-error")
    if describedby and kind not in ("radios", "checkboxes", "date"):
        widget.attrs["aria-describedby"] = " ".join(describedby)
    errors = [named_message(field.field, str(e), field.name) for e in field.errors]
    return {
        "field": field,
        "errors": errors,
        "parts": _date_parts(field) if kind == "date" else [],
        "kind": kind,
        "describedby": " ".join(describedby),
        "label_size": label_size,
    }


def _date_parts(field: forms.BoundField) -> list[dict[str, Any]]:
    """The boxes of an NHS date input: id, name, label, width and value of each."""
    widget = field.field.widget
    assert isinstance(widget, NHSDateWidget)
    values = field.value()
    if not isinstance(values, list | tuple):
        values = widget.decompress(values)
    labels = {"day": ("Day", 2), "month": ("Month", 2), "year": ("Year", 4), "time": ("Time", 5)}
    parts = []
    for i, (suffix, (label, width)) in enumerate(labels.items()):
        if suffix == "time" and not widget.with_time:
            continue
        parts.append(
            {
                "id": f"{field.auto_id}_{i}",
                "name": f"{field.html_name}_{suffix}",
                "label": label,
                "width": width,
                "value": "" if i >= len(values) or values[i] is None else values[i],
                "numeric": suffix != "time",
            }
        )
    return parts


def _first_choice_id(field: forms.BoundField) -> str:
    """The id of the first radio or checkbox shown (a required group's empty choice is
    not shown, see field.html)."""
    for choice in field.subwidgets:
        if not field.field.required or str(choice.data["value"]) != "":
            return str(choice.id_for_label)
    return f"{field.auto_id}_0"


@register.inclusion_tag("core/includes/error_summary.html")
def nhsuk_error_summary(*forms_: forms.BaseForm) -> dict[str, Any]:
    """The error summary that goes at the top of a page with a form that has errors."""
    items: list[dict[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            items.append({"href": "", "text": str(message)})
        for field in form:
            for message in field.errors:
                target = field.auto_id
                if isinstance(field.field.widget, NHSDateWidget):
                    target = f"{field.auto_id}_0"
                elif isinstance(field.field.widget, _CHOICE_WIDGETS):
                    target = _first_choice_id(field)
                text = named_message(field.field, str(message), field.name)
                items.append({"href": f"#{target}", "text": text})
    return {"items": items}


# Dates and times in the NHS style (NHS digital service manual, "Dates" and "Times"):
# "5pm", "10:30am", "midday", "10am to 2pm", "7 December 2026". One set of filters, used
# on every page, so times are never written three ways.


def _local(value: Any) -> Any:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def full_stop(text: Any) -> str:
    """The full stop a sentence ending with ``text`` still needs: "." unless ``text`` ends
    with ".", "?", "!" or "…" already (a title such as "What matters to you?"). Written
    after the text, so it can follow a link: ``<a …>{{ title }}</a>{{ title|full_stop }}``."""
    return "" if str(text).rstrip().endswith((".", "?", "!", "\u2026")) else "."


@register.filter
def nhs_time(value: Any) -> str:
    """``5pm``, ``10:30am``, ``midday``, ``midnight``; empty for no value."""
    if not value:
        return ""
    moment = _local(value)
    hour, minute = moment.hour, moment.minute
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "midday"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


@register.filter
def nhs_date(value: Any, style: str = "") -> str:
    """``7 December 2026``; ``nhs_date:"weekday"`` gives ``Monday 7 December 2026``,
    ``nhs_date:"short"`` gives ``7 Dec 2026`` (for tables)."""
    if not value:
        return ""
    day = _local(value)
    if isinstance(day, datetime):
        day = day.date()
    month = day.strftime("%b" if style == "short" else "%B")
    text = f"{day.day} {month} {day.year}"
    return f"{day.strftime('%A')} {text}" if style == "weekday" else text


@register.filter
def nhs_datetime(value: Any, style: str = "") -> str:
    """``7 December 2026, 5pm`` (``style`` as for ``nhs_date``)."""
    if not value:
        return ""
    return f"{nhs_date(value, style)}, {nhs_time(value)}"


@register.filter
def nhs_time_range(start: Any, end: Any) -> str:
    """``10am to 2pm`` on one day; ``7 December 2026, 5pm to 8 December 2026, 9am`` across
    days; the start alone if there is no end."""
    if not start:
        return ""
    if not end:
        return nhs_time(start)
    if _local(start).date() == _local(end).date():
        return f"{nhs_time(start)} to {nhs_time(end)}"
    return f"{nhs_datetime(start)} to {nhs_datetime(end)}"


@register.filter
def nhs_when(start: Any, end: Any = None) -> str:
    """When something happens: ``Monday 7 December 2026, 10am to 2pm`` on one day,
    ``Monday 7 December 2026, 5pm to Tuesday 8 December 2026, 9am`` across days."""
    if not start:
        return ""
    text = nhs_datetime(start, "weekday")
    if not end:
        return text
    if _local(start).date() == _local(end).date():
        return f"{text} to {nhs_time(end)}"
    return f"{text} to {nhs_datetime(end, 'weekday')}"
