"""``{{ text|prose }}``: plain text written by staff as HTML – a blank line starts a new
paragraph and lines starting with "- " make a bulleted list. Everything is escaped."""

from itertools import groupby

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def render_prose(text: str) -> str:
    blocks: list[str] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        for is_item, run in groupby(lines, key=lambda line: line.startswith("- ")):
            group = list(run)
            if is_item:
                items = "".join(f"<li>{escape(line[2:].strip())}</li>" for line in group)
                blocks.append(f"<ul>{items}</ul>")
            else:
                blocks.append("<p>" + "<br>".join(escape(line) for line in group) + "</p>")
    return "".join(blocks)


@register.filter
def prose(text: str) -> SafeString:
    # Safe: every piece of the text is escaped above; only our own tags are added.
    return mark_safe(render_prose(str(text or "")))


@register.filter
def explained(sections: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``{% for key, heading, text in document.sections|explained %}``: abbreviations
    spelt out on first use (heard.servicechange.consultations.plain)."""
    from heard.servicechange.consultations.plain import explain_first_use

    return explain_first_use(sections)
