"""Signed-off codeframes: the machine proposes themes, an analyst signs off a numbered
version (names, descriptions, counts, consenting quotes frozen), a later version needs a
reason, and nothing done after sign-off alters a signed-off version."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from heard.analysis import selectors, services
from heard.analysis.models import AnswerAnalysis, Codeframe, CodeframeVersion, Coding, Theme
from heard.analysis.tests.helpers import make_question
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def frame(make_staff):
    question = make_question([f"Answer number {i} about district nursing visits" for i in range(6)])
    frame = Codeframe.objects.create(question=question)
    answers = list(question.answers.select_related("response").order_by("pk"))
    for i, a in enumerate(answers):
        AnswerAnalysis.objects.create(answer=a, question=question, redacted_text=a.text)
        a.response.publish_consent = i != 0  # the first person did not agree
        a.response.save(update_fields=["publish_consent"])
    waiting = Theme.objects.create(
        codeframe=frame,
        name="Waiting for a visit",
        description="Visits later than promised.",
        quotes=["An old quote from the first run"],
        size=40,
    )
    phone = Theme.objects.create(
        codeframe=frame, name="Getting through by phone", description="Phone lines busy."
    )
    for a in answers[:4]:
        Coding.objects.create(answer=a, theme=waiting, source="machine", confidence=0.8)
    Coding.objects.create(answer=answers[5], theme=phone, source="person", status="accepted")
    return {
        "question": question,
        "frame": frame,
        "answers": answers,
        "waiting": waiting,
        "phone": phone,
        "analyst": make_staff(Role.ANALYST),
    }


def test_sign_off_freezes_names_counts_and_consenting_quotes_from_current_codings(frame):
    version = services.codeframe_sign_off(codeframe=frame["frame"], actor=frame["analyst"])
    assert version.number == 1 and version.reason == ""
    themes = {t.name: t for t in selectors.signed_themes(version)}
    waiting = themes["Waiting for a visit"]
    assert waiting.answers == 4 and waiting.description == "Visits later than promised."
    # quotes from the theme's codings now, never the first run's stored quotes, and never
    # from the person who did not consent (answer 0)
    texts = [a.text for a in frame["answers"]]
    assert waiting.quotes == texts[1:4]
    assert "An old quote from the first run" not in waiting.quotes
    assert themes["Getting through by phone"].quotes == [texts[5]]
    event = AuditEvent.objects.get(action=Action.CODEFRAME_SIGNED_OFF)
    assert event.after["version"] == 1 and event.after["themes"] == 2


def test_a_change_after_sign_off_never_alters_the_signed_off_version(frame):
    analyst = frame["analyst"]
    version = services.codeframe_sign_off(codeframe=frame["frame"], actor=analyst)
    before = [
        (t.name, t.description, t.answers, t.quotes) for t in selectors.signed_themes(version)
    ]
    services.theme_update(
        theme=frame["waiting"], actor=analyst, name="Late visits", description="Changed."
    )
    services.theme_merge(source=frame["phone"], target=frame["waiting"], actor=analyst)
    services.coding_decide(
        coding=Coding.objects.filter(theme=frame["waiting"]).first(), actor=analyst, accept=False
    )
    after = [(t.name, t.description, t.answers, t.quotes) for t in selectors.signed_themes(version)]
    assert after == before
    assert selectors.signed_off(frame["frame"]).number == 1


def test_a_new_version_needs_a_real_reason_and_a_real_change(frame):
    analyst = frame["analyst"]
    services.codeframe_sign_off(codeframe=frame["frame"], actor=analyst)
    with pytest.raises(services.AnalysisProblem, match="Nothing has changed since version 1"):
        services.codeframe_sign_off(
            codeframe=frame["frame"], actor=analyst, reason="Checked it all again today"
        )
    services.theme_update(
        theme=frame["waiting"], actor=analyst, name="Late visits", description="Late."
    )
    for reason in ["", "x", "n/a", "merged"]:
        with pytest.raises(services.AnalysisProblem, match="reason"):
            services.codeframe_sign_off(codeframe=frame["frame"], actor=analyst, reason=reason)
    second = services.codeframe_sign_off(
        codeframe=frame["frame"], actor=analyst, reason="Renamed the theme after review"
    )
    assert second.number == 2 and second.reason == "Renamed the theme after review"
    assert selectors.signed_themes(second)[0].name == "Late visits"
    assert selectors.signed_off(frame["frame"]) == second
    assert CodeframeVersion.objects.count() == 2


@pytest.mark.parametrize("name,description", [("x", "Real words here."), ("Late", "-")])
def test_placeholder_names_and_descriptions_are_refused(frame, name, description):
    Theme.objects.filter(pk=frame["waiting"].pk).update(name=name, description=description)
    with pytest.raises(services.AnalysisProblem):
        services.codeframe_sign_off(codeframe=frame["frame"], actor=frame["analyst"])
    assert not CodeframeVersion.objects.exists()


def test_chosen_quotes_must_be_coded_with_the_theme_and_consented(frame):
    analyst, answers, waiting = frame["analyst"], frame["answers"], frame["waiting"]
    with pytest.raises(services.AnalysisProblem, match="did not agree"):
        services.codeframe_sign_off(
            codeframe=frame["frame"], actor=analyst, quotes={waiting.pk: [answers[0].pk]}
        )
    with pytest.raises(services.AnalysisProblem, match="not an answer coded"):
        services.codeframe_sign_off(
            codeframe=frame["frame"], actor=analyst, quotes={waiting.pk: [answers[5].pk]}
        )
    version = services.codeframe_sign_off(
        codeframe=frame["frame"], actor=analyst, quotes={waiting.pk: [answers[2].pk]}
    )
    assert selectors.signed_themes(version)[0].quotes == [answers[2].text]


def test_default_quotes_avoid_redaction_placeholders_and_one_quote_in_two_themes(frame):
    """Found in the demo's "you said, we did": quotes reading "[NAME] was lovely" when the
    theme had plain ones, and the same person's words under two themes."""
    analyst, answers, _waiting, phone = (
        frame["analyst"],
        frame["answers"],
        frame["waiting"],
        frame["phone"],
    )
    # answer 1 (the most confident) now reads with a placeholder; answer 2 is also coded
    # with the phone theme, which people decided first
    AnswerAnalysis.objects.filter(answer=answers[1]).update(
        redacted_text="[NAME] came two hours after the time we were given"
    )
    Coding.objects.filter(answer=answers[1]).update(confidence=0.99)
    Coding.objects.create(answer=answers[2], theme=phone, source="person", status="accepted")
    version = services.codeframe_sign_off(codeframe=frame["frame"], actor=analyst)
    themes = {t.name: t for t in selectors.signed_themes(version)}
    shown = themes["Waiting for a visit"].quotes + themes["Getting through by phone"].quotes
    assert len(shown) == len(set(shown)), shown  # each quote under one theme only
    # the plain quotes come first; the one with a placeholder only to make up the number
    waiting_quotes = themes["Waiting for a visit"].quotes
    assert not any("[NAME]" in q for q in waiting_quotes[:-1])
    # the sign-off form ticks the same defaults
    rows = [r for r in selectors.themes_with_counts(frame["frame"]) if r.answers > 0]
    ticked = [
        text
        for choice in selectors.quote_choices(frame["frame"], rows)
        for _, text, on in choice.options
        if on
    ]
    assert len(ticked) == len(set(ticked))


def test_choosing_the_same_quote_for_two_themes_is_refused(frame):
    analyst, answers, waiting, phone = (
        frame["analyst"],
        frame["answers"],
        frame["waiting"],
        frame["phone"],
    )
    Coding.objects.create(answer=answers[2], theme=phone, source="person", status="accepted")
    with pytest.raises(services.AnalysisProblem, match="same quote is chosen for"):
        services.codeframe_sign_off(
            codeframe=frame["frame"],
            actor=analyst,
            quotes={waiting.pk: [answers[2].pk], phone.pk: [answers[2].pk]},
        )
    assert not CodeframeVersion.objects.exists()
    # a person's choice is kept; the other theme's default goes round it
    version = services.codeframe_sign_off(
        codeframe=frame["frame"], actor=analyst, quotes={phone.pk: [answers[2].pk]}
    )
    themes = {t.name: t for t in selectors.signed_themes(version)}
    assert themes["Getting through by phone"].quotes == [answers[2].text]
    assert answers[2].text not in themes["Waiting for a visit"].quotes


def test_only_analysts_sign_off_and_an_empty_codeframe_is_refused(frame, make_staff):
    with pytest.raises(PermissionDenied):
        services.codeframe_sign_off(
            codeframe=frame["frame"], actor=make_staff(Role.ENGAGEMENT_OFFICER)
        )
    Coding.objects.all().delete()
    with pytest.raises(services.AnalysisProblem, match="No theme has any answers"):
        services.codeframe_sign_off(codeframe=frame["frame"], actor=frame["analyst"])


def test_the_codeframe_page_signs_off_and_lists_versions(frame, client):
    client.force_login(frame["analyst"])
    page = reverse("analysis:codeframe", args=[frame["question"].pk])
    assert "No version has been signed off yet" in client.get(page).content.decode()
    response = client.post(reverse("analysis:sign_off", args=[frame["question"].pk]))
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "Reports and the consideration of themes use version 1" in html
    assert "Sign off this codeframe" in html
    refused = client.post(
        reverse("analysis:sign_off", args=[frame["question"].pk]), {"reason": "x"}
    )
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()


def test_the_analyst_chooses_the_quotes_on_the_page(frame, client):
    answers, waiting, phone = frame["answers"], frame["waiting"], frame["phone"]
    client.force_login(frame["analyst"])
    page = reverse("analysis:codeframe", args=[frame["question"].pk])
    html = client.get(page).content.decode()
    assert f'name="quotes-{waiting.pk}" type="checkbox" value="{answers[1].pk}" checked' in html
    assert f'id="quote-{waiting.pk}-{answers[0].pk}"' not in html  # no consent: never offered
    assert answers[0].text not in html
    response = client.post(
        reverse("analysis:sign_off", args=[frame["question"].pk]),
        {
            "quote_themes": [waiting.pk, phone.pk],
            f"quotes-{waiting.pk}": [answers[3].pk],
        },
    )
    assert response.status_code == 302
    themes = {t.name: t for t in selectors.signed_themes(selectors.signed_off(frame["frame"]))}
    assert themes["Waiting for a visit"].quotes == [answers[3].text]
    assert themes["Getting through by phone"].quotes == []  # none ticked
    # a tampered form: a refused person's answer
    Theme.objects.filter(pk=waiting.pk).update(description="Visits late, as promised.")
    refused = client.post(
        reverse("analysis:sign_off", args=[frame["question"].pk]),
        {
            "reason": "Described the theme better",
            "quote_themes": [waiting.pk],
            f"quotes-{waiting.pk}": [answers[0].pk],
        },
    )
    assert refused.status_code == 400
    assert "did not agree" in refused.content.decode()
    assert CodeframeVersion.objects.count() == 1


def test_a_typical_quote_is_not_passed_over_for_a_far_less_typical_one():
    """Found in the demo: quotes about parking under "Travel and buses" while on-topic
    answers with a [HEALTH] marker were passed over. Plain words win only among the
    best-ranked few."""
    candidates = [(i, f"[HEALTH] bus answer {i}") for i in range(9)] + [(99, "parking")]
    chosen = selectors.default_quotes(candidates, {t for _, t in candidates}, set(), 3)
    assert "parking" not in chosen and len(chosen) == 3
    mixed = [(1, "[NAME] bus one"), (2, "bus two"), (3, "bus three"), (4, "bus four")]
    chosen = selectors.default_quotes(mixed, {t for _, t in mixed}, set(), 3)
    assert chosen == ["bus two", "bus three", "bus four"]
