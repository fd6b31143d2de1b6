"""What a "you said, we did" publication holds, and the redactor's check of it.

One shape for both kinds (a consultation's outcome, an activity's feedback): a dict of
text. Every string in it is run through the analysis engine's redactor (the one check,
``heard.core.redaction``) when it is sent for approval; the approver sees each
place the redactor changes, highlighted, beside the text that will be published.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from heard.core import redaction

# Keys whose values are ours (labels, dates, counts): never personal data, never redacted.
NOT_REDACTED = frozenset({"changed", "changed_label", "opens_at", "closes_at", "kind"})


@dataclass(frozen=True)
class Finding:
    path: str
    start: int
    end: int
    type: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "text": self.text,
        }


spans = redaction.spans
_apply = redaction.apply
Segment = redaction.Segment


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every redactable string in ``value`` with its dotted path, in order."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in NOT_REDACTED:
                continue
            yield from leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}.{index}")
    elif isinstance(value, str):
        yield path, value


def redact_content(content: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]]:
    """The content with personal data replaced by typed placeholders, and the findings."""
    findings: list[Finding] = []

    def walk(value: Any, path: str, key: str = "") -> Any:
        if isinstance(value, dict):
            return {
                k: (v if k in NOT_REDACTED else walk(v, f"{path}.{k}" if path else str(k), k))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(item, f"{path}.{i}") for i, item in enumerate(value)]
        if isinstance(value, str) and value:
            found = spans(value)
            findings.extend(Finding(path, s, e, t, value[s:e]) for s, e, t in found)
            return _apply(value, found) if found else value
        return value

    return walk(content, ""), findings


@dataclass(frozen=True)
class CheckedText:
    """One piece of text as the approver sees it: the original with the redactor's
    changes marked, and what will be published."""

    label: str
    segments: list[Segment]
    published: str

    @property
    def changed(self) -> bool:
        return any(s.type for s in self.segments)


def _label(path: str, content: dict[str, Any]) -> str:
    parts = path.split(".")
    names = {
        "summary": "Summary",
        "next_steps": "Next steps",
        "feedback": "You said, we did",
        "heard": "what we heard",
        "response": "what we did",
        "how": "how it changed the proposal",
        "name": "theme name",
        "question": "the question",
    }
    if parts[0] == "themes" and len(parts) >= 3:
        try:
            theme = content["themes"][int(parts[1])]
        except (KeyError, IndexError, ValueError, TypeError):
            theme = {}
        title = f"Theme \u201c{theme.get('name', '')}\u201d"
        if parts[2] == "quotes":
            return f"{title}: quote {int(parts[3]) + 1 if len(parts) > 3 else ''}".strip()
        return f"{title}: {names.get(parts[2], parts[2])}"
    return names.get(parts[-1], parts[-1].replace("_", " ").capitalize())


def checked(content: dict[str, Any], findings: list[dict[str, Any]]) -> list[CheckedText]:
    """Every piece of text of a publication, for the approver (changed pieces first)."""
    by_path: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_path.setdefault(str(finding["path"]), []).append(finding)
    result = []
    for path, text in leaves(content):
        if not text:
            continue
        marks = sorted(by_path.get(path, []), key=lambda f: int(f["start"]))
        found = [(int(m["start"]), int(m["end"]), str(m["type"])) for m in marks]
        segments = redaction.segments(text, found)
        published = _apply(text, found)
        result.append(CheckedText(_label(path, content), segments, published))
    return sorted(result, key=lambda c: not c.changed)
