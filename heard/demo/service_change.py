"""Demo service change (called by ``manage.py demo_load``, after the analysis demo).

Two fictional proposals, taken through the real services of every app:

1. **Moving the Eastbrook minor injuries unit** from the cottage hospital to the new
   health and care centre, all the way to a decision: early engagement, three options
   with a co-produced appraisal, a significance assessment finding a substantial impact
   on access, NHS England assurance (stage 2 passed, EqIA attached), a 12-week formal
   consultation that closed five weeks ago with ~300 responses (some of them an
   organised campaign; "anything else" answers drawn from the engagement demo's comment
   source) that came the ways responses come – online through the public form's
   service, the campaign's emails entered by the officer, paper, event and phone ones
   from one imported spreadsheet – analysis themes named by an analyst, a response to every theme, the outcome
   report issued to the board, and the board's decision.
2. **Moving the Wymford blood-test clinic** across the road, assessed as not
   significant (minor impacts, with the reasons) and taken forward by other involvement.

Idempotent: a proposal that exists is left alone. The analysis runs here, synchronously
(about 900 answers, a few seconds), so that the themes exist to respond to.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from heard.accounts.models import User
from heard.analysis import selectors as analysis_selectors
from heard.analysis import services as analysis_services
from heard.analysis.models import AnswerAnalysis, Coding, Theme
from heard.core.actors import CLOCK
from heard.demo.response_import import import_responses
from heard.engagement import questionnaire as questionnaire_rules
from heard.engagement import selectors_responses
from heard.engagement import services as engagement_services
from heard.engagement.forms_responses import mapping_choices
from heard.engagement.models import (
    Activity,
    Answer,
    QuestionnaireVersion,
)
from heard.engagement.services_responses import response_enter, response_submit
from heard.people import equality
from heard.people.models import Topic
from heard.servicechange.assessment import services as assessment
from heard.servicechange.assessment.models import (
    AssuranceTest,
    Checkpoint,
    EqualityImpact,
    EqualityImpactAssessment,
    Option,
    ReconfigurationNotice,
    SignificanceAssessment,
)
from heard.servicechange.consultations import services as consultations
from heard.servicechange.consultations.models import (
    Consultation,
    Council,
    DocumentSection,
    DocumentVersion,
    Mailout,
    ScrutinyResponse,
    SignOff,
)
from heard.servicechange.lifecycle import services as lifecycle
from heard.servicechange.outcomes import selectors, services
from heard.servicechange.proposals import services as proposals
from heard.servicechange.proposals.models import Proposal, ProposalTransition

MIU_TITLE = "Moving the Eastbrook minor injuries unit to the Eastbrook Health and Care Centre"
CLINIC_TITLE = "Moving the Wymford blood-test clinic to the library building across the road"
WINTER_TITLE = "One evening GP access hub for Cromer and Sheringham from this winter"
RESPONSES = 300


# The structured EqIA of the decided demo proposal: every protected characteristic and the
# ICB's additions, with evidence, the likely impact and – where negative – the mitigation.
_NEUTRAL = "No difference found in the unit's activity data, the 2021 Census or what people said"
MIU_EQIA_ROWS: dict[str, dict[str, str]] = {
    "age": {
        "impact": "negative",
        "evidence": "People over 75 make a third of visits and are least likely to drive.",
        "mitigation": "A free shuttle bus from Cawford and Little Ashby every half hour.",
    },
    "disability": {
        "impact": "negative",
        "evidence": "Disabled people rely more on community transport, which ends at 6pm.",
        "mitigation": "Patient transport booked through the unit, and accessible parking.",
    },
    "gender_reassignment": {"impact": "neutral", "evidence": f"{_NEUTRAL}."},
    "marriage_civil_partnership": {"impact": "neutral", "evidence": f"{_NEUTRAL}."},
    "pregnancy_maternity": {
        "impact": "positive",
        "evidence": "Longer opening hours help parents of young children in the evening.",
    },
    "race": {
        "impact": "unknown",
        "evidence": "Too few answers from minority ethnic groups to judge; targeted outreach "
        "to the Gypsy and Traveller sites continues.",
    },
    "religion_belief": {"impact": "neutral", "evidence": f"{_NEUTRAL}."},
    "sex": {"impact": "neutral", "evidence": f"{_NEUTRAL}."},
    "sexual_orientation": {"impact": "neutral", "evidence": f"{_NEUTRAL}."},
    "carers": {
        "impact": "negative",
        "evidence": "Carers told us the longer journey is hard with the person they care for.",
        "mitigation": "The shuttle bus takes a carer free with the person they care for.",
    },
    "deprivation": {
        "impact": "negative",
        "evidence": "Car ownership is lowest in the most deprived parts of Cawford.",
        "mitigation": "The shuttle bus is free, and bus fares are refunded at the unit.",
    },
    "rurality": {
        "impact": "negative",
        "evidence": "Villages east of Cawford have no direct bus to the health centre.",
        "mitigation": "The shuttle bus stops in Little Ashby and the eastern villages.",
    },
}


def _staff(email: str) -> User:
    """A demo staff member (made by demo_load first): the demo acts as the person whose
    job it is, and every service checks their permission."""
    return User.objects.get(email=email)


def load(out: Any = None) -> dict[str, int]:
    made: dict[str, int] = {}
    if not Proposal.objects.filter(title=MIU_TITLE).exists():
        # The council's scrutiny contact is a fictional .example address: the change
        # notices are recorded (with who they went to) but no email is printed or sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            _miu()
        made["service change decided"] = 1
    if not Proposal.objects.filter(title=CLINIC_TITLE).exists():
        _clinic()
        made["service change assessed as not significant"] = 1
    if not Proposal.objects.filter(title=WINTER_TITLE).exists():
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            _winter()
        made["formal consultation being prepared, shortened and justified"] = 1
    return made


# 1. The minor injuries unit -------------------------------------------------------------------


def _miu() -> None:
    lead = _staff("lead@demo.heard.example")
    officer = _staff("officer@demo.heard.example")
    analyst = _staff("analyst@demo.heard.example")
    board = _staff("board@demo.heard.example")
    now = timezone.now()
    opens = (now - timedelta(weeks=17)).replace(hour=9, minute=0, second=0, microsecond=0)
    closes = (opens + timedelta(weeks=12)).replace(hour=23, minute=59)

    with transaction.atomic():
        proposal = proposals.proposal_create(
            actor=lead,
            title=MIU_TITLE,
            description=(
                "The minor injuries unit at Eastbrook Cottage Hospital has closed at short "
                "notice on 41 days in the last year because it could not be staffed safely, "
                "and it has no X-ray. We propose moving it two miles to the new Eastbrook "
                "Health and Care Centre, beside the GP practice and the X-ray department, "
                "open 8am to 10pm every day."
            ),
            services="Minor injuries unit; X-ray; urgent treatment",
            localities=["Broadland"],
            people_affected=38000,
            lead=lead,
            topics=list(Topic.objects.filter(slug="urgent-and-emergency-care")),
        )
        # Logged eight months before the consultation (as _miu_lifecycle_dates has it):
        # the assurance checkpoints and notices below are dated after it.
        Proposal.objects.filter(pk=proposal.pk).update(created_at=opens - timedelta(weeks=32))
        proposal.refresh_from_db()
        lifecycle.proposal_transition(
            proposal=proposal, target="early_engagement", actor=lead, note="Plans shared early."
        )
        public_line = _miu_plan(proposal, officer, opens)
        # Early engagement: the listening events (not someone else's survey).
        listening_starts = opens - timedelta(weeks=28)
        listening = engagement_services.activity_save(
            actor=officer,
            fields={
                "title": "Listening events: the future of the Eastbrook minor injuries unit",
                "summary": (
                    "Tell us what matters to you about urgent care in Eastbrook, before any "
                    "options are drawn up."
                ),
                "level": "consult",
                "kind": "drop_in",
                "opens_at": listening_starts,
                "closes_at": listening_starts + timedelta(weeks=3),
                "event_starts_at": listening_starts + timedelta(weeks=1),
                "event_ends_at": listening_starts + timedelta(weeks=1, hours=2),
                "venue": "Eastbrook, Cawford and Little Ashby",
                "limbs": ["proposals"],
            },
            localities=["Broadland"],
        )
        engagement_services.activity_transition(
            activity=listening, target="open", actor=officer, now=listening_starts
        )
        engagement_services.activity_transition(
            activity=listening,
            target="closed",
            actor=officer,
            now=listening_starts + timedelta(weeks=3),
        )
        proposals.activity_link(
            proposal=proposal,
            activity=listening,
            actor=officer,
            is_early_engagement=True,
            plan_item=public_line,
        )
        proposals.evidence_record(
            proposal=proposal,
            actor=officer,
            note=(
                "Listening events in Eastbrook, Cawford and Little Ashby (62 people): waiting "
                "for X-ray at the district hospital and unplanned closures came up most."
            ),
        )
        lifecycle.proposal_transition(proposal=proposal, target="options", actor=lead)
        _miu_options(proposal, lead)
        lifecycle.proposal_transition(
            proposal=proposal, target="significance_assessment", actor=lead
        )
        assessment.significance_save(
            actor=lead,
            proposal=proposal,
            summary="A change of location for an urgent service used by about 9,000 people a year.",
            areas={
                "access": {
                    "impact": "substantial",
                    "who_affected": "People using the unit, especially those without a car",
                    "how_many": 9000,
                    "evidence": "Two miles further for most of Eastbrook; one bus an hour.",
                },
                "wider_community": {
                    "impact": "moderate",
                    "who_affected": "Eastbrook town centre; the cottage hospital's future",
                    "how_many": 38000,
                    "evidence": "Town council and Healthwatch feedback at the listening events.",
                },
                "patients": {
                    "impact": "moderate",
                    "who_affected": "People with minor injuries needing an X-ray",
                    "how_many": 2600,
                    "evidence": "2,600 transfers a year to the district hospital for X-ray.",
                },
                "service_delivery": {
                    "impact": "moderate",
                    "who_affected": "Unit staff; GP practice; ambulance service",
                    "how_many": 45,
                    "evidence": "Workforce review, March; rota gaps on 41 days.",
                },
            },
        )
        # Assessed at its stage of the story (the notice to the Secretary of State follows it).
        SignificanceAssessment.objects.filter(proposal=proposal).update(
            assessed_at=opens - timedelta(weeks=10)
        )
        lifecycle.proposal_transition(proposal=proposal, target="assurance", actor=lead)
        for test, evidence in (
            ("engagement", "Listening events and the engagement plan; Healthwatch involved."),
            ("patient_choice", "Patients keep the choice of the district hospital and NHS 111."),
            ("clinical_evidence", "Clinical senate review: co-location with X-ray is safer."),
            ("commissioner_support", "Supported by the ICB's primary care committee."),
        ):
            assessment.assurance_test_save(
                actor=lead, proposal=proposal, test=test, evidence=evidence
            )
        for stage in (1, 2):
            assessment.checkpoint_record(
                actor=lead,
                proposal=proposal,
                stage=stage,
                outcome=Checkpoint.Outcome.PASSED,
                held_on=(opens - timedelta(weeks=8 - stage * 3)).date(),
            )
        assessment.eqia_attach(
            actor=lead,
            proposal=proposal,
            title="Equality impact assessment: Eastbrook minor injuries unit",
            file=ContentFile(
                _one_page_pdf(
                    "Demo EqIA: older people and people without a car are most affected; "
                    "mitigations: shuttle bus, patient transport."
                ),
                name="eastbrook-miu-eqia.pdf",
            ),
        )
        assessment.eqia_impacts_save(actor=lead, proposal=proposal, rows=MIU_EQIA_ROWS)
        consultation = consultations.consultation_create(actor=officer, proposal=proposal)
        _miu_document(consultation, officer)
        consultations.council_add(
            actor=officer,
            consultation=consultation,
            name="Norfolk County Council",
            committee="Health Overview and Scrutiny Committee",
            contact_email="hosc@demo.heard.example",
        )
        consultations.dates_save(
            actor=officer,
            consultation=consultation,
            opens_at=opens,
            closes_at=closes,
            justification="",
        )
        # Reg. 23: the first letter to the committee, two weeks before the consultation
        # opened, with the comments date and the proposed decision date (published).
        consultations.scrutiny_letter_send(
            actor=officer,
            consultation=consultation,
            comments_due_on=(closes + timedelta(weeks=2)).date(),
            proposed_decision_on=(closes + timedelta(weeks=4)).date(),
            contact="The engagement team, NHS Norfolk and Waveney ICB, engagement@demo.heard.example",
            base_url="https://demo.heard.example",
            now=opens - timedelta(weeks=2),
        )
        # The Consultation Institute's checkpoints before opening: the scope agreed, and the
        # document reviewed by the programme lead, who did not draft it.
        consultations.scope_agree(
            actor=lead,
            consultation=consultation,
            note=(
                "Open to change: where the unit goes, its opening hours and the transport to "
                "it. Not open: the unit's staffing model. Reach people without a car, older "
                "people in the villages and the unit's regular users."
            ),
        )
        consultations.documents_review(
            actor=lead,
            consultation=consultation,
            note=(
                "Checked every section against the options appraisal and the EqIA; plain "
                "English checked; the costs agree with the business case."
            ),
        )
        consultations.consultation_open(actor=officer, consultation=consultation, now=opens)
        consultation.refresh_from_db()
        events: list[Activity] = []
        for title, venue, week in (
            ("Drop-in: the Eastbrook minor injuries unit", "Eastbrook Library", 2),
            ("Drop-in: the minor injuries unit, for Cawford", "Cawford Village Hall", 5),
            ("Online meeting: the Eastbrook minor injuries unit", "Online (Teams)", 8),
        ):
            starts = opens + timedelta(weeks=week, hours=9)
            event = engagement_services.activity_save(
                actor=officer,
                fields={
                    "title": title,
                    "summary": "Come and ask us about the proposal and tell us what you think.",
                    "level": "consult",
                    "kind": "drop_in",
                    "opens_at": opens,
                    "closes_at": starts + timedelta(hours=3),
                    "event_starts_at": starts,
                    "event_ends_at": starts + timedelta(hours=3),
                    "venue": venue,
                    "limbs": ["proposals"],
                },
                localities=["Broadland"],
            )
            engagement_services.activity_transition(
                activity=event, target="open", actor=officer, now=opens
            )
            engagement_services.activity_transition(
                activity=event, target="closed", actor=officer, now=starts + timedelta(hours=3)
            )
            proposals.activity_link(
                proposal=proposal, activity=event, actor=officer, plan_item=public_line
            )
            events.append(event)
        # Three weeks in, an error in the published costs was found and corrected: a new
        # version with the reason, shown publicly as "corrected on … because …"; version 1
        # stays public as what people saw until then.
        consultations.document_correct(
            actor=officer,
            consultation=consultation,
            bodies={
                "costs": (
                    "£420,000 capital; running costs £150,000 a year lower, of which the "
                    "shuttle bus from Cawford and Little Ashby costs £38,000 a year."
                )
            },
            reason=(
                "The first version left out what the shuttle bus would cost to run, which "
                "people at the Eastbrook drop-in asked about."
            ),
        )
        _miu_responses(consultation, opens, closes)
        consultations.midpoint_record(
            actor=officer,
            consultation=consultation,
            now=opens + timedelta(weeks=6),
            action_taken=(
                "Fewer responses than expected from people aged 35 to 64 and from White "
                "residents: we added an evening online meeting for people at work, asked the "
                "parish councils and large employers to share the survey, and handed out "
                "paper copies at the Cawford GP surgery."
            ),
        )
        engagement_services.activity_transition(
            activity=consultation.activity,
            target="closed",
            actor=CLOCK,
            now=closes + timedelta(minutes=1),
        )
        # The board meeting moved: the committee is told the new proposed decision date
        # the day after the close (a re-notification, published).
        consultations.osc_save(
            actor=officer,
            consultation=consultation,
            comments_due_on=(closes + timedelta(weeks=2)).date(),
            proposed_decision_on=timezone.localdate(),
            joint_committee_name="",
            reason=(
                "The board meeting in public that will decide moved to a later date, so "
                "the decision will be taken then."
            ),
            now=closes + timedelta(days=1),
        )
        assessment.eqia_review(  # by those deciding: the duty is not delegated
            actor=board,
            proposal=proposal,
            notes=(
                "Reviewed against the consultation: older people and people without a car "
                "raised travel most; the shuttle bus, patient transport and parking are the "
                "mitigations. No new group found to be affected."
            ),
        )
        # The committee's response, received ten days after the close (before the
        # comments date), recorded by the officer.
        consultations.scrutiny_response_record(
            actor=officer,
            consultation=consultation,
            received_on=(closes + timedelta(days=10)).date(),
            position="agrees",
            summary=(
                "The Health Overview and Scrutiny Committee supports the move, provided the "
                "shuttle bus runs from the day the unit opens and the first year is reviewed "
                "in public."
            ),
        )
        assessment.reconfiguration_notice_record(
            actor=lead,
            proposal=proposal,
            notified_on=(closes + timedelta(weeks=3)).date(),
            osc_view=(
                "The Health Overview and Scrutiny Committee supports the move, provided the "
                "shuttle bus runs from the day the unit opens and the first year is reviewed "
                "in public."
            ),
        )
        # The council's committee asked the Secretary of State to call it in; the answer
        # came before the decision (which was held until then).
        call_in = assessment.call_in_request_record(
            actor=lead,
            proposal=proposal,
            requested_on=(closes + timedelta(weeks=4)).date(),
            requested_by="A member of Norfolk County Council's Health Overview and Scrutiny Committee",
            grounds=(
                "The shuttle bus is not yet funded beyond two years, so people without a car "
                "in Cawford and Little Ashby could lose access to urgent care."
            ),
        )
        assessment.call_in_response_record(
            actor=lead,
            proposal=proposal,
            request=call_in,
            received_on=timezone.localdate() - timedelta(days=3),
            outcome="no_call_in",
            text=(
                "The Secretary of State has decided not to call in the proposal: the "
                "consultation and the mitigations for travel are adequate, and the committee's "
                "concerns can be met locally."
            ),
        )
        lifecycle.proposal_transition(
            proposal=proposal,
            target="decision_pending",
            actor=lead,
            note="Consultation closed; analysis and consideration under way.",
        )
    # Analysis: the real runs, synchronously (each in its own transactions).
    for question in selectors.free_text_questions(consultation):
        run = analysis_services.analysis_run_start(question=question, actor=analyst)
        analysis_services.analysis_run_execute(run_id=run.pk)
    with transaction.atomic():
        _name_themes(consultation, analyst)
        _miu_consideration(proposal, officer, lead)
        services.report_issue(
            proposal=proposal,
            actor=officer,
            issued_to="NHS Norfolk and Waveney ICB board members, for the meeting in public",
        )
        # Issuing stores the report as issued and sends its "you said, we did" for
        # approval; a second person with the permission to publish approves it.
        admin = _staff("admin@demo.heard.example")
        for pending in selectors.pending_publications().filter(proposal=proposal):
            services.publication_approve(publication=pending, actor=admin)
        # A correction, as it happens: the summary as first issued left out a commitment.
        # Reopened with the reason and issued again, version 2 supersedes version 1; both
        # stay stored (and public), and the board decides on version 2.
        services.report_reopen(
            proposal=proposal,
            actor=lead,
            reason=(
                "The summary left out our commitment to keep outpatient clinics at the "
                "cottage hospital."
            ),
        )
        _miu_summary(proposal, lead, complete=True)
        services.report_issue(
            proposal=proposal,
            actor=officer,
            issued_to="NHS Norfolk and Waveney ICB board members, for the meeting in public",
        )
        for pending in selectors.pending_publications().filter(proposal=proposal):
            services.publication_approve(publication=pending, actor=admin)
        # Each decision maker's own regard to the reviewed EqIA, before the decision
        # (Brown principles: not delegated, in substance).
        assessment.due_regard_record(
            actor=board,
            proposal=proposal,
            statement=(
                "I read the EqIA as reviewed after the consultation. Older people, disabled "
                "people, carers and people on low incomes without a car lose most from the "
                "move; I weighed the shuttle bus, patient transport and the extra parking as "
                "the mitigations, and the longer opening hours as a gain for working people."
            ),
        )
        lifecycle.decision_record(
            proposal=proposal,
            actor=board,
            decided_on=timezone.localdate(),
            decided_by="NHS Norfolk and Waveney ICB board, meeting in public",
            decision=(
                "Move the minor injuries unit to the Eastbrook Health and Care Centre, open "
                "8am to 10pm every day, with a shuttle bus from Cawford and Little Ashby for "
                "the first two years and 20 more parking spaces; review after 12 months."
            ),
            board_paper_url="https://demo.heard.example/board/papers/eastbrook-miu-decision.pdf",
        )
        for activity in [consultation.activity, *events]:
            engagement_services.activity_feedback_save(
                actor=officer,
                activity=activity,
                feedback=(
                    "Thank you for taking part. The board decided to move the unit, with a "
                    "shuttle bus, more parking and the outpatient clinics kept at the cottage "
                    "hospital. See “You said, we did” for what you told us and what we did."
                ),
            )
            # Published by approval (which moves the activity to "feedback published").
            item = services.feedback_publication_submit(activity=activity, actor=officer)
            services.publication_approve(publication=item, actor=admin)
        _miu_lifecycle_dates(proposal, opens, closes)


def _one_page_pdf(text: str) -> bytes:
    """A PDF of one page with ``text`` on it (an EqIA must be a document with a page)."""
    line = text.replace("\\", "").replace("(", "").replace(")", "").encode("latin-1", "replace")
    stream = b"BT /F1 11 Tf 56 780 Td (" + line + b") Tj ET"
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
        b"4 0 obj<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\n"
        b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
        b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
    )


def _date_moves(proposal: Proposal, when: dict[str, datetime]) -> None:
    """Date a proposal's lifecycle moves as the story has them (the demo is loaded in one
    go, so they were all recorded just now); ``when[""]`` is when it was logged. The audit
    trail keeps the real recording times."""
    for move in ProposalTransition.objects.filter(proposal=proposal):
        key = move.to_status if move.from_status else ""
        if key in when:
            ProposalTransition.objects.filter(pk=move.pk).update(at=when[key])
    Proposal.objects.filter(pk=proposal.pk).update(created_at=when[""])


def _noon(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


def _miu_lifecycle_dates(proposal: Proposal, opens: datetime, closes: datetime) -> None:
    """Date what was prepared before and during the consultation as the story has it:
    logged eight months before the consultation, options before the weights were agreed,
    assurance before the stage checkpoints, the EqIA, the councils and the committee's
    first letter, the document published three weeks before opening and reviewed a week
    later, the scope agreed before that, the mid-point review half way, decision pending
    the day after the close. The report, its correction and the decision are today's (the
    board met today). The audit trail keeps the real recording times."""
    _date_moves(
        proposal,
        {
            "": opens - timedelta(weeks=32),
            "early_engagement": opens - timedelta(weeks=30),
            "options": opens - timedelta(weeks=16),
            "significance_assessment": opens - timedelta(weeks=10),
            "assurance": opens - timedelta(weeks=9),
            "formal_consultation": opens,
            "decision_pending": closes + timedelta(days=1),
        },
    )
    consultation = Consultation.objects.get(proposal=proposal)
    published = opens - timedelta(weeks=3)
    # The consultation was set up after assurance began, before the committee's letter.
    Consultation.objects.filter(pk=consultation.pk).update(
        created_at=opens - timedelta(weeks=6), document_published_at=published
    )
    versions = list(DocumentVersion.objects.filter(consultation=consultation).order_by("number"))
    DocumentVersion.objects.filter(pk=versions[0].pk).update(published_at=published)
    for later in versions[1:]:  # the correction, three weeks in
        DocumentVersion.objects.filter(pk=later.pk).update(published_at=opens + timedelta(weeks=3))
    DocumentSection.objects.filter(consultation=consultation).update(
        updated_at=published - timedelta(days=2), published_at=published
    )
    if len(versions) > 1:  # the sections the correction changed
        changed = [
            key
            for key, text in versions[-1].sections.items()
            if versions[0].sections.get(key) != text
        ]
        DocumentSection.objects.filter(consultation=consultation, key__in=changed).update(
            updated_at=opens + timedelta(weeks=3), published_at=opens + timedelta(weeks=3)
        )
    SignOff.objects.filter(consultation=consultation, kind=SignOff.Kind.SCOPE).update(
        at=opens - timedelta(weeks=5)
    )
    SignOff.objects.filter(consultation=consultation, kind=SignOff.Kind.DOCUMENTS).update(
        at=opens - timedelta(weeks=2)
    )
    Council.objects.filter(consultation=consultation).update(added_at=opens - timedelta(weeks=5))
    for response in ScrutinyResponse.objects.filter(consultation=consultation):
        ScrutinyResponse.objects.filter(pk=response.pk).update(
            recorded_at=_noon(response.received_on)
        )
    Mailout.objects.filter(consultation=consultation).update(
        created_at=opens, finished_at=opens + timedelta(minutes=5)
    )
    EqualityImpactAssessment.objects.filter(proposal=proposal).update(
        attached_at=opens - timedelta(weeks=8), reviewed_at=closes + timedelta(days=10)
    )
    EqualityImpact.objects.filter(eqia__proposal=proposal).update(
        recorded_at=opens - timedelta(weeks=8)
    )
    for checkpoint in Checkpoint.objects.filter(proposal=proposal):
        Checkpoint.objects.filter(pk=checkpoint.pk).update(recorded_at=_noon(checkpoint.held_on))
    for notice in ReconfigurationNotice.objects.filter(assessment__proposal=proposal):
        ReconfigurationNotice.objects.filter(pk=notice.pk).update(
            recorded_at=_noon(notice.notified_on)
        )
    AssuranceTest.objects.filter(proposal=proposal).update(recorded_at=opens - timedelta(weeks=9))
    Option.objects.filter(proposal=proposal).update(created_at=opens - timedelta(weeks=16))


def _miu_plan(proposal: Proposal, officer: Any, opens: datetime) -> Any:
    """The engagement plan; returns its line for the people who use the unit."""
    start = (opens - timedelta(weeks=30)).date()
    end = (opens + timedelta(weeks=12)).date()
    proposals.plan_update(
        proposal=proposal,
        actor=officer,
        seldom_heard=(
            "People without a car in Cawford and Little Ashby: paper surveys at the GP "
            "surgery and a drop-in in the village hall. Young people: the college's student "
            "union. Older people: Age UK's lunch clubs. Easy read and large print on request."
        ),
        timeline=(
            "Listening events before options are drawn up; options appraisal with the "
            "stakeholder reference group; 12 weeks of formal consultation; the board "
            "decides in public after the committee has commented."
        ),
        starts_on=start,
        ends_on=end,
    )
    lines = []
    for audience, methods, weeks in (
        (
            "People who use the minor injuries unit",
            "Listening events, survey, drop-ins",
            (0, 42),
        ),
        (
            "Eastbrook town council and Healthwatch Norfolk",
            "Stakeholder reference group; options appraisal panel",
            (4, 20),
        ),
        (
            "Unit staff, the GP practice and the ambulance service",
            "Staff briefings and a clinical panel",
            (4, 42),
        ),
    ):
        lines.append(
            proposals.plan_item_save(
                proposal=proposal,
                actor=officer,
                audience=audience,
                methods=methods,
                starts_on=start + timedelta(weeks=weeks[0]),
                ends_on=start + timedelta(weeks=weeks[1]),
            )
        )
    return lines[0]


def _miu_options(proposal: Proposal, lead: Any) -> None:
    options = [
        assessment.option_save(
            actor=lead,
            proposal=proposal,
            title="Do nothing: keep the unit at the cottage hospital",
            description="Keep the unit where it is, with the current hours and no X-ray.",
            is_do_nothing=True,
            estimated_cost="£0 capital; £180,000 a year in agency staff",
            set_aside=True,
            set_aside_reason="Unplanned closures would continue; no X-ray on site.",
        ),
        assessment.option_save(
            actor=lead,
            proposal=proposal,
            title="Move the unit to the Eastbrook Health and Care Centre",
            description="Beside the GP practice and X-ray, open 8am to 10pm every day.",
            is_preferred=True,
            estimated_cost="£420,000 capital; saves £150,000 a year",
        ),
        assessment.option_save(
            actor=lead,
            proposal=proposal,
            title="Close the unit and send people to the district hospital",
            description="Minor injuries seen at the district hospital's urgent treatment centre.",
            estimated_cost="Saves £600,000 a year",
            set_aside=True,
            set_aside_reason="Twelve miles further for most people; fails access.",
        ),
    ]
    criteria = [
        assessment.criterion_save(actor=lead, proposal=proposal, name=name, weight=Decimal(w))
        for name, w in (
            ("Quality and safety of care", "35"),
            ("Access for local people", "30"),
            ("Workforce sustainability", "20"),
            ("Value for money", "15"),
        )
    ]
    assessment.weights_agreed(
        actor=lead,
        proposal=proposal,
        agreed_by="Eastbrook stakeholder reference group with Healthwatch",
        agreed_on=timezone.localdate() - timedelta(weeks=30),
    )
    grids = {
        "Clinical panel": [[2, 4, 1, 2], [5, 3, 4, 4], [3, 1, 4, 5]],
        "Public reference group": [[2, 5, 1, 2], [4, 3, 4, 3], [2, 1, 3, 4]],
    }
    for name, grid in grids.items():
        panel = assessment.panel_save(
            actor=lead,
            proposal=proposal,
            name=name,
            scored_on=timezone.localdate() - timedelta(weeks=26),
        )
        assessment.scores_save(
            actor=lead,
            panel=panel,
            scores={
                (option.pk, criterion.pk): grid[i][j]
                for i, option in enumerate(options)
                for j, criterion in enumerate(criteria)
            },
        )


def _miu_document(
    consultation: Consultation, officer: Any, texts: dict[str, str] | None = None
) -> None:
    texts = texts or {
        "proposal": "We propose moving the minor injuries unit to the new health and care centre.",
        "options": "Three options: keep the unit where it is; move it; close it.",
        "reasons": "Safer staffing, X-ray on site, longer opening hours.",
        "alternatives": "Doing nothing and closing the unit were set aside (see the appraisal).",
        "costs": "£420,000 capital; running costs £150,000 a year lower.",
        "impacts": "Longer journeys for some people without a car; mitigations proposed.",
        "eqia": "Older people and people without a car are most affected; see the EqIA.",
    }
    for section in DocumentSection.objects.filter(consultation=consultation):
        if not section.body.strip():
            consultations.section_save(
                actor=officer, section=section, body=texts.get(section.key, "See the document.")
            )
    consultations.document_publish(actor=officer, consultation=consultation)


# What people said: (theme name, description, sentences, mood weight)
MIU_TOPICS: dict[str, list[str]] = {
    "Travel and buses": [
        "The bus from Cawford to the new centre only runs once an hour",
        "Without a car it will take me over an hour each way",
        "Older people in Little Ashby rely on the community bus which does not go there",
        "A taxi to the health centre costs twelve pounds each way",
        "There is no bus at all on Sunday evenings from the villages",
        "Walking there with a sprained ankle is not realistic from the market square",
    ],
    "Parking at the new centre": [
        "The car park at the health centre is already full most mornings",
        "There are not enough parking spaces for the GP surgery as it is",
        "Parking charges at the new centre will put people off",
        "Disabled parking bays are always taken at the health centre",
    ],
    "X-ray and longer opening hours": [
        "Having the X-ray in the same building makes sense, no more trips to the district hospital",
        "Open until ten at night every day would be a real improvement",
        "Last year my son was sent on to the district hospital for an X-ray and we waited hours",
        "Longer opening hours at weekends will keep people out of A&E",
    ],
    "Staffing and unplanned closures": [
        "The unit keeps closing at short notice because there are not enough nurses",
        "I turned up twice and found a sign saying closed due to staffing",
        "Better a fully staffed unit two miles away than one that is shut",
        "Nurse practitioners need proper support and cover to stay",
    ],
    "Keep the cottage hospital": [
        "The cottage hospital is the heart of Eastbrook and should stay open",
        "Townspeople raised money for the hospital and it should not be run down",
        "What will happen to the cottage hospital building if the unit moves",
        "Moving services out is the first step to closing the cottage hospital",
    ],
}
CAMPAIGN = (
    "I oppose the removal of minor injuries services from Eastbrook Cottage Hospital. "
    "Keep local care local. Save our cottage hospital."
)
OPENERS = ["", "", "", "Honestly, ", "As a carer, ", "Speaking for my mum, ", "I think "]
DETAILS = [
    "I live in Cawford and work shifts at the care home.",
    "My husband uses a wheelchair and we have no car.",
    "We have three children under ten who are always falling over.",
    "I am 82 and gave up driving last year.",
    "Our farm is four miles outside town.",
    "I coach the under-twelves football team on Saturdays.",
    "My daughter has asthma and we have been twice this winter.",
    "I have lived in Eastbrook for forty years.",
    "I volunteer at the cottage hospital league of friends.",
    "We moved here from Norwich two years ago.",
    "I am a nurse myself, at the district hospital.",
    "I care for my mother who has dementia.",
    "I cycle everywhere and do not own a car.",
    "My son is autistic and busy waiting rooms are hard for him.",
    "I run the bakery on the market square.",
    "We only have one car and my partner takes it to work.",
    "I broke my wrist last spring and was sent away for an X-ray.",
    "I work nights so I need somewhere open late.",
    "I am registered blind and rely on lifts from neighbours.",
    "My grandchildren stay with us in the school holidays.",
    "I teach at the primary school in Little Ashby.",
    "English is my second language and I like to see the same faces.",
    "I am a wheelchair user myself.",
    "I have diabetes and need my feet checked often.",
]
VILLAGES_EQUALITY_SKIP = 0.4
MIU_OFFLINE_FILE = (
    "Eastbrook minor injuries unit consultation - paper, event and phone responses.csv"
)


def _miu_responses(consultation: Consultation, opens: datetime, closes: datetime) -> None:
    """~300 responses, through the ways responses to a consultation really arrive: online
    ones through the public form's service (``response_submit``), each at the time it was
    sent; the campaign's emails typed in by the officer as each came in
    (``response_enter``); the paper, event and phone ones typed up into one spreadsheet
    and imported by the officer (``response_import_start`` / ``response_import_run``).
    The online responses' insights are then made the way the worker makes them.
    "Anything else" answers are drawn from the engagement demo's comment source."""
    from heard.demo.engagement import _demo_comments, _drain_insights

    rng = random.Random(6)  # noqa: S311 - fictional demo data, reproducible
    activity = consultation.activity
    q = selectors_responses.questionnaire_for_activity(activity)
    version = selectors_responses.respondable_version(q) if q is not None else None
    assert version is not None
    view = selectors_responses.version_view(version)
    questions = view.questions
    kinds = {question.kind: question for question in questions}
    respondent_key, likert_key = kinds["respondent_type"].key, kinds["likert"].key
    why_key, other_key = [question.key for question in questions if question.kind == "long_text"][
        :2
    ]
    comments = [text for text, _ in _demo_comments() if 40 <= len(text) <= 300]
    rng.shuffle(comments)
    topics = list(MIU_TOPICS)
    span = (closes - opens).total_seconds()
    plans: list[_MiuResponse] = []
    for i in range(RESPONSES):
        campaign = i % 10 == 0
        organisation = not campaign and rng.random() < 0.03
        channel = (
            "email"
            if campaign
            else rng.choices(["online", "paper", "event", "phone"], weights=[78, 12, 7, 3])[0]
        )
        sent = opens + timedelta(seconds=rng.random() * span)
        consent = rng.random() < 0.6
        if campaign:
            why, mood = CAMPAIGN, "strongly_disagree"
        else:
            topic = rng.choices(topics, weights=[30, 14, 22, 20, 14])[0]
            opener, sentence = rng.choice(OPENERS), rng.choice(MIU_TOPICS[topic])
            if opener and not sentence.startswith(("X-ray", "I ")):
                sentence = sentence[0].lower() + sentence[1:]
            why = f"{opener}{sentence}. {rng.choice(DETAILS)}"
            if rng.random() < 0.5:
                why += " " + rng.choice(MIU_TOPICS[rng.choice(topics)]) + "."
            mood = {
                "X-ray and longer opening hours": rng.choice(["agree", "strongly_agree"]),
                "Staffing and unplanned closures": rng.choice(["agree", "neutral"]),
            }.get(topic, rng.choice(["disagree", "strongly_disagree", "neutral"]))
        raw: dict[str, Any] = {
            respondent_key: "organisation" if organisation else "individual",
            likert_key: mood,
            why_key: why,
        }
        if organisation:
            raw[questionnaire_rules.organisation_key(respondent_key)] = "Eastbrook Town Council"
        if rng.random() < 0.3:
            raw[other_key] = comments[i % len(comments)]
        plans.append(_MiuResponse(channel, sent, consent, raw))
    # About six in ten individuals answered the equality questions (drawn after the rest,
    # so the demo's answers stay as they were when it wrote its rows directly).
    for plan in plans:
        if plan.raw[respondent_key] == "individual" and rng.random() > VILLAGES_EQUALITY_SKIP:
            for key, (_, options) in equality.QUESTIONS.items():
                if rng.random() < 0.85:
                    plan.raw[f"eq_{key}"] = rng.choice(options)[0]
    officer = _staff("officer@demo.heard.example")
    for plan in plans:
        if plan.channel == "online":
            response_submit(
                version=version,
                raw=plan.raw,
                token=uuid.uuid4(),
                publish_consent=plan.consent,
                now=plan.sent,
                view=view,
            )
        elif plan.channel == "email":
            response_enter(
                actor=officer,
                version=version,
                raw=plan.raw,
                channel=plan.channel,
                received_at=plan.sent,
                publish_consent=plan.consent,
            )
    _drain_insights()
    offline = [plan for plan in plans if plan.channel not in ("online", "email")]
    _miu_import(activity, version, view, offline, officer, closes)


@dataclass(frozen=True)
class _MiuResponse:
    """One respondent's response as the demo plans it: how and when it came, whether
    they agreed to publication, and their answers as the form sends them (by key)."""

    channel: str
    sent: datetime
    consent: bool
    raw: dict[str, Any]


def _miu_import(
    activity: Activity,
    version: QuestionnaireVersion,
    view: selectors_responses.VersionView,
    plans: list[_MiuResponse],
    officer: User,
    closes: datetime,
) -> None:
    """The paper, event and phone responses typed up into one spreadsheet (a column per
    question, named as the question; options as their values; each row dated the day it
    was received) and imported by the officer: uploaded, its columns matched the way the
    import page suggests, and run the way its background task runs it."""
    choices = mapping_choices(view.specs)
    # The import page's own targets and labels, beyond the four bookkeeping columns.
    targets = [(label, value) for value, label in choices[5:]]
    header = ["Form number", "Date received", "Channel", "Consent", *(t for t, _ in targets)]
    lines = [header]
    for number, plan in enumerate(plans, 1):
        # The import dates a row at noon on the day received: the last evening's post
        # counts as the day before, so nothing sent in time is flagged late.
        received = timezone.localdate(plan.sent)
        if datetime.combine(received, time(12), tzinfo=timezone.get_current_timezone()) > closes:
            received -= timedelta(days=1)
        cells = [f"EMIU-{number:03d}", received.isoformat(), plan.channel]
        cells.append("yes" if plan.consent else "no")
        cells += [str(plan.raw.get(value, "")) for _, value in targets]
        lines.append(cells)
    import_responses(
        activity=activity,
        version=version,
        view=view,
        lines=lines,
        filename=MIU_OFFLINE_FILE,
        officer=officer,
    )


def _name_themes(consultation: Consultation, analyst: Any) -> None:
    """The analyst names the proposed themes of "Why do you say that?" after what they
    hold (matching their keywords to the topics above) and merges near-duplicates; the
    "anything else" answers, about care in general, become one theme."""
    why_q, *others = selectors.free_text_questions(consultation)
    for question in others:
        general = list(Theme.objects.filter(codeframe__question=question, parent__isnull=True))
        if general:
            for theme in general[1:]:
                analysis_services.theme_merge(source=theme, target=general[0], actor=analyst)
            analysis_services.theme_update(
                theme=general[0],
                actor=analyst,
                name="Experience of care in general",
                description="Comments about care received, not about this proposal.",
            )
    words = {
        name: {w.strip(".,").lower() for s in sentences for w in s.split() if len(w) > 4}
        for name, sentences in MIU_TOPICS.items()
    }
    words["Campaign: keep local care local"] = {
        w.strip(".,").lower() for w in CAMPAIGN.split() if len(w) > 4
    }
    named: dict[str, Theme] = {}
    for theme in Theme.objects.filter(codeframe__question=why_q, parent__isnull=True):
        keys = {str(k).lower() for k in (theme.keywords or [])} | set(theme.name.lower().split())
        best = max(words, key=lambda n: len(keys & words[n]))
        if not keys & words[best]:
            continue
        if best in named:
            analysis_services.theme_merge(source=theme, target=named[best], actor=analyst)
        else:
            named[best] = analysis_services.theme_update(
                theme=theme, actor=analyst, name=best, description=MIU_DESCRIPTIONS[best]
            )
    # A topic the machine folded into others gets its own theme, coded by hand.
    codeframe = analysis_selectors.codeframe_of(why_q)
    for name, sentences in MIU_TOPICS.items():
        if name in named or codeframe is None:
            continue
        theme = analysis_services.theme_add(
            codeframe=codeframe, actor=analyst, name=name, description=MIU_DESCRIPTIONS[name]
        )
        starts = [s[:40].lower() for s in sentences]
        for answer_id, text in Answer.objects.filter(question=why_q).values_list("pk", "text"):
            if any(start in text.lower() for start in starts):
                analysis_services.coding_add(answer_id=answer_id, theme=theme, actor=analyst)
        named[name] = theme
    # Sub-themes the machine proposed (which it does or not depending on the order the
    # answers arrived in) each hold one of the topics: the analyst folds each into the
    # theme named for that topic, so the report lists the topics once each.
    for theme in Theme.objects.filter(codeframe__question=why_q, parent__isnull=False):
        keys = {str(k).lower() for k in (theme.keywords or [])} | set(theme.name.lower().split())
        best = max(words, key=lambda n: len(keys & words[n]))
        if keys & words[best] and best in named:
            analysis_services.theme_merge(source=theme, target=named[best], actor=analyst)
    # The analyst reviews before signing off (Gunning 4: every answer analysed, every
    # theme reviewed by a person): a suggestion confirmed in each machine-made theme, and
    # each answer with no theme marked so by a person.
    for question in [why_q, *others]:
        _review(question, analyst)
    # The analyst signs off each codeframe: the report and the consideration use that.
    for question in [why_q, *others]:
        frame = analysis_selectors.codeframe_of(question)
        if frame is not None:
            analysis_services.codeframe_sign_off(codeframe=frame, actor=analyst)


def _review(question: Any, analyst: Any) -> None:
    live = Coding.objects.filter(theme__codeframe__question=question).exclude(
        status=Coding.Status.REJECTED
    )
    for theme in Theme.objects.filter(codeframe__question=question):
        mine = live.filter(theme=theme)
        if mine.exists() and not mine.filter(status=Coding.Status.ACCEPTED).exists():
            first = mine.order_by("-confidence", "pk").first()
            assert first is not None
            analysis_services.coding_decide(coding=first, actor=analyst, accept=True)
    coded = set(live.values_list("answer_id", flat=True))
    for item in AnswerAnalysis.objects.filter(question=question, reviewed_at__isnull=True):
        if item.answer_id not in coded:
            analysis_services.answer_reviewed(analysis=item, actor=analyst)


MIU_DESCRIPTIONS: dict[str, str] = {
    "Travel and buses": "Getting to the new centre without a car: buses, distance and time.",
    "Parking at the new centre": "Whether there will be enough parking, and its cost.",
    "X-ray and longer opening hours": "What the larger unit would offer: X-ray on site, longer hours.",
    "Staffing and unplanned closures": "Closures of the current unit for want of staff.",
    "Keep the cottage hospital": "Keeping the unit, and the hospital, where they are now.",
    "Campaign: keep local care local": "The campaign text sent by many people, asking for care to stay local.",
}


MIU_RESPONSES: dict[str, tuple[str, str, str]] = {
    "Travel and buses": (
        "We accept that journeys will be longer for people without a car, especially from "
        "Cawford and Little Ashby.",
        "partly",
        "We have added a free shuttle bus from Cawford and Little Ashby, every hour from 8am "
        "to 9pm, for the first two years, and will review its use after 12 months.",
    ),
    "Parking at the new centre": (
        "The centre's car park is busy in the mornings: we counted the cars on five weekday "
        "mornings and it was full by ten.",
        "yes",
        "Twenty more spaces, four of them for disabled drivers, will be built before the unit "
        "moves, and parking will stay free.",
    ),
    "X-ray and longer opening hours": (
        "Many people welcomed X-ray on site and the longer hours; this supports the proposal "
        "as it stands, so we made no change.",
        "no",
        "",
    ),
    "Staffing and unplanned closures": (
        "People told us the closures have made the unit unreliable. Moving to a larger team "
        "is how we will staff it safely every day.",
        "no",
        "",
    ),
    "Keep the cottage hospital": (
        "The cottage hospital's inpatient beds and outpatient clinics are not part of this "
        "proposal and will stay.",
        "partly",
        "We have committed in the decision to keep the outpatient clinics at the cottage "
        "hospital and to involve the town in plans for the space the unit leaves.",
    ),
    "Campaign: keep local care local": (
        "We counted and read every campaign response. The concern is that care moves away "
        "from Eastbrook: the unit stays in the town, two miles from its present site.",
        "partly",
        "See the shuttle bus and the commitment on the cottage hospital's clinics.",
    ),
}
# What we heard, in our words (shown before the quotes in the report and You said, we did).
MIU_HEARD: dict[str, str] = {
    "Travel and buses": (
        "The extra two miles matter most to people without a car: one bus an hour, and "
        "none in the evening from Cawford and Little Ashby."
    ),
    "Parking at the new centre": (
        "The health centre's car park is already full by mid-morning on weekdays."
    ),
    "X-ray and longer opening hours": (
        "Many welcomed X-ray on site and opening until 10pm: fewer trips to the district hospital."
    ),
    "Staffing and unplanned closures": (
        "People and staff described arriving to find the unit closed at short notice."
    ),
    "Keep the cottage hospital": (
        "Many fear that moving the unit is the first step to closing the cottage hospital."
    ),
    "Campaign: keep local care local": (
        "Many people sent the same campaign text asking us to keep minor injuries services "
        "at the cottage hospital."
    ),
}

GENERAL_RESPONSE = (
    "These comments were about people's experience of care in general rather than the "
    "proposal. We have shared them, anonymised, with the providers' patient experience teams.",
    "no",
    "",
)


def _miu_consideration(proposal: Proposal, officer: Any, lead: Any) -> None:
    for item in selectors.themes_for(proposal).items:
        response, changed, how = MIU_RESPONSES.get(item.name, GENERAL_RESPONSE)
        services.theme_response_save(
            proposal=proposal,
            theme_id=item.theme_id,
            actor=officer,
            response=response,
            changed=changed,
            how=how,
            heard=MIU_HEARD.get(item.name, ""),
        )
    _miu_summary(proposal, lead, complete=False)


def _miu_summary(proposal: Proposal, lead: Any, *, complete: bool) -> None:
    change = (
        "a shuttle bus, more parking, and a commitment to keep outpatient clinics at the "
        "cottage hospital."
        if complete
        else "a shuttle bus and more parking."
    )
    services.outcome_update(
        proposal=proposal,
        actor=lead,
        summary=(
            "Most people who responded accepted the case for X-ray on site and longer hours, "
            "but were worried about travel without a car, parking, and the future of the "
            "cottage hospital. We changed the proposal: " + change
        ),
        why=(
            "Moving the unit changes where about 9,000 people a year go for urgent minor "
            "injuries, a substantial change in access, so we consulted formally for 12 weeks."
        ),
        next_steps=(
            "The unit moves when the extra parking is built. We will publish how the shuttle "
            "bus is used, and review the change with Healthwatch after 12 months."
        ),
    )


# 2. The blood-test clinic: not significant ------------------------------------------------------


def _clinic() -> None:
    lead = _staff("lead@demo.heard.example")
    with transaction.atomic():
        proposal = proposals.proposal_create(
            actor=lead,
            title=CLINIC_TITLE,
            description=(
                "The blood-test clinic in Wymford moves 50 metres, from the old surgery to "
                "the ground floor of the library building, with the same hours, staff and "
                "booking, step-free access and a bigger waiting area."
            ),
            services="Phlebotomy (blood tests)",
            localities=["South Norfolk"],
            people_affected=4000,
            lead=lead,
        )
        lifecycle.proposal_transition(proposal=proposal, target="early_engagement", actor=lead)
        proposals.evidence_record(
            proposal=proposal,
            actor=lead,
            note="Patient participation group walked the new site with us; no concerns raised.",
        )
        lifecycle.proposal_transition(proposal=proposal, target="options", actor=lead)
        assessment.option_save(
            actor=lead,
            proposal=proposal,
            title="Do nothing: stay in the old surgery",
            is_do_nothing=True,
            set_aside=True,
            set_aside_reason="The lease ends; the building has no step-free access.",
        )
        assessment.option_save(
            actor=lead,
            proposal=proposal,
            title="Move to the library building",
            is_preferred=True,
        )
        lifecycle.proposal_transition(
            proposal=proposal, target="significance_assessment", actor=lead
        )
        reasons = {
            "access": (
                "minor",
                "People using the clinic",
                4000,
                "50 metres; same hours; step-free.",
            ),
            "wider_community": ("none", "Wymford town centre", 0, "Both sites in the same street."),
            "patients": ("minor", "Patients having blood tests", 4000, "Same staff and booking."),
            "service_delivery": ("none", "Clinic staff", 6, "Same service model and hours."),
        }
        assessment.significance_save(
            actor=lead,
            proposal=proposal,
            summary=(
                "Not a substantial change: the clinic moves 50 metres with the same hours, "
                "staff and booking, and access improves (step-free). We will tell patients "
                "and the patient participation group, and ask for comments, rather than "
                "consult formally."
            ),
            areas={
                area: {"impact": impact, "who_affected": who, "how_many": n, "evidence": why}
                for area, (impact, who, n, why) in reasons.items()
            },
        )
        lifecycle.proposal_transition(
            proposal=proposal,
            target="other_involvement",
            actor=lead,
            note="Not significant: patients told and invited to comment.",
        )


def _winter() -> None:
    """A formal consultation being prepared on a shorter period than the policy's
    minimum, justified and approved (the Gunning panel says "Shortened", never "Pass"),
    with the committee written to before it opens; not yet open."""
    lead = _staff("lead@demo.heard.example")
    officer = _staff("officer@demo.heard.example")
    with transaction.atomic():
        proposal = proposals.proposal_create(
            actor=lead,
            title=WINTER_TITLE,
            description=(
                "The two evening GP access hubs in Cromer and Sheringham, each open three "
                "evenings a week with one GP, become one hub in Cromer open five evenings a "
                "week with two GPs and a nurse, from December."
            ),
            services="Evening GP appointments (extended access)",
            localities=["North Norfolk"],
            people_affected=21000,
            lead=lead,
        )
        lifecycle.proposal_transition(proposal=proposal, target="early_engagement", actor=lead)
        proposals.evidence_record(
            proposal=proposal,
            actor=lead,
            note=(
                "Both patient participation groups and the autumn survey of evening patients "
                "(212 replies): fewer cancelled sessions mattered more than the town."
            ),
        )
        lifecycle.proposal_transition(proposal=proposal, target="options", actor=lead)
        assessment.option_save(
            actor=lead,
            proposal=proposal,
            title="Do nothing: two hubs, three evenings each",
            is_do_nothing=True,
            set_aside=True,
            set_aside_reason="One GP a hub: a third of sessions were cancelled last winter.",
        )
        assessment.option_save(
            actor=lead,
            proposal=proposal,
            title="One hub in Cromer, five evenings a week",
            is_preferred=True,
        )
        lifecycle.proposal_transition(
            proposal=proposal, target="significance_assessment", actor=lead
        )
        assessment.significance_save(
            actor=lead,
            proposal=proposal,
            summary="Sheringham patients would travel four miles to Cromer in the evening.",
            areas={
                "access": {
                    "impact": "substantial",
                    "who_affected": "Sheringham patients who use the evening appointments",
                    "how_many": 6500,
                    "evidence": "Appointment data 2025: 38% of evening patients live in Sheringham.",
                },
                "wider_community": {
                    "impact": "minor",
                    "who_affected": "Sheringham's town centre in the evening",
                    "how_many": 7000,
                    "evidence": "Town council's comments at the autumn listening session.",
                },
                "patients": {
                    "impact": "moderate",
                    "who_affected": "Working-age patients who cannot attend in the day",
                    "how_many": 4000,
                    "evidence": "Autumn survey of evening patients: 212 replies.",
                },
                "service_delivery": {
                    "impact": "moderate",
                    "who_affected": "The GP federation's evening rota",
                    "how_many": 30,
                    "evidence": "Rota records: 41 of 120 sessions cancelled last winter.",
                },
            },
        )
        lifecycle.proposal_transition(proposal=proposal, target="assurance", actor=lead)
        assessment.bed_closures_save(actor=lead, proposal=proposal, significant=False)
        for test, evidence in (
            ("engagement", "Both patient participation groups and the autumn survey."),
            ("patient_choice", "Daytime appointments and NHS 111 stay as they are."),
            ("clinical_evidence", "Two clinicians a session is safer than one working alone."),
            ("commissioner_support", "Supported by the primary care commissioning committee."),
        ):
            assessment.assurance_test_save(
                actor=lead, proposal=proposal, test=test, evidence=evidence
            )
        today = timezone.localdate()
        for stage in (1, 2):
            assessment.checkpoint_record(
                actor=lead,
                proposal=proposal,
                stage=stage,
                outcome=Checkpoint.Outcome.PASSED,
                held_on=today,
            )
        rows = {
            key: {
                "impact": "neutral",
                "evidence": "Appointment data and the autumn survey show no difference "
                "for this group.",
            }
            for key in MIU_EQIA_ROWS
        }
        rows["age"] = {
            "impact": "negative",
            "evidence": "Older Sheringham patients are less likely to drive after dark.",
            "mitigation": "Patient transport to Cromer booked with the appointment.",
        }
        rows["deprivation"] = {
            "impact": "negative",
            "evidence": "Households without a car in Sheringham rely on one bus an hour.",
            "mitigation": "Patient transport for anyone without a car, free of charge.",
        }
        assessment.eqia_attach(
            actor=lead,
            proposal=proposal,
            title="Equality impact assessment: one evening GP hub",
            file=ContentFile(
                _one_page_pdf("Demo EqIA: older people and households without a car."),
                name="evening-hub-eqia.pdf",
            ),
        )
        assessment.eqia_impacts_save(actor=lead, proposal=proposal, rows=rows)
        consultation = consultations.consultation_create(actor=officer, proposal=proposal)
        _miu_document(
            consultation,
            officer,
            {
                "proposal": "One evening GP hub in Cromer, five evenings a week, from December.",
                "options": "Two options: keep two hubs three evenings each, or one hub.",
                "reasons": "A third of evening sessions were cancelled last winter.",
                "alternatives": "Keeping two hubs was set aside: one GP each cannot be covered.",
                "costs": "No change in cost: the same GP and nurse hours, in one place.",
                "impacts": "Four more miles for Sheringham patients; patient transport offered.",
                "eqia": "Older people and households without a car: see the EqIA.",
            },
        )
        opens = timezone.now() + timedelta(weeks=2)
        closes = opens + timedelta(weeks=8)
        consultations.dates_save(
            actor=lead,
            consultation=consultation,
            opens_at=opens,
            closes_at=closes,
            justification=(
                "The hub must start before the winter peak in December: eight weeks from "
                "mid-December would leave no time to act on what people say. Both patient "
                "groups agreed the shorter period, and drop-in sessions are in both towns."
            ),
        )
        consultations.council_add(
            actor=officer,
            consultation=consultation,
            name="Norfolk County Council",
            committee="Health Overview and Scrutiny Committee",
            contact_email="hosc@demo.heard.example",
        )
        consultations.scrutiny_letter_send(
            actor=officer,
            consultation=consultation,
            comments_due_on=(closes + timedelta(weeks=1)).date(),
            proposed_decision_on=(closes + timedelta(weeks=3)).date(),
            contact="The engagement team, NHS Norfolk and Waveney ICB, engagement@demo.heard.example",
            base_url="https://demo.heard.example",
        )
        # Logged ten weeks ago and moved on since (recorded just now): the stage
        # checkpoints held today come after assurance began, not before it was logged.
        now = timezone.now()
        _date_moves(
            proposal,
            {
                "": now - timedelta(weeks=10),
                "early_engagement": now - timedelta(weeks=9),
                "options": now - timedelta(weeks=6),
                "significance_assessment": now - timedelta(weeks=4),
                "assurance": now - timedelta(weeks=3),
            },
        )
        SignificanceAssessment.objects.filter(proposal=proposal).update(
            assessed_at=now - timedelta(weeks=4)
        )
