"""Theme discovery on tiny or degenerate input: a small codeframe, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from heard_analysis import discover_themes
from heard_analysis.cli import main

FIVE = [
    "The nurse was kind",
    "Parking is awful",
    "Food was cold",
    "Doctor rushed",
    "Waited hours",
]

CASES = {
    "one": ["The nurse was kind"],
    "two": FIVE[:2],
    "two identical": ["ok", "ok"],
    "five": FIVE,
    "five identical": ["Great service"] * 5,
    "twenty identical": ["Great service."] * 20,
    "three one-word, two alike": ["Good", "Bad", "Good"],
    "one-letter words": ["a", "b", "c", "d", "e"],
    "stop words only": ["the", "and", "it"],
    "no and nothing": ["No.", "No", "no", "Nothing", "no"],
    "punctuation only": ["?", "!!!", "..."],
    "blanks among answers": ["", "Parking is awful", "  ", "Food was cold"],
    "twelve": [*FIVE, *FIVE, "Parking costs too much", "food was lovely"],
}


def _check(texts: list[str], cf_dict: dict) -> None:  # type: ignore[type-arg]
    answered = [i for i, t in enumerate(texts) if t.strip()]
    themes = cf_dict["themes"]
    ids = [t["id"] for t in themes]
    assert len(ids) == len(set(ids))
    top = [t for t in themes if "parent" not in t]
    assert 1 <= len(top) <= len(answered)
    assert all(t["size"] >= 1 and t["name"] for t in top)
    assert sum(t["size"] for t in top) == len(answered)
    rows = cf_dict["assignments"]
    assert [r["row"] for r in rows] == list(range(len(texts)))
    for i, r in enumerate(rows):
        if i in answered:
            assert r["themes"] and r["themes"][0] in ids
        else:
            assert r["themes"] == []


@pytest.mark.parametrize("name", list(CASES))
def test_tiny_input_gives_a_small_codeframe(name: str) -> None:
    texts = CASES[name]
    cf = discover_themes(texts, seed=0)
    d = json.loads(json.dumps(cf.to_dict()))
    _check(texts, d)
    assert cf.n_themes == len([t for t in cf.themes if t.parent is None])
    assert len(cf.labels) == len(texts)
    # deterministic for a seed
    assert discover_themes(texts, seed=0).assignments == cf.assignments


@pytest.mark.parametrize("name", ["five identical", "twenty identical", "two identical"])
def test_identical_answers_make_one_theme(name: str) -> None:
    cf = discover_themes(CASES[name], seed=0)
    assert [t.id for t in cf.themes] == ["T1"]
    assert cf.themes[0].size == len(CASES[name])
    assert cf.themes[0].quotes == [CASES[name][0]]
    assert "one theme" in cf.note


def test_more_themes_asked_for_than_answers() -> None:
    cf = discover_themes(["parking awful", "food cold", "nurse kind"], n_themes=10, seed=0)
    assert cf.n_themes == 3
    assert sorted(a[0] for a in cf.assignments) == ["T1", "T2", "T3"]
    assert "10 themes were asked for" in cf.note


def test_distinct_topics_are_kept_apart_in_a_small_set() -> None:
    texts = ["parking is awful", "the parking costs", "food was cold", "cold food again"]
    cf = discover_themes(texts, n_themes=2, seed=0)
    assert cf.assignments[0] == cf.assignments[1] != cf.assignments[2] == cf.assignments[3]


@pytest.mark.parametrize("texts", [[], ["", "   "]])
def test_no_text_gives_no_themes_and_says_why(texts: list[str]) -> None:
    cf = discover_themes(texts)
    assert cf.themes == [] and cf.n_themes == 0
    assert cf.assignments == [[] for _ in texts]
    assert cf.note == "No responses with text: nothing to group."
    assert cf.to_dict()["note"] == cf.note


@pytest.mark.parametrize("rows", [["Good", "Bad", "Good"], ["Same answer"] * 4, ["Only one"]])
def test_themes_cli_on_tiny_files(
    rows: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "tiny.csv"
    src.write_text("comment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "tiny.json"
    code = main(["themes", "--input", str(src), "--text-column", "comment", "--out", str(out)])
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    _check(rows, data)


def test_the_fallback_name_is_one_keyword_that_carries_meaning_never_a_list() -> None:
    from heard_analysis.themes import _name

    assert _name(["think", "don", "staff", "friendly", "nice"]) == "Staff"
    assert _name(["don think", "waiting time", "better", "parking"]) == "Waiting time"
    assert _name(["very", "good"]) == "Good"
    assert _name(["very", "really"]) == "Very"  # nothing better to say
    assert _name([]) == "Other"


def test_candidate_phrases_begin_and_end_with_a_content_word() -> None:
    from heard_analysis.themes import _phrases

    got = _phrases("The car parking at the hospital was awful, and good food.")
    assert "car parking at the hospital" in got
    assert "car parking" in got
    assert "food" in got
    # never a judgement word, a link word or a verb at either end; never across a comma
    assert not any(p.split()[0] in {"the", "good", "awful", "at", "was"} for p in got)
    assert not any(p.split()[-1] in {"the", "at", "awful", "was"} for p in got)
    assert "hospital was awful" not in got and "hospital and good food" not in got


def _corpus() -> list[str]:
    parking = [
        "Car parking at the hospital is {}.",
        "I could not find car parking at the hospital, {}.",
        "The car parking at the hospital costs too much, {}.",
    ]
    waiting = [
        "Waiting times for appointments are {}.",
        "The waiting times for appointments were {}.",
        "Long waiting times for appointments, {}.",
    ]
    food = [
        "The hospital food was {}.",
        "Food on the ward was {}.",
        "My meals and the food were {}.",
    ]
    fillers = ["far too much", "a real worry", "not good enough", "getting worse", "a shame"]
    fillers += ["hard for my mum", "the worst part", "unfair on carers", "a big problem"]
    return [t.format(f) for group in (parking, waiting, food) for t in group for f in fillers]


def test_themes_are_named_with_a_phrase_from_the_comments_not_a_pair_of_words() -> None:
    texts = _corpus()
    cf = discover_themes(texts, n_themes=3, seed=0, subthemes=False)
    names = sorted(t.name for t in cf.themes)
    assert all(", " not in n for n in names), names
    assert any(n.lower().startswith("car parking") for n in names), names
    assert any(n.lower().startswith("waiting times") for n in names), names
    assert any("food" in n.lower() for n in names), names
    # a phrase the comments use, as they use it
    lowered = " ".join(texts).lower()
    assert all(n.lower() in lowered for n in names), names
    for t in cf.themes:
        assert t.quotes and all(q in texts for q in t.quotes)


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u2018"])
def test_curly_apostrophes_do_not_cut_words_in_keywords_or_names(apostrophe: str) -> None:
    # comments typed on phones use ’ ("couldn’t"): a name must never be "Couldn"
    cant = [
        "I couldn{}t get an appointment",
        "We couldn{}t park anywhere",
        "Couldn{}t hear the nurse",
        "She couldn{}t find the ward",
        "I couldn{}t understand the letter",
    ]
    food = ["The food was lovely", "Lovely food and drink", "Food was cold", "Nice food"]
    texts = [t.format(apostrophe) for t in cant] + food
    cf = discover_themes(texts, n_themes=2, seed=0, subthemes=False)
    names = [t.name for t in cf.themes]
    keywords = [w for t in cf.themes for kw in t.keywords for w in kw.split()]
    assert "couldn't" in keywords, keywords
    assert "couldn" not in keywords and "Couldn" not in names, (names, keywords)
    assert not any(n.lower().startswith("couldn") for n in names), names
    # the quotes are the answers as people wrote them
    assert all(q in texts for t in cf.themes for q in t.quotes)


def test_candidate_phrases_read_a_curly_apostrophe_as_one() -> None:
    from heard_analysis.themes import _phrases

    got = _phrases("The nurse didn\u2019t come, the district nurse couldn\u2018t either.")
    assert "district nurse" in got
    assert not any(w in {"didn", "couldn", "t"} for p in got for w in p.split()), got
