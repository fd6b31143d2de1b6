"""Template tags that render Django forms with NHS.UK frontend components.

Loaded as a builtin (see TEMPLATES in settings), so every template can use
``{% nhsuk_field form.email %}`` and ``{% nhsuk_error_summary form %}``.
"""

from typing import Any

from django import forms, template

register = template.Library()

_CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
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
    if describedby and kind not in ("radios", "checkboxes"):
        widget.attrs["aria-describedby"] = " ".join(describedby)
    return {
        "field": field,
        "kind": kind,
        "describedby": " ".join(describedby),
        "label_size": label_size,
    }


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
                if isinstance(field.field.widget, _CHOICE_WIDGETS):
                    target = f"{field.auto_id}_0"
                items.append({"href": f"#{target}", "text": str(message)})
    return {"items": items}
