from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from heard_analysis import (
    discover_themes,
    find_duplicates,
    flag_evidence,
    run_pipeline,
    sentiment,
    train_classifier,
)
from heard_analysis.duplicates import normalise

DATA = Path(__file__).parent / "data"

TEMPLATE = (
    "I strongly object to the proposed closure of the minor injuries unit because patients "
    "will have to travel over twenty miles to get urgent care"
)


def test_duplicates_exact_near_and_campaigns() -> None:
    texts = (
        ["Nothing", "nothing.", "NOTHING!!"]
        + [TEMPLATE] * 4
        + [TEMPLATE + " and I have no car.", "My view: " + TEMPLATE]
        + ["A completely different long comment about cold food on the ward every single day"]
        + [""]
    )
    res = find_duplicates(texts)
    assert len(res.group_of) == len(texts)  # nothing dropped
    nothing = res.group_of[0]
    assert nothing is not None and res.group_of[1] == res.group_of[2] == nothing
    assert not res.groups[nothing].campaign  # short answers are not a campaign
    camp = res.group_of[3]
    assert camp is not None
    assert all(res.group_of[i] == camp for i in range(3, 9))
    group = res.groups[camp]
    assert group.campaign and group.size == 6 and not group.exact
    assert group.template == TEMPLATE
    assert res.group_of[9] is None and res.group_of[10] is None
    assert res.campaign_rows == 6


def test_duplicates_do_not_merge_different_texts() -> None:
    texts = [
        "The staff on the ward were friendly and the food was hot and tasty every day",
        "Parking at the hospital is far too expensive and there are never any spaces left",
        "My appointment letter arrived after the date of the appointment so I missed it",
    ] * 1
    res = find_duplicates(texts)
    assert res.groups == []


def test_normalise() -> None:
    assert normalise("  Café, GREAT!! ") == "cafe great"


def test_sentiment_direction_and_range() -> None:
    res = sentiment(
        [
            "The staff were rude and the food was cold",
            "Excellent care, thank you so much",
            "",
            "Not very helpful at all",
        ]
    )
    assert [r.label for r in res[:3]] == ["negative", "positive", "neutral"]
    assert res[3].label == "negative"
    assert all(-1 <= r.score <= 1 for r in res)
    assert res[0].score < 0 < res[1].score


def test_sentiment_hand_set_accuracy() -> None:
    rows = [json.loads(line) for line in (DATA / "sentiment_set.jsonl").read_text().splitlines()]
    res = sentiment([r["text"] for r in rows])
    correct = sum(r["label"] == s.label for r, s in zip(rows, res, strict=True))
    assert correct / len(rows) >= 0.7


def _coded() -> tuple[list[str], list[list[str]]]:
    texts: list[str] = []
    labels: list[list[str]] = []
    for i in range(20):
        texts += [
            f"the food was cold and bland {i}",
            f"parking was expensive and full {i}",
            f"cold food and no parking spaces {i}",
            f"lovely kind nurses {i}",
        ]
        labels += [["Food"], ["Parking"], ["Food", "Parking"], ["Staff"]]
    return texts, labels


def test_classifier_multilabel_and_review() -> None:
    texts, labels = _coded()
    progress: list[tuple[int, int]] = []
    model = train_classifier(texts, labels, progress=lambda d, t: progress.append((d, t)))
    assert progress and progress[-1][0] == progress[-1][1]
    assert not model.single_label
    out = model.predict(["the food was cold", "no parking spaces and cold food", "kind nurses", ""])
    assert out[0].themes[0] == "Food"
    assert set(out[1].themes) == {"Food", "Parking"}
    assert out[2].themes == ["Staff"]
    assert out[3].themes == [] and out[3].confidence == {}
    assert set(out[0].confidence) == {"Food", "Parking", "Staff"}
    assert all(0 <= v <= 1 for v in out[0].confidence.values())
    assert isinstance(out[0].needs_review, bool)


def test_classifier_single_label_mode() -> None:
    texts, labels = _coded()
    single = [[ls[0]] for ls in labels]
    model = train_classifier(texts, single)
    assert model.single_label
    out = model.predict(["cold food", "parking is full"])
    assert all(len(a.themes) == 1 for a in out)
    assert abs(sum(out[0].confidence.values()) - 1) < 1e-3


def test_single_label_blank_response_gets_one_theme_sent_to_review() -> None:
    texts, labels = _coded()
    single = [[ls[0]] for ls in labels]
    model = train_classifier(texts, single)
    out = model.predict(["", "   "])
    commonest = max({s[0] for s in single}, key=lambda t: sum(s[0] == t for s in single))
    for a in out:
        assert a.themes == [commonest]
        assert a.needs_review
        assert abs(sum(a.confidence.values()) - 1) < 1e-3
        assert max(a.confidence, key=a.confidence.get) == commonest


def test_blank_answers_coded_by_people_teach_what_a_blank_gets() -> None:
    texts, labels = _coded()
    single = [[ls[0]] for ls in labels]
    # a sheet where "None" was lost on export: blank answers coded "Nothing to add"
    texts += ["", "", " ", ""]
    single += [["Nothing to add"], ["Nothing to add"], ["Nothing to add"], ["Staff"]]
    model = train_classifier(texts, single)
    (blank,) = model.predict([""])
    assert blank.themes == ["Nothing to add"]
    assert blank.confidence == {"Nothing to add": 0.75, "Staff": 0.25} | {
        t: 0.0 for t in model.themes if t not in {"Nothing to add", "Staff"}
    }
    assert not blank.needs_review  # 3 of 4 people-coded blanks agree


def test_multilabel_blank_response_gets_themes_only_from_coded_blanks() -> None:
    texts, labels = _coded()
    model = train_classifier(texts, labels)
    assert model.predict([""])[0].themes == []
    model = train_classifier([*texts, "", ""], [*labels, ["Staff", "Food"], ["Staff"]])
    (blank,) = model.predict([""])
    assert blank.themes == ["Staff"]  # every coded blank had it; Food half of them
    assert blank.confidence["Staff"] == 1.0 and blank.confidence["Food"] == 0.5


def test_suggest_next_prefers_uncertain_and_skips_repeats() -> None:
    texts, labels = _coded()
    model = train_classifier(texts, labels)
    pool = [
        "the food was cold",
        "the food was cold",
        "kind nurses",
        "something about a pharmacy",
        "",
    ]
    picks = model.suggest_next(pool, k=3)
    assert len(picks) == 3
    assert 4 not in picks  # blank
    assert not {0, 1} <= set(picks)  # the repeat is not picked twice
    assert picks[0] == 3  # the unfamiliar text is the most uncertain


def test_themes_deterministic_and_separating() -> None:
    texts = []
    for i in range(30):
        texts += [
            f"the food was cold and tasteless {i}",
            f"parking costs too much money {i}",
            f"the nurses were kind and caring {i}",
        ]
    a = discover_themes(texts, n_themes=3, seed=3)
    b = discover_themes(texts, n_themes=3, seed=3)
    assert a.assignments == b.assignments
    top = [t for t in a.themes if t.parent is None]
    assert len(top) == 3
    assert sum(t.size for t in top) == len(texts)
    for j in range(3):
        assert len({a.assignments[i][0] for i in range(j, len(texts), 3)}) == 1
    food = next(t for t in top if "food" in " ".join(t.keywords))
    assert food.quotes and all("food" in q for q in food.quotes)
    assert food.name and food.description


def test_themes_auto_count_and_subthemes() -> None:
    words = ["food", "parking", "nurses", "waiting", "cleanliness", "letters"]
    texts = [f"{w} {x} comment {i}" for i in range(60) for w in words for x in ["good", "bad"]]
    cf = discover_themes(texts, seed=0)
    top = [t for t in cf.themes if t.parent is None]
    assert 4 <= len(top) <= 14
    assert len(cf.assignments) == len(texts)


def test_evidence_flags() -> None:
    res = flag_evidence(
        [
            "Excellent care",
            "I waited 6 hours in A&E with my 80 year old mum and nobody told us anything. "
            "There should be a screen showing waiting times.",
            "",
        ]
    )
    assert not res[0].flagged
    assert res[1].flagged and {"figures", "proposal", "lived_experience"} <= set(res[1].reasons)
    assert not res[2].flagged


def test_pipeline_redacts_before_other_stages() -> None:
    texts, labels = _coded()
    model = train_classifier(texts, labels)
    calls: list[tuple[int, int]] = []
    res = run_pipeline(
        ["Dr Smith said the food was cold, ring 07700 900123", TEMPLATE, TEMPLATE],
        classifier=model,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert res.redacted[0] == "Dr [NAME] said the food was cold, ring [PHONE]"
    assert res.duplicates.group_of[1] == res.duplicates.group_of[2] is not None
    assert res.assignments is not None and res.assignments[0].themes[0] == "Food"
    assert calls[-1][0] == calls[-1][1]


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_inputs(n: int) -> None:
    texts = ["only one"][:n]
    assert len(find_duplicates(texts).group_of) == n
    assert len(sentiment(texts)) == n
    assert len(discover_themes(texts).assignments) == n


def _rare_and_none() -> tuple[list[str], list[list[str]]]:
    """Multi-label codes with a rare theme (6 examples) and answers coded with no theme."""
    texts, labels = _coded()
    for i in range(6):
        texts.append(f"the pharmacy lost my prescription again {i}")
        labels.append(["Pharmacy"])
    for i, filler in enumerate(["did not answer", "n/a", "no comment", "did not answer."] * 2):
        texts.append(f"{filler} {'.' * (i % 3)}")
        labels.append([])
    return texts, labels


def test_multilabel_thresholds_and_calibration_come_from_cross_validation() -> None:
    texts, labels = _rare_and_none()
    model = train_classifier(texts, labels)
    assert not model.single_label and not model.at_least_one
    assert model.thresholds.shape == (len(model.themes),)
    assert np.all((model.thresholds > 0) & (model.thresholds < 1))
    assert model.platt_ab.shape[0] >= len(model.themes)
    # calibrated: the confidences are probabilities that rank the right theme first
    out = model.predict(["the pharmacy lost my prescription", "lovely kind nurses"])
    assert out[0].themes == ["Pharmacy"]  # a rare theme (6 examples) is not lost
    assert max(out[0].confidence, key=out[0].confidence.get) == "Pharmacy"
    assert out[1].themes == ["Staff"]
    assert all(0 <= v <= 1 for a in out for v in a.confidence.values())


def test_multilabel_learns_when_an_answer_gets_no_theme() -> None:
    texts, labels = _rare_and_none()
    model = train_classifier(texts, labels)
    assert model.none_model  # 8 coded answers had no theme
    out = model.predict(["did not answer", "n/a", "cold food and no parking"])
    assert out[0].themes == [] and out[1].themes == []
    assert set(out[2].themes) == {"Food", "Parking"}
    # with no uncoded answers in the sample there is no "no theme" model, and when every
    # coded answer had a theme, an answer unlike any still gets its likeliest one
    texts, labels = _coded()
    model = train_classifier(texts, labels)
    assert not model.none_model and model.at_least_one
    (odd,) = model.predict(["zzz qqq"])
    assert len(odd.themes) == 1
