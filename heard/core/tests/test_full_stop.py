"""The full stop after a title: never "?." or "!."."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Community nursing", "Community nursing."),
        ("Community nursing: what matters to you?", "Community nursing: what matters to you?"),
        ("Have your say!", "Have your say!"),
        ("Stroke services.", "Stroke services."),
        ("Wait and see\u2026", "Wait and see\u2026"),
        ("What next? ", "What next? "),
        ("", "."),
    ],
)
def test_full_stop_only_when_the_text_has_no_ending_of_its_own(title, expected):
    got = Template("{{ t }}{{ t|full_stop }}").render(Context({"t": title}))
    assert got == expected


@pytest.mark.parametrize(
    "template",
    [
        "involvement/email/invitation.txt",
        "involvement/email/reminder.txt",
        "involvement/email/withdrawn.txt",
    ],
)
def test_invitation_mails_do_not_put_a_stop_after_a_question(template):
    opportunity = {"title": "Community nursing: what matters to you?", "starts_at": None}
    opportunity["ends_at"] = None
    text = render_to_string(template, {"opportunity": opportunity})
    assert "what matters to you?" in text and "?." not in text
