from datetime import date

from django import template

register = template.Library()


@register.filter
def iso_date(value: str) -> str:
    """An ISO date from the stored figures as "7 December 2026" ("" stays "")."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


@register.filter
def dictget(mapping: dict, key: str) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None
