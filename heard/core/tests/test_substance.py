"""The placeholder rule every safeguard shares."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heard.core import substance


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x",
        "X",
        "-",
        ".",
        "...",
        "n/a",
        "N/A",
        "n.a.",
        "ok",
        "Noted.",
        "tbc",
        "TBD",
        "see above",
        "–",
        "?!",
        "12",
        "x x",
        "— —",
    ],
)
def test_placeholders_are_refused(text):
    assert substance.is_placeholder(text)
    assert substance.reason_problems(text, what="for closing early")


@pytest.mark.parametrize(
    "text",
    [
        "The venue flooded and the hall is closed until March.",
        "Legal advice: the options paper was incomplete",
        "Ward closed for infection control",
    ],
)
def test_real_reasons_pass(text):
    assert not substance.is_placeholder(text)
    assert substance.reason_problems(text, what="for closing early") == []


def test_a_single_word_is_not_a_reason_but_is_content():
    assert not substance.is_placeholder("Flooding")
    assert substance.reason_problems("Flooding", what="for closing early") == [
        "Give the reason for closing early in a sentence a reader could follow."
    ]


@pytest.mark.parametrize("name", ["", "x", "xxxx", "n/a", "NA", "-", "Anonymous", "12", "a."])
def test_names_that_are_not_names(name):
    assert substance.name_is_placeholder(name)


@pytest.mark.parametrize("name", ["Jo", "Siân Evans", "O'Brien", "Nguyễn Văn An", "Li"])
def test_real_names(name):
    assert not substance.name_is_placeholder(name)


@given(st.text(alphabet=st.characters(categories=["P", "S", "N", "Z"]), max_size=40))
def test_text_without_letters_is_always_a_placeholder(text):
    assert substance.is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        ".",
        "Noted.",
        "noted",
        "Noted with thanks!",
        "Thank you for your comments.",
        "I have read the EqIA.",
        "See report",
        "x",
    ],
)
def test_acknowledgements_are_not_statements(text):
    problems = substance.statement_problems(text, what="what was considered and why")
    assert problems and "what was considered" in problems[0]


def test_a_short_reply_is_not_a_statement_of_what_was_considered():
    assert substance.statement_problems(
        "We will add spaces.", what="what was considered and why"
    ) == [
        "Say what was considered and why in a sentence or two (at least 10 words): what was "
        "considered, and why it led where it did."
    ]


def test_a_statement_of_substance_passes():
    text = (
        "We looked at the bus timetables from Eastham and the villages: the journey takes "
        "over an hour, so we will fund a shuttle bus twice an hour."
    )
    assert substance.statement_problems(text, what="what was considered and why") == []
    assert not substance.is_acknowledgement(text)
