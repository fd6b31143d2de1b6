"""The one check of text going public (heard.core.redaction)."""

from heard.core import redaction

TEXT = (
    "I live at 4 Mill Lane Northgate, call 01603 496123 or jo@example.org; "
    "I have Parkinson's and dementia is starting."
)


def test_every_kind_the_consent_box_promises_is_found_and_typed() -> None:
    found = redaction.spans(TEXT)
    assert [TEXT[s:e] for s, e, _ in found] == [
        "4 Mill Lane Northgate",
        "01603 496123",
        "jo@example.org",
        "Parkinson's",
        "dementia",
    ]
    assert redaction.redact(TEXT) == (
        "I live at [ADDRESS], call [PHONE] or [EMAIL]; I have [HEALTH] and [HEALTH] is starting."
    )


def test_segments_put_the_text_back_together_and_mark_only_what_is_replaced() -> None:
    segments = redaction.segments(TEXT)
    assert "".join(s.text for s in segments) == TEXT
    assert [s.type for s in segments if s.type] == ["ADDRESS", "PHONE", "EMAIL", "HEALTH", "HEALTH"]
    assert redaction.redact("") == "" and redaction.segments("") == []
    assert redaction.redact("The bus is late.") == "The bus is late."
