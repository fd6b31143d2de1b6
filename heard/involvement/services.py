"""Writing involvement data. Every change is audited in the same transaction; mail goes
out only after the transaction commits (heard.core.mail).

Audit events hold ids, statuses and counts only: never names or addresses.
"""

import secrets
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.actors import require
from heard.involvement.domain import (
    TransitionError,
    answer_blocked,
    answer_outcome,
    transition_check,
    withdraw_check,
)
from heard.involvement.links import invitation_token, link_expiry
from heard.involvement.models import Invitation, Opportunity, ReferencePopulation, SampleRun
from heard.involvement.population import (
    DIMENSION_LABELS,
    dimensions_problem,
    population_parse,
)
from heard.involvement.sampling import (
    cross_shares,
    nested_targets,
    result_rows,
    stratified_sample,
)
from heard.involvement.selectors import (
    Criteria,
    invitations_due_reminder,
    members_contactable,
    members_matching,
    population_get,
    sample_pool,
)
from heard.people.models import Member, Topic
from heard.people.services.membership import member_mail_send
from heard.people.services.retention import site_base_url

MAX_SAMPLE = 5000


class InvolvementError(ValueError):
    """A request that cannot be carried out, with a message for the user."""


def base_url_default() -> str:
    """Links in mail sent without a request (reminders from cron): see site_base_url."""
    return site_base_url()


# --- Opportunities ------------------------------------------------------------------------


def opportunity_create(
    *, actor: Any, fields: dict[str, Any], topics: Iterable[Topic] = ()
) -> Opportunity:
    """Create a draft opportunity."""
    require(actor, "involvement.manage_opportunities", to="create an opportunity")
    with transaction.atomic():
        opportunity = Opportunity.objects.create(created_by=actor, **fields)
        opportunity.topics.set(list(topics))
        audit_record(
            action=Action.OPPORTUNITY_CREATED,
            actor=actor,
            subject=opportunity,
            after={"status": opportunity.status, "places": opportunity.places},
        )
    return opportunity


def opportunity_update(
    *, actor: Any, opportunity: Opportunity, fields: dict[str, Any], topics: Iterable[Topic]
) -> Opportunity:
    """Change an opportunity's details (not its status: see opportunity_transition)."""
    require(actor, "involvement.manage_opportunities", to="change an opportunity")
    fields = {k: v for k, v in fields.items() if k != "status"}
    with transaction.atomic():
        changed = sorted(k for k, v in fields.items() if getattr(opportunity, k) != v)
        for name, value in fields.items():
            setattr(opportunity, name, value)
        topic_ids = sorted(t.pk for t in topics)
        if sorted(opportunity.topics.values_list("pk", flat=True)) != topic_ids:
            changed.append("topics")
            opportunity.topics.set(topic_ids)
        opportunity.save()
        if changed:
            audit_record(
                action=Action.OPPORTUNITY_UPDATED,
                actor=actor,
                subject=opportunity,
                after={"fields": changed},
            )
    return opportunity


def opportunity_transition(*, actor: Any, opportunity: Opportunity, to: str) -> Opportunity:
    """Move an opportunity along its lifecycle (domain.TRANSITIONS); raises TransitionError."""
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        transition_check(
            locked.status, to, has_title=bool(locked.title), has_places=locked.places > 0
        )
        before = locked.status
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            action=Action.OPPORTUNITY_STATUS_CHANGED,
            actor=actor,
            subject=locked,
            before={"status": before},
            after={"status": to},
        )
    opportunity.status = to
    return locked


# --- Reference populations ----------------------------------------------------------------


def population_upload(*, actor: Any, name: str, text: str) -> ReferencePopulation:
    """Store an area's population table after checking it can be used; raises
    PopulationError (a ValueError with a message for the user)."""
    require(actor, "involvement.manage_populations", to="upload a population")
    name = name.strip()
    parsed = population_parse(text, name=name)
    with transaction.atomic():
        stored, created = ReferencePopulation.objects.update_or_create(
            name=name, defaults={"content": text, "uploaded_by": actor}
        )
        audit_record(
            action=Action.POPULATION_UPLOADED,
            actor=actor,
            subject=stored,
            after={"dimensions": parsed.dimensions, "replaced": not created},
        )
    return stored


# --- Samples ------------------------------------------------------------------------------


def sample_draw(
    *,
    actor: Any,
    opportunity: Opportunity,
    criteria: Criteria,
    size: int,
    dimensions: list[str],
    population_key: str,
    seed: int | None = None,
    redistribute: bool = True,
) -> SampleRun:
    """Draw a representative sample from the members who match and were not yet invited.

    Raises InvolvementError for a size out of range, overlapping dimensions or a
    dimension the chosen population does not have.
    """
    require(actor, "involvement.manage_opportunities", to="draw a sample")
    if not 1 <= size <= MAX_SAMPLE:
        raise InvolvementError(f"Choose a sample size from 1 to {MAX_SAMPLE}.")
    if not dimensions:
        raise InvolvementError("Choose at least one characteristic to match on.")
    problem = dimensions_problem(dimensions)
    if problem:
        raise InvolvementError(problem)
    population = population_get(population_key)
    missing = [d for d in dimensions if d not in population.shares]
    if missing:
        names = ", ".join(DIMENSION_LABELS.get(d, d) for d in missing)
        raise InvolvementError(f"The population “{population.name}” has no figures for {names}.")
    if seed is None:
        seed = secrets.randbelow(2**31)
    pool = sample_pool(members_matching(criteria, not_invited_to=opportunity), population)
    shares = cross_shares([population.shares[d] for d in dimensions])
    result = stratified_sample(
        pool,
        dimensions=dimensions,
        target_shares=shares,
        n=size,
        seed=seed,
        redistribute=redistribute,
        targets=nested_targets([population.shares[d] for d in dimensions], size),
    )
    strata = result_rows(result)
    with transaction.atomic():
        run = SampleRun.objects.create(
            opportunity=opportunity,
            size=size,
            dimensions=list(dimensions),
            seed=seed,
            population_name=population.name,
            criteria=criteria.as_dict(),
            redistribute=redistribute,
            strata=strata,
            shortfalls=[s.message for s in result.shortfalls],
            pool_size=len(pool),
            unknown=result.unknown,
            selected=result.selected,
            created_by=actor,
        )
        audit_record(
            action=Action.SAMPLE_DRAWN,
            actor=actor,
            subject=run,
            after={
                "opportunity": opportunity.pk,
                "size": size,
                "achieved": result.size,
                "pool": len(pool),
                "dimensions": list(dimensions),
                "shortfalls": len(result.shortfalls),
                "seed": seed,
            },
        )
    return run


# --- Invitations --------------------------------------------------------------------------


def _invitation_context(invitation: Invitation, base_url: str) -> dict[str, Any]:
    def link(answer: str) -> str:
        path = reverse(
            f"invitations:{answer}", kwargs={"token": invitation_token(invitation, answer)}
        )
        return base_url + path

    return {
        "member_name": invitation.member.full_name,
        "opportunity": invitation.opportunity,
        "accept_url": link("accept"),
        "decline_url": link("decline"),
        "expires": link_expiry(invitation),
        "privacy_url": base_url + reverse("public:privacy"),
    }


INVITATION_TEMPLATE = "involvement/email/invitation"
REMINDER_TEMPLATE = "involvement/email/reminder"
MAIL_BATCH = 100


def _mail_after_commit(invitation_ids: list[int], template: str, base_url: str) -> None:
    """Queue the emails as background tasks of MAIL_BATCH, once the rows are committed."""
    from heard.involvement.tasks import invitations_mail_task  # tasks imports this module

    def enqueue(batch: list[int]) -> None:
        invitations_mail_task.enqueue(invitation_ids=batch, template=template, base_url=base_url)

    for start in range(0, len(invitation_ids), MAIL_BATCH):
        transaction.on_commit(partial(enqueue, invitation_ids[start : start + MAIL_BATCH]))


def invitations_mail(*, invitation_ids: list[int], template: str, base_url: str) -> int:
    """Email invitations (or reminders) that are already committed; run as a task.

    A first invitation is emailed once (``emailed_at``), so a task that is run again
    after a failure sends only what did not go. Each message carries the member's
    unsubscribe link and List-Unsubscribe header (people's member_mail_send).
    """
    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related(
        "member", "opportunity"
    )
    if template == INVITATION_TEMPLATE:
        invitations = invitations.filter(emailed_at__isnull=True)
    sent = 0
    for invitation in invitations.order_by("pk"):
        if not invitation.member.email:
            continue
        member_mail_send(
            member=invitation.member,
            template=template,
            context=_invitation_context(invitation, base_url),
            base_url=base_url,
        )  # outside a transaction: goes to the SMTP server now
        if template == INVITATION_TEMPLATE:
            Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def invitations_mail_retry(*, actor: Any, opportunity: Opportunity, base_url: str = "") -> int:
    """Queue again the first emails of invitations that have not gone (e.g. the mail server
    was down when the background task ran). Each still goes only once."""
    require(actor, "involvement.manage_opportunities", to="send invitations again")
    from heard.involvement.selectors import invitations_waiting_for_email

    base_url = (base_url or base_url_default()).rstrip("/")
    ids = list(invitations_waiting_for_email(opportunity).values_list("pk", flat=True))
    with transaction.atomic():
        _mail_after_commit(ids, INVITATION_TEMPLATE, base_url)
        audit_record(
            action=Action.INVITATIONS_SENT,
            actor=actor,
            subject=opportunity,
            after={"retried": len(ids)},
        )
    return len(ids)


def invitations_send(
    *,
    actor: Any,
    opportunity: Opportunity,
    members: Iterable[Member],
    via: str = Invitation.Via.CRITERIA,
    sample_run: SampleRun | None = None,
    base_url: str = "",
) -> dict[str, int]:
    """Invite members by email: one message each, sent by background tasks after commit.

    Only open opportunities send. Members who are not active, chose not to be emailed,
    have no address, or were already invited are skipped and counted. Raises
    InvolvementError if the opportunity is not open.
    """
    base_url = (base_url or base_url_default()).rstrip("/")
    counts = {"sent": 0, "skipped_not_contactable": 0, "skipped_already_invited": 0}
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.status != Opportunity.Status.OPEN:
            raise InvolvementError(
                "Open the opportunity before sending invitations (it is "
                f"{locked.get_status_display().lower()})."
            )
        ids = [m.pk for m in members]
        contactable = set(members_contactable().filter(pk__in=ids).values_list("pk", flat=True))
        already = set(
            Invitation.objects.filter(opportunity=locked, member_id__in=ids).values_list(
                "member_id", flat=True
            )
        )
        now = timezone.now()
        to_invite = [pk for pk in ids if pk in contactable and pk not in already]
        counts["skipped_not_contactable"] = len([pk for pk in ids if pk not in contactable])
        counts["skipped_already_invited"] = len([pk for pk in ids if pk in already])
        Invitation.objects.bulk_create(
            [
                Invitation(
                    opportunity=locked,
                    member_id=pk,
                    via=via,
                    sample_run=sample_run,
                    sent_at=now,
                    sent_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
                for pk in to_invite
            ]
        )
        new_ids = list(
            Invitation.objects.filter(opportunity=locked, member_id__in=to_invite).values_list(
                "pk", flat=True
            )
        )
        counts["sent"] = len(new_ids)
        _mail_after_commit(new_ids, INVITATION_TEMPLATE, base_url)
        if sample_run is not None:
            sample_run.invited_at = now
            sample_run.save(update_fields=["invited_at"])
        audit_record(
            action=Action.INVITATIONS_SENT,
            actor=actor,
            subject=locked,
            after={
                **counts,
                "via": str(via),
                "sample_run": sample_run.pk if sample_run else None,
            },
        )
    return counts


def invitations_send_criteria(
    *, actor: Any, opportunity: Opportunity, criteria: Criteria, base_url: str = ""
) -> dict[str, int]:
    require(actor, "involvement.manage_opportunities", to="invite members")
    members = members_matching(criteria, not_invited_to=opportunity)
    return invitations_send(
        actor=actor,
        opportunity=opportunity,
        members=list(members),
        via=Invitation.Via.CRITERIA,
        base_url=base_url,
    )


def invitations_send_sample(
    *, actor: Any, sample_run: SampleRun, base_url: str = ""
) -> dict[str, int]:
    """Invite everyone a sample selected (once: a sample cannot be sent twice)."""
    require(actor, "involvement.manage_opportunities", to="invite a sample")
    if sample_run.invited_at is not None:
        raise InvolvementError("Invitations for this sample have already been sent.")
    members = Member.objects.filter(pk__in=sample_run.selected)
    return invitations_send(
        actor=actor,
        opportunity=sample_run.opportunity,
        members=list(members),
        via=Invitation.Via.SAMPLE,
        sample_run=sample_run,
        base_url=base_url,
    )


def invitation_answer(*, invitation: Invitation, answer: str) -> tuple[Invitation, bool]:
    """Record a member's answer from a signed link (which also counts as the member being
    active). Answering the same way twice changes nothing; changing one's mind while the
    opportunity is open is allowed. Raises TransitionError if the invitation was
    withdrawn or the opportunity is not open."""
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update()
            .select_related("opportunity")
            .get(pk=invitation.pk)
        )
        blocked = answer_blocked(
            opportunity_status=locked.opportunity.status, invitation_status=locked.status
        )
        if blocked:
            raise TransitionError(blocked)
        new, changed = answer_outcome(locked.status, answer)
        # Answering is activity: the retention rules count from the last activity.
        Member.objects.filter(pk=locked.member_id).update(last_active_at=timezone.now())
        if changed:
            before = locked.status
            locked.status = new
            locked.answered_at = timezone.now()
            locked.save(update_fields=["status", "answered_at"])
            audit_record(
                action=Action.INVITATION_ANSWERED,
                subject=locked,
                before={"status": before},
                after={"status": new, "opportunity": locked.opportunity_id},
            )
    return locked, changed


def invitation_withdraw(*, actor: Any, invitation: Invitation, base_url: str = "") -> Invitation:
    """Withdraw an invitation (e.g. the places are filled) and tell the member by email.

    Raises TransitionError if it was already declined or withdrawn.
    """
    base_url = (base_url or base_url_default()).rstrip("/")
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        withdraw_check(locked.status)
        before = locked.status
        locked.status = Invitation.Status.WITHDRAWN
        locked.save(update_fields=["status"])
        audit_record(
            action=Action.INVITATION_WITHDRAWN,
            actor=actor,
            subject=locked,
            before={"status": before},
            after={"status": locked.status, "opportunity": locked.opportunity_id},
        )
        member = locked.member
        if member.email and member.status == Member.Status.ACTIVE:
            member_mail_send(
                member=member,
                template="involvement/email/withdrawn",
                context={"opportunity": locked.opportunity, "member_name": member.full_name},
                base_url=base_url,
            )
    return locked


def invitations_remind(
    *,
    actor: Any = None,
    after_days: int | None = None,
    opportunity: Opportunity | None = None,
    base_url: str = "",
) -> int:
    """Remind, once, members who have not answered ``after_days`` after being invited."""
    require(actor, "involvement.manage_opportunities", to="remind invited members", system=True)
    if after_days is None:
        after_days = int(getattr(settings, "HEARD_INVITATION_REMINDER_DAYS", 7))
    base_url = (base_url or base_url_default()).rstrip("/")
    sent = 0
    with transaction.atomic():
        due = list(invitations_due_reminder(after_days=after_days, opportunity=opportunity))
        now = timezone.now()
        by_opportunity: dict[int, int] = {}
        for invitation in due:
            invitation.reminded_at = now
            invitation.save(update_fields=["reminded_at"])
            by_opportunity[invitation.opportunity_id] = (
                by_opportunity.get(invitation.opportunity_id, 0) + 1
            )
            sent += 1
        _mail_after_commit([i.pk for i in due], REMINDER_TEMPLATE, base_url)
        for opportunity_id, count in sorted(by_opportunity.items()):
            audit_record(
                action=Action.INVITATION_REMINDED,
                actor=actor,
                subject=("involvement.opportunity", opportunity_id),
                after={"reminded": count, "after_days": after_days},
            )
    return sent
