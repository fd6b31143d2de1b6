"""Test data: a proposal at "decision pending" with a closed formal consultation whose
free-text answers have been coded into themes (built directly, without running analysis)."""

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.analysis.models import AnswerAnalysis, Codeframe, Coding, Theme
from heard.engagement.models import (
    Activity,
    Answer,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
)
from heard.engagement.tests.factories import ActivityFactory
from heard.servicechange.assessment.models import (
    DueRegard,
    EqualityImpact,
    EqualityImpactAssessment,
)
from heard.servicechange.assessment.tests.helpers import EQIA_ROWS
from heard.servicechange.consultations.models import Consultation, MidpointReview
from heard.servicechange.proposals.models import Proposal

_n = itertools.count(1)

THEMES = {
    "Travel to the new site": [
        ("The bus to the health centre takes an hour from my village", "negative"),
        ("No direct bus from Eastham to the new unit", "negative"),
        ("Travel will be harder for older people without a car", "negative"),
    ],
    "Parking": [
        ("Parking at the health centre is already full by nine", "negative"),
        ("Good that there will be free parking", "positive"),
    ],
}


def make_consulted_proposal(
    *,
    themes: dict[str, list[tuple[str, str]]] | None = None,
    closed: bool = True,
    status: str = "decision_pending",
    unanalysed: bool = False,
    eqia_reviewed: bool = True,
    sign_off: bool = True,
    scrutiny: bool = True,
    midpoint: bool = True,
) -> dict[str, Any]:
    n = next(_n)
    now = timezone.now()
    proposal = Proposal.objects.create(
        title=f"Move the minor injuries unit {n}",
        slug=f"move-the-minor-injuries-unit-{n}",
        description="Move the minor injuries unit from the cottage hospital to the health centre.",
        status=status,
    )
    activity: Activity = ActivityFactory(  # type: ignore[assignment]
        title=f"Consultation on the minor injuries unit {n}",
        slug=f"consultation-miu-{n}",
        status="closed" if closed else "open",
        opens_at=now - timedelta(weeks=13),
        closes_at=now - timedelta(days=10) if closed else now + timedelta(days=10),
    )
    consultation = Consultation.objects.create(
        proposal=proposal, activity=activity, slug=f"miu-consultation-{n}"
    )
    if scrutiny:
        write_to_scrutiny_directly(consultation, closed=closed)
    if midpoint:  # the mid-point review, held while it ran
        MidpointReview.objects.create(
            consultation=consultation,
            at=now - timedelta(weeks=7),
            action_taken="An evening online meeting for people at work.",
        )
    questionnaire = Questionnaire.objects.create(activity=activity, title=activity.title)
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    section = Section.objects.create(version=version, position=1, title="Your views")
    question = Question.objects.create(
        version=version,
        section=section,
        key="views",
        kind=Question.Kind.LONG_TEXT,
        text="What do you think of the proposal?",
    )
    codeframe = None if unanalysed else Codeframe.objects.create(question=question)
    made: dict[str, Theme] = {}
    for name, answers in (themes if themes is not None else THEMES).items():
        theme = (
            Theme.objects.create(
                codeframe=codeframe,
                name=name,
                description=f"What people said about {name.lower()}.",
                quotes=[answers[0][0]],
            )
            if codeframe
            else None
        )
        if theme:
            made[name] = theme
        for text, mood in answers:
            response = Response.objects.create(
                activity=activity,
                questionnaire=questionnaire,
                version=version,
                reference=f"O{next(_n):07d}",
            )
            answer = Answer.objects.create(response=response, question=question, text=text)
            if theme:
                AnswerAnalysis.objects.create(
                    answer=answer, question=question, redacted_text=text, sentiment=mood
                )
                Coding.objects.create(
                    answer=answer, theme=theme, source="person", status="accepted"
                )
    if codeframe is not None and made and sign_off:
        sign_off_codeframe(codeframe)
    # The EqIA, attached before the consultation and (by default) reviewed after it closed.
    eqia = EqualityImpactAssessment.objects.create(
        proposal=proposal,
        title="EqIA",
        file=f"assessment/eqia/eqia-{n}.pdf",
        attached_at=now - timedelta(weeks=14),
        reviewed_at=now if eqia_reviewed and closed else None,
        review_notes="Reviewed against what people said." if eqia_reviewed and closed else "",
    )
    for key, row in EQIA_ROWS.items():
        EqualityImpact.objects.create(eqia=eqia, characteristic=key, **row)
    return {
        "proposal": proposal,
        "consultation": consultation,
        "question": question,
        "themes": made,
    }


def write_to_scrutiny_directly(consultation: Consultation, *, closed: bool = True) -> Any:
    """The council and the first reg. 23 letter, sent before the consultation opened:
    comments due and the proposed decision date already come when it closed (today is a
    possible decision date); still to come while it is open."""
    from heard.servicechange.consultations.models import Council, ScrutinyLetter

    now = timezone.now()
    today = timezone.localdate()
    council = Council.objects.create(
        consultation=consultation,
        name="Norfolk County Council",
        committee="Health Overview and Scrutiny Committee",
        contact_email="hosc@norfolk.example",
    )
    comments = today - timedelta(days=3) if closed else today + timedelta(days=20)
    decision = today if closed else today + timedelta(days=30)
    Consultation.objects.filter(pk=consultation.pk).update(
        osc_comments_due_on=comments, proposed_decision_on=decision
    )
    consultation.refresh_from_db()
    return ScrutinyLetter.objects.create(
        consultation=consultation,
        kind=ScrutinyLetter.Kind.FIRST,
        sent_at=now - timedelta(weeks=14),
        comments_due_on=comments,
        proposed_decision_on=decision,
        addressed_to="Health Overview and Scrutiny Committee, Norfolk County Council",
        councils=[council.pk],
        recipients=[council.contact_email],
        subject="Consultation of the overview and scrutiny committee",
        body="Dear Chair and members of the committee, …",
        body_sha256="0" * 64,
    )


def sign_off_codeframe(codeframe: Codeframe, reason: str = "") -> Any:
    """An analyst signs off the codeframe as it stands (reports use that version)."""
    from heard.accounts.models import User
    from heard.accounts.tests.factories import StaffFactory
    from heard.analysis.services import codeframe_sign_off
    from heard.core.roles import Role

    analyst: User = StaffFactory(role=Role.ANALYST)  # type: ignore[assignment]
    return codeframe_sign_off(codeframe=codeframe, actor=analyst, reason=reason)


def respond_to_all(proposal: Proposal, themes: dict[str, Theme], actor: Any) -> None:
    from heard.servicechange.outcomes import services

    for theme in themes.values():
        services.theme_response_save(
            proposal=proposal,
            theme_id=theme.pk,
            actor=actor,
            response=f"We heard about {theme.name.lower()} and will act on it: we weighed it against the travel survey and the clinical advice.",
            changed="partly",
            how="We added a shuttle bus to the plan.",
        )


DUE_REGARD = (
    "I read the EqIA as reviewed after the consultation: older people and people without "
    "a car lose most from the move, and I weighed the shuttle bus as the mitigation."
)


def have_due_regard(proposal: Proposal, actor: Any) -> bool:
    """``actor`` (a decision maker or administrator) records their own regard to the
    reviewed EqIA, through the service, once."""
    from heard.servicechange.assessment.services import due_regard_record

    eqia = EqualityImpactAssessment.objects.filter(proposal=proposal).first()
    proposal.refresh_from_db()
    if (
        eqia is None
        or eqia.reviewed_at is None
        or not actor.has_perm("assessment.record_due_regard")
        or proposal.status != "decision_pending"
    ):
        return False  # nothing to have regard to yet, or not one who may: the test says why
    if not DueRegard.objects.filter(
        eqia=eqia, decision_maker=actor, reviewed_at=eqia.reviewed_at
    ).exists():
        due_regard_record(actor=actor, proposal=proposal, statement=DUE_REGARD)
    return True
