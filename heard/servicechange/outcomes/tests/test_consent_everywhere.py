"""Consent honoured everywhere: a respondent who refused publication is the most
representative answer of a theme, the shared text of a campaign and an insight in the bank;
every page and report that quotes people (public and staff, HTML and the PDF) is rendered
and none of their words appears, while a consenting respondent's quote does (so the pages
do quote, and the test could fail)."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from heard.analysis.models import AnalysisRun, AnswerAnalysis, Coding, Theme
from heard.core.roles import Role
from heard.engagement.models import Answer, Response
from heard.insight.models import Insight
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.tests.helpers import (
    make_consulted_proposal,
    respond_to_all,
    sign_off_codeframe,
)

pytestmark = pytest.mark.django_db

REFUSED = "Parking at the health centre is already full by nine every weekday morning"
CAMPAIGN = "Save our cottage hospital unit because the town needs it open every single night"
CONSENTED = "Good that there will be free parking for visitors and patients alike"
# distinctive pieces of the refused words: none may appear, whole or in part
REFUSED_WORDS = ["full by nine", "every weekday morning", "cottage hospital unit because"]


def _build():
    made = make_consulted_proposal(
        themes={
            "Parking": [(REFUSED, "negative"), (CONSENTED, "positive")],
            "Travel to the new site": [("The bus takes an hour from my village", "negative")],
        },
        sign_off=False,
    )
    question = made["question"]
    parking: Theme = made["themes"]["Parking"]
    # the refused answer is the theme's most representative quote, the consented one second
    parking.quotes = [REFUSED, CONSENTED]
    parking.save()
    Response.objects.filter(answers__text=CONSENTED).update(publish_consent=True)
    refused_response = Response.objects.get(answers__text=REFUSED)
    # a campaign whose senders all refused
    activity = made["consultation"].activity
    for _ in range(5):
        r = Response.objects.create(
            activity=activity,
            questionnaire=refused_response.questionnaire,
            version=refused_response.version,
            reference=f"C{Response.objects.count():07d}",
        )
        a = Answer.objects.create(response=r, question=question, text=CAMPAIGN)
        AnswerAnalysis.objects.create(answer=a, question=question, redacted_text=CAMPAIGN)
        Coding.objects.create(answer=a, theme=parking, source="person", status="accepted")
    AnalysisRun.objects.create(
        question=question,
        status=AnalysisRun.Status.DONE,
        finished_at=timezone.now(),
        summary={"campaigns": [{"size": 5, "template": CAMPAIGN, "exact": True}]},
    )
    # the insight bank: the refused answer and the consented one, both about Norwich
    when = timezone.localdate() - timedelta(days=20)
    for text, response in (
        (REFUSED, refused_response),
        (CONSENTED, Response.objects.get(answers__text=CONSENTED)),
    ):
        Insight.objects.create(
            text=text,
            redacted_text=text,
            source="survey",
            occurred_on=when,
            locality="Norwich",
            response=response,
        )
    # signed off as it now stands: the quotes are chosen from consenting people only
    sign_off_codeframe(made["question"].codeframe)
    return made


def _assert_clean(text: str, where: str) -> None:
    for words in REFUSED_WORDS:
        assert words not in text, f"refused words {words!r} in {where}"


def test_a_refused_quote_appears_in_no_page_or_report(staff_client, make_staff, client):
    made = _build()
    proposal = made["proposal"]
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    respond_to_all(proposal, made["themes"], officer)
    services.report_issue(proposal=proposal, actor=officer, issued_to="Board")
    # Issuing sends "you said, we did" for approval; another person approves it.
    pending = selectors.publications_for_proposal(proposal)[0]
    services.publication_approve(publication=pending, actor=make_staff(Role.ADMINISTRATOR))

    staff, _ = staff_client(Role.ANALYST)
    pages = {
        "outcomes:proposal": reverse("outcomes:proposal", args=[proposal.pk]),
        "outcomes:report": reverse("outcomes:report", args=[proposal.pk]),
        "analysis:codeframe": reverse("analysis:codeframe", args=[made["question"].pk]),
        "insight:know_place": reverse("insight:know_place", args=["Norwich"]),
    }
    for theme in made["themes"].values():
        pages[f"outcomes:theme {theme.name}"] = reverse(
            "outcomes:theme", args=[proposal.pk, theme.pk]
        )
    quoted_somewhere = set()
    for name, url in pages.items():
        response = staff.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        _assert_clean(html, name)
        if CONSENTED in html:
            quoted_somewhere.add(name)
    # the pages do quote: the consenting respondent's words are there
    assert {"outcomes:report", "analysis:codeframe", "insight:know_place"} <= quoted_somewhere
    report = staff.get(reverse("outcomes:report", args=[proposal.pk])).content.decode()
    assert "5</td>" in report and "did not agree to their words being published" in report

    pdf = staff.get(reverse("outcomes:report_pdf", args=[proposal.pk]))
    assert pdf.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(text.split())
    _assert_clean(flat, "the report PDF")
    assert "free parking for visitors" in flat

    client.logout()
    for name, url in {
        "public outcomes": reverse("outcomes_public:index"),
        "public you said, we did": reverse("outcomes_public:detail", args=[proposal.slug]),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        _assert_clean(response.content.decode(), name)
    public = client.get(reverse("outcomes_public:detail", args=[proposal.slug])).content.decode()
    assert CONSENTED in public
