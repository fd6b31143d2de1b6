"""Top keywords of comments not yet coded (pure)."""

import pytest

from heard.insight.keywords import top_keywords


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u2018"])
def test_an_apostrophe_however_typed_does_not_cut_a_word(apostrophe: str) -> None:
    texts = [
        f"I couldn{apostrophe}t park near the clinic",
        f"We couldn{apostrophe}t find parking",
        f"Parking? I didn{apostrophe}t even try",
    ]
    words = [w for w, _ in top_keywords(texts)]
    assert "parking" in words
    # neither a cut word nor a contraction that says nothing
    assert not {"couldn", "didn", "couldn't", "didn't"} & set(words), words


def test_a_possessive_keeps_its_word() -> None:
    words = [w for w, _ in top_keywords(["The nurse\u2019s visit was late", "nurse's visit"])]
    assert "nurse's" in words and "visit" in words
