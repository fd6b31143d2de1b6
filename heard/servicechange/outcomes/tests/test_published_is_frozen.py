"""Once an outcome is published, nothing anyone can do through a service changes it.

A proposal is taken through the services to a published outcome: options appraised,
significance assessed, a consultation created, its document published, opened, answered
and closed; the answers coded into themes and the codeframe signed off; each theme
considered, the report issued and its public version approved by a second person. Then
every role tries every edit any service offers – the consultation document and its
formats, the questionnaire, the options appraisal, the significance and assurance
records, the themes, codings and quotes, the considerations, the outcome's text and the
decision – and each must end one of two ways:

- refused, with a message a person can act on (and nothing changes), or
- made as a new version that carries a reason and is in the audit trail.

Whatever happens, the stored report (HTML and PDF) and the approved public text keep
their bytes and SHA-256, and the public outcome page and the report PDF serve them.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from heard.accounts.tests.factories import staff_member
from heard.analysis import services as analysis
from heard.analysis.models import AnswerAnalysis, Codeframe, CodeframeVersion, Coding, Theme
from heard.analysis.services import AnalysisProblem
from heard.audit.models import Action, AuditEvent
from heard.core.actors import CLOCK, NotPermitted
from heard.core.roles import Role
from heard.engagement import services as engagement
from heard.engagement import services_formats as formats
from heard.engagement import services_questionnaires as builder
from heard.engagement.models import Activity, Answer, Question, QuestionnaireVersion, Response
from heard.engagement.services import TransitionRefused
from heard.engagement.services_formats import FormatProblem
from heard.engagement.services_questionnaires import BuilderProblem
from heard.servicechange.assessment import services as assessment
from heard.servicechange.assessment.models import Option, Panel, SignificanceAssessment
from heard.servicechange.consultations import services as consultations
from heard.servicechange.consultations.models import DocumentVersion, ScrutinyLetter
from heard.servicechange.consultations.services import ConsultationProblem
from heard.servicechange.consultations.tests.helpers import (
    fill_document,
    make_consultation,
    ready_proposal,
    set_period,
    sign_off,
    write_to_scrutiny,
)
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.outcomes.models import Decision, Publication, ReportPublication
from heard.servicechange.outcomes.services import OutcomeRefused
from heard.servicechange.outcomes.tests.helpers import THEMES, have_due_regard, respond_to_all
from heard.servicechange.proposals.models import Proposal

pytestmark = pytest.mark.django_db

# A refusal a person can act on: one of the apps' refusals, never a crash.
REFUSALS = (
    NotPermitted,
    ValidationError,
    ConsultationProblem,
    BuilderProblem,
    FormatProblem,
    AnalysisProblem,
    OutcomeRefused,
    TransitionRefused,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _publish_outcome() -> dict[str, Any]:
    """A proposal taken through the services to an approved, public outcome."""
    officer = staff_member(Role.ENGAGEMENT_OFFICER)
    proposal = ready_proposal(status="assurance")
    consultation = make_consultation(proposal, officer)
    fill_document(consultation, officer)
    set_period(consultation, actor=officer)
    write_to_scrutiny(consultation, officer)  # reg. 23: before it opens
    sign_off(consultation)
    # Opening moves the proposal to formal consultation (the Gunning guard's transition).
    consultations.consultation_open(actor=officer, consultation=consultation)
    consultation.refresh_from_db()
    consultations.midpoint_record(
        actor=officer,
        consultation=consultation,
        action_taken="An evening online meeting for people at work.",
    )
    activity = consultation.activity
    questionnaire = activity.questionnaire
    version = questionnaire.current_version()
    assert version is not None and version.published_at is not None
    why = Question.objects.get(version=version, text="Why do you say that?")
    # The answers people gave while it was open (an import's bulk creation).
    codeframe = Codeframe.objects.create(question=why)
    themes: dict[str, Theme] = {}
    for name, answers in THEMES.items():
        theme = Theme.objects.create(
            codeframe=codeframe, name=name, description=f"What people said about {name}."
        )
        themes[name] = theme
        for i, (text, mood) in enumerate(answers):
            response = Response.objects.create(
                activity=activity,
                questionnaire=questionnaire,
                version=version,
                reference=f"FROZEN-{theme.pk}-{i}",
                publish_consent=True,
            )
            answer = Answer.objects.create(response=response, question=why, text=text)
            AnswerAnalysis.objects.create(
                answer=answer, question=why, redacted_text=text, sentiment=mood
            )
            Coding.objects.create(answer=answer, theme=theme, source="person", status="accepted")
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(
        opens_at=now - timedelta(weeks=13), closes_at=now - timedelta(days=7)
    )
    activity.refresh_from_db()
    # Time passed: the committee's comments date and the decision date it was told came.
    ScrutinyLetter.objects.filter(consultation=consultation).update(
        comments_due_on=timezone.localdate() - timedelta(days=2),
        proposed_decision_on=timezone.localdate(),
    )
    engagement.activity_transition(activity=activity, target="closed", actor=CLOCK)
    Proposal.objects.filter(pk=proposal.pk).update(status="decision_pending")
    proposal.refresh_from_db()
    assessment.eqia_review(  # by those deciding (Brown principles)
        actor=staff_member(Role.DECISION_MAKER),
        proposal=proposal,
        notes="Reviewed against what people said about travel.",
    )
    # A notifiable reconfiguration: the Secretary of State told before the decision.
    assessment.reconfiguration_notice_record(
        actor=staff_member(Role.PROGRAMME_LEAD),
        proposal=proposal,
        notified_on=timezone.localdate(),
        osc_view="The committee supports the move if the shuttle bus runs.",
    )
    analyst = staff_member(Role.ANALYST)
    analysis.codeframe_sign_off(codeframe=codeframe, actor=analyst)
    respond_to_all(proposal, themes, officer)
    services.outcome_update(
        proposal=proposal,
        actor=officer,
        summary="Most people were worried about travel to the health centre.",
        why="A substantial change to where people go for urgent care.",
        next_steps="The board will decide in public.",
    )
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    pending = selectors.pending_publications().get()
    services.publication_approve(publication=pending, actor=staff_member(Role.ADMINISTRATOR))
    assert selectors.is_published(proposal)
    return {
        "proposal": proposal,
        "consultation": consultation,
        "activity": activity,
        "questionnaire": questionnaire,
        "question": why,
        "codeframe": codeframe,
        "themes": themes,
    }


def _stored(proposal: Proposal) -> list[tuple[Any, ...]]:
    """Every stored byte of what was issued and published, with its SHA-256."""
    reports = [
        (
            r.version,
            hashlib.sha256(bytes(r.pdf)).hexdigest(),
            r.pdf_sha256,
            hashlib.sha256(r.html.encode()).hexdigest(),
            r.html_sha256,
            r.content_sha256,
            r.body_html,
            r.text,
            r.considerations,
            r.themes,
        )
        for r in ReportPublication.objects.filter(outcome__proposal=proposal).order_by("version")
    ]
    public = [
        (p.pk, p.status, hashlib.sha256(p.html.encode()).hexdigest(), p.html_sha256)
        for p in Publication.objects.filter(status="approved").order_by("pk")
    ]
    return [*reports, *public]


def _served(client: Any, proposal: Proposal, reader: Any) -> tuple[str, bytes]:
    page = client.get(reverse("outcomes_public:detail", args=[proposal.slug]))
    assert page.status_code == 200
    client.force_login(reader)
    served = client.get(reverse("outcomes:report_version_pdf", args=[proposal.pk, 1]))
    assert served.status_code == 200
    pdf = b"".join(served.streaming_content) if served.streaming else served.content
    client.logout()
    return page.content.decode(), pdf


def _nonce_masked(page: str) -> str:
    return re.sub(r'nonce="[^"]*"', 'nonce=""', page)


def _attempts(made: dict[str, Any], actor: Any) -> dict[str, Callable[[], Any]]:
    """Every edit a service offers on the record of this proposal, by name."""
    proposal: Proposal = made["proposal"]
    consultation = made["consultation"]
    themes: dict[str, Theme] = made["themes"]
    travel, parking = themes["Travel to the new site"], themes["Parking"]
    q = made["questionnaire"]
    version: QuestionnaireVersion = q.current_version()
    section = version.sections.order_by("position").first()
    option = Option.objects.filter(proposal=proposal).order_by("position").last()
    panel = Panel.objects.filter(proposal=proposal).first()
    criterion = proposal.criteria.first()
    coding = Coding.objects.filter(theme=parking).first()
    answer_ids = list(Coding.objects.filter(theme=travel).values_list("answer_id", flat=True))
    assert option and panel and criterion and coding and section
    areas = {
        area: {
            "impact": "minor",
            "who_affected": "Nobody much",
            "how_many": 1,
            "evidence": "A second look",
        }
        for area in ("access", "wider_community", "patients", "service_delivery")
    }
    return {
        # The consultation document and its formats.
        "document section": lambda: consultations.section_save(
            actor=actor, section=consultation.sections.first(), body="Rewritten costs."
        ),
        "document republish": lambda: consultations.document_publish(
            actor=actor, consultation=consultation
        ),
        "document correction": lambda: consultations.document_correct(
            actor=actor,
            consultation=consultation,
            bodies={"costs": "The costs were misprinted: they are £2.1 million, not £1.2."},
            reason="The cost figure was transposed in the first version.",
        ),
        "consultation dates": lambda: consultations.dates_save(
            actor=actor,
            consultation=consultation,
            opens_at=timezone.now() - timedelta(weeks=20),
            closes_at=timezone.now() - timedelta(weeks=10),
            justification="",
        ),
        "alternative format": lambda: formats.activity_document_add(
            actor=actor,
            activity=made["activity"],
            title="Easy read consultation document",
            upload=ContentFile(PDF),
            name="easy-read.pdf",
            size=len(PDF),
            format="easy_read",
        ),
        # The questionnaire.
        "questionnaire page": lambda: builder.section_save(
            actor=actor, q=q, section_id=section.pk, title="Tell us something else"
        ),
        "questionnaire question": lambda: builder.question_save(
            actor=actor,
            q=q,
            question_id=made["question"].pk,
            section_id=section.pk,
            fields={"kind": Question.Kind.LONG_TEXT, "text": "Do you agree with us?"},
        ),
        # The options appraisal.
        "option": lambda: assessment.option_save(
            actor=actor, proposal=proposal, option=option, title="Close the unit"
        ),
        "criterion weight": lambda: assessment.criterion_save(
            actor=actor,
            proposal=proposal,
            criterion=criterion,
            name=criterion.name,
            weight=Decimal(90),
        ),
        "weights agreed": lambda: assessment.weights_agreed(
            actor=actor, proposal=proposal, agreed_by="Someone else", agreed_on=date(2026, 1, 1)
        ),
        "panel": lambda: assessment.panel_save(
            actor=actor, proposal=proposal, panel=panel, name="A different panel"
        ),
        "scores": lambda: assessment.scores_save(
            actor=actor,
            panel=panel,
            scores={(o.pk, criterion.pk): 1 for o in Option.objects.filter(proposal=proposal)},
        ),
        # The significance and assurance records.
        "significance": lambda: assessment.significance_save(
            actor=actor, proposal=proposal, areas=areas, summary="Not substantial after all."
        ),
        "significance override": lambda: assessment.significance_override(
            actor=actor,
            proposal=proposal,
            consultation_required=False,
            reason="On reflection the change was never substantial.",
        ),
        "urgent path": lambda: assessment.urgent_path_record(
            actor=actor,
            proposal=proposal,
            reason="Patient safety required it.",
            notice_sent_on=date(2026, 1, 1),
            notice_to="The committee",
            notice_text="We acted urgently.",
        ),
        "bed closures": lambda: assessment.bed_closures_save(
            actor=actor, proposal=proposal, significant=True
        ),
        "assurance test": lambda: assessment.assurance_test_save(
            actor=actor,
            proposal=proposal,
            test="clinical_evidence",
            evidence="A different evidence base.",
        ),
        # The analysis: themes, codings, quotes and the signed-off codeframe.
        "theme rename": lambda: analysis.theme_update(
            theme=travel, actor=actor, name="Buses", description="Buses only."
        ),
        "theme merge": lambda: analysis.theme_merge(source=parking, target=travel, actor=actor),
        "theme delete": lambda: analysis.theme_delete(theme=parking, actor=actor),
        "coding change": lambda: analysis.coding_decide(coding=coding, actor=actor, accept=False),
        "bulk coding": lambda: analysis.codings_bulk(
            question=made["question"],
            answer_ids=answer_ids,
            theme=parking,
            actor=actor,
            apply=True,
        ),
        "answer reviewed": lambda: analysis.answer_reviewed(
            analysis=AnswerAnalysis.objects.filter(question=made["question"]).earliest("pk"),
            actor=actor,
        ),
        "quotes": lambda: analysis.codeframe_sign_off(
            codeframe=made["codeframe"],
            actor=actor,
            reason="Different quotes chosen for the themes.",
            quotes={travel.pk: answer_ids[1:2], parking.pk: []},
        ),
        "codeframe sign-off": lambda: analysis.codeframe_sign_off(
            codeframe=made["codeframe"],
            actor=actor,
            reason="Parking merged into travel after a second review.",
        ),
        # The considerations, the outcome's text and the report.
        "consideration": lambda: services.theme_response_save(
            proposal=proposal,
            theme_id=parking.pk,
            actor=actor,
            response="We changed our mind about parking. We weighed this against the travel survey and the clinical advice.",
            changed="no",
        ),
        "outcome text": lambda: services.outcome_update(
            proposal=proposal, actor=actor, summary="Most people agreed.", why="", next_steps=""
        ),
        "re-issue": lambda: services.report_issue(
            proposal=proposal, actor=actor, issued_to="Someone else"
        ),
        "public text": lambda: services.outcome_publication_submit(proposal=proposal, actor=actor),
        "decision": lambda: (
            have_due_regard(proposal, actor),
            lifecycle_services.decision_record(
                proposal=proposal,
                actor=actor,
                decided_on=timezone.localdate(),
                decided_by="ICB board",
                decision="Go ahead with the move.",
                board_paper_url="https://example.nhs.uk/board-paper.pdf",
            ),
        )[1],
        "decision again": lambda: lifecycle_services.decision_record(
            proposal=proposal,
            actor=actor,
            decided_on=timezone.localdate(),
            decided_by="ICB board",
            decision="Do not go ahead after all.",
            board_paper_url="https://example.nhs.uk/board-paper-2.pdf",
        ),
        "reopen": lambda: services.report_reopen(
            proposal=proposal, actor=actor, reason="A late paper response was found."
        ),
    }


# Refusals of these legally significant acts are evidence too: each leaves an audit event.
AUDITED_REFUSALS = {
    "document section",
    "document republish",
    "document correction",
    "significance override",
    "quotes",
    "codeframe sign-off",
    "re-issue",
    "decision",
    "decision again",
    "reopen",
}


def _refusals() -> int:
    return AuditEvent.objects.filter(action=Action.ACT_REFUSED).count()


def _events() -> int:
    return AuditEvent.objects.exclude(action=Action.ACT_REFUSED).count()


def _versioned(name: str, made: dict[str, Any]) -> str:
    """What an edit that went through made: a new version with a reason, audited.
    Returns a description; fails the test if there is none."""
    proposal: Proposal = made["proposal"]
    if name == "document correction":
        newest = DocumentVersion.objects.filter(consultation=made["consultation"]).latest("number")
        assert newest.number > 1 and newest.is_correction and len(newest.reason) > 10
        event = (
            AuditEvent.objects.filter(action=Action.CONSULTATION_DOCUMENT_PUBLISHED)
            .order_by("sequence")
            .last()
        )
        assert event is not None and (event.after or {})["reason"] == newest.reason
        assert (event.after or {})["content_hash"] == newest.content_hash
        return f"new document version {newest.number}, reason and content hash audited"
    if name in {"quotes", "codeframe sign-off"}:
        signed = CodeframeVersion.objects.filter(codeframe=made["codeframe"]).latest("number")
        assert signed.number > 1 and len(signed.reason) > 10
        event = (
            AuditEvent.objects.filter(action=Action.CODEFRAME_SIGNED_OFF)
            .order_by("sequence")
            .last()
        )
        assert event is not None and (event.after or {})["version"] == signed.number
        # The decision is refused until the report is reissued on the new version.
        assert any("no longer" in p or "changed" in p for p in selectors.readiness(proposal))
        return f"new signed-off codeframe version {signed.number} with its reason, audited"
    if name == "decision":
        decision = Decision.objects.get(proposal=proposal)
        assert decision.publication is not None and decision.publication.version == 1
        assert AuditEvent.objects.filter(action=Action.DECISION_RECORDED).count() == 1
        return "the decision, recorded once on issued version 1, audited"
    if name == "reopen":
        event = (
            AuditEvent.objects.filter(action=Action.OUTCOME_REPORT_REOPENED)
            .order_by("sequence")
            .last()
        )
        assert event is not None
        return "reopened with its reason, audited; version 1 stays as issued"
    if name == "alternative format":
        event = (
            AuditEvent.objects.filter(action=Action.ACTIVITY_UPDATED).order_by("sequence").last()
        )
        assert event is not None and (event.after or {}).get("change") == "document_added"
        assert len((event.after or {}).get("sha256", "")) == 64
        return "a new document alongside the others, its SHA-256 audited"
    pytest.fail(f"“{name}” changed the record after the outcome was published, with no refusal")


@pytest.mark.parametrize("role", list(Role))
def test_no_edit_by_anyone_changes_a_published_outcome(client, make_staff, role) -> None:
    made = _publish_outcome()
    proposal: Proposal = made["proposal"]
    stored = _stored(proposal)
    reader = make_staff(Role.SCRUTINY_READER)
    page, pdf = _served(client, proposal, reader)
    assert hashlib.sha256(pdf).hexdigest() == stored[0][2]
    approved = Publication.objects.get(status="approved")
    assert approved.html in page
    actor = staff_member(role)
    ended: dict[str, str] = {}
    for name, attempt in _attempts(made, actor).items():
        events, refusals = _events(), _refusals()
        try:
            attempt()
        except REFUSALS as refused:
            message = " ".join(
                getattr(refused, "problems", None)
                or getattr(refused, "messages", None)
                or [str(refused)]
            )
            assert len(message.split()) >= 4 and message.rstrip().endswith((".", ")")), (
                name,
                message,
            )
            assert _events() == events, f"“{name}” was refused but changed the record"
            if name in AUDITED_REFUSALS:
                assert _refusals() == refusals + 1, f"the refused “{name}” left no audit event"
            ended[name] = f"refused: {message}"
        else:
            ended[name] = _versioned(name, made)
        assert _stored(proposal) == stored, f"“{name}” by {role} changed what was published"
    again, again_pdf = _served(client, proposal, reader)
    assert again_pdf == pdf
    assert approved.html in again
    if not Decision.objects.filter(proposal=proposal).exists():
        # The public outcome page, byte for byte but for the per-request CSP nonce (a
        # recorded decision is a new act the page reports, around the same approved text).
        assert _nonce_masked(again) == _nonce_masked(page)
    assert SignificanceAssessment.objects.get(proposal=proposal).override_reason == ""
    if role in (Role.ADMINISTRATOR, Role.DECISION_MAKER):
        assert ended["decision"].startswith("the decision")
        assert "decision has been recorded" in ended["decision again"]
    if role == Role.ADMINISTRATOR:
        # Once decided, the stage table refuses a reopening before the report's own rule.
        assert "decision has been recorded" in ended["reopen"]
    print(f"\n{role}:\n" + "\n".join(f"  {k}: {v}" for k, v in ended.items()))


def test_reopening_unlocks_the_analysis_and_reissuing_keeps_version_one_byte_for_byte(
    client, make_staff
) -> None:
    """The one way to change what was issued: reopen with a reason, change the analysis,
    sign it off again with a reason, reissue. Version 1 keeps its bytes; the analysis is
    locked again on version 2."""
    made = _publish_outcome()
    proposal: Proposal = made["proposal"]
    first = _stored(proposal)
    officer, analyst = make_staff(Role.ENGAGEMENT_OFFICER), make_staff(Role.ANALYST)
    travel, parking = made["themes"]["Travel to the new site"], made["themes"]["Parking"]
    with pytest.raises(AnalysisProblem, match="reopened with a reason"):
        analysis.theme_merge(source=parking, target=travel, actor=analyst)
    services.report_reopen(
        proposal=proposal, actor=officer, reason="Parking and travel answers overlap."
    )
    unlocked = AuditEvent.objects.filter(action=Action.CODEFRAME_CHANGED).order_by("sequence")
    assert (unlocked.last().after or {})["change"] == "unlocked"  # type: ignore[union-attr]
    analysis.theme_merge(source=parking, target=travel, actor=analyst)
    with pytest.raises(AnalysisProblem, match="reason"):
        analysis.codeframe_sign_off(codeframe=made["codeframe"], actor=analyst, reason="x")
    analysis.codeframe_sign_off(
        codeframe=made["codeframe"], actor=analyst, reason="Parking merged into travel."
    )
    services.theme_response_save(
        proposal=proposal,
        theme_id=travel.pk,
        actor=officer,
        response="We heard about travel and parking and will act on both. We weighed this against the travel survey and the clinical advice.",
        changed="partly",
        how="A shuttle bus and more spaces.",
    )
    services.report_issue(proposal=proposal, actor=officer, issued_to="ICB board members")
    stored = _stored(proposal)
    assert stored[0] == first[0]  # version 1, byte for byte
    assert [r[0] for r in stored[:2]] == [1, 2]
    assert [t["name"] for t in stored[1][9]] == ["Travel to the new site"]
    with pytest.raises(AnalysisProblem, match="Version 2 of the outcome report"):
        analysis.theme_update(theme=travel, actor=analyst, name="Buses", description="Buses.")
