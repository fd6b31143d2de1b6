"""Writing members: joining, changing details, consent. Every write is audited.

No personal data goes into audit events: only ids, statuses and which fields changed.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.audit.models import Action, AuditText
from heard.audit.services import audit_record, audit_text_erase
from heard.core.text import email_normalise
from heard.people import personal_data
from heard.people.equality import QUESTIONS
from heard.people.models import Consent, EqualityMonitoring, Member, Topic
from heard.people.postcodes import locality_for, normalise_postcode, postcode_district
from heard.people.selectors import member_data_export, members_with_email


class MemberError(ValueError):
    """A request about a member that cannot be carried out, with a message for the user."""


def member_create(
    *,
    full_name: str,
    email: str = "",
    postcode: str = "",
    phone: str = "",
    interests: Iterable[Topic] = (),
    source: Member.Source = Member.Source.SIGN_UP,
    status: Member.Status = Member.Status.PENDING,
    consents: dict[Consent.Purpose, str] | None = None,
    actor: Any = None,
) -> Member:
    """Create a member (postcode normalised, locality derived), record consents, audit.

    Raises MemberError if the email address is already held (callers facing the public
    must not reveal that: see the join flow) or the postcode is not a UK postcode.
    """
    email = email_normalise(email)
    if email and members_with_email(email).exists():
        raise MemberError("A member with this email address already exists.")
    clean_postcode = normalise_postcode(postcode) if postcode.strip() else ""
    with transaction.atomic():
        member = Member.objects.create(
            full_name=full_name.strip(),
            email=email,
            phone=phone.strip(),
            postcode=clean_postcode,
            postcode_district=postcode_district(clean_postcode) if clean_postcode else "",
            locality=locality_for(clean_postcode) if clean_postcode else "",
            source=source,
            status=status,
        )
        member.interests.set(list(interests))
        now = timezone.now()
        for purpose, wording in (consents or {}).items():
            Consent.objects.create(member=member, purpose=purpose, wording=wording, given_at=now)
        audit_record(
            action=Action.MEMBER_CREATED,
            actor=actor,
            subject=member,
            after={
                "source": str(source),
                "status": str(status),
                "consents": sorted(consents or {}),
            },
        )
    return member


ERASED_NAME = "Erased member"


def member_erase(*, member: Member, actor: Any = None, reason: str = "request") -> Member:
    """Erase a member's personal data, keeping an anonymous shell for aggregate counts.

    Name, email, phone and full postcode go; the postcode district, locality, dates,
    interests and equality answers stay, detached from any identity. Consents are
    marked withdrawn. The sign-in account, if any, is deleted. The audit event holds
    no personal data. ``reason``: "request" (the member asked) or "retention".
    """
    with transaction.atomic():
        user = member.user
        _erase_kept_words(member, actor)
        # Bookings, invitations, follows, requests… (linked by record or by email address)
        erased = personal_data.erase_all(member, actor)
        member.full_name = ERASED_NAME
        member.email = ""
        member.phone = ""
        member.postcode = ""
        member.pending_email = ""
        member.user = None
        member.status = Member.Status.ERASED
        member.contact_by_email = member.contact_by_phone = member.contact_by_post = False
        member.save()
        member.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        if user is not None:
            user.delete()
        audit_record(
            action=Action.MEMBER_ERASED,
            actor=actor,
            subject=member,
            after={"reason": reason, "erased": {k: n for k, n in erased.items() if n}},
        )
    return member


def _erase_kept_words(member: Member, actor: Any) -> int:
    """Words kept for the audit trail (outside the chain) that name the member – their
    full name or email address, as staff typed them into a theme response or an outcome –
    are erased with everything kept about the same record; the chain still verifies.
    (A name written differently, "Mrs Thompson", is not found: erase that record's words
    with ``audit_text_erase``.)"""
    needles = [n for n in (" ".join(member.full_name.split()), member.email) if len(n) >= 5]
    if not needles or member.full_name == ERASED_NAME:
        return 0
    mentions = Q()
    for needle in needles:
        mentions |= Q(text__icontains=needle)
    subjects = set(
        AuditText.objects.filter(mentions, erased_at=None)
        .exclude(subject_type="")
        .values_list("subject_type", "subject_id")
    )
    subjects.add((member._meta.label_lower, str(member.pk)))
    return sum(audit_text_erase(actor=actor, about=subject) for subject in sorted(subjects))


CONTACT_FIELDS = ("contact_by_email", "contact_by_phone", "contact_by_post")


def member_update(
    *,
    member: Member,
    actor: Any,
    full_name: str,
    phone: str,
    postcode: str,
    interests: Iterable[Topic],
    contact_by_email: bool,
    contact_by_phone: bool,
    contact_by_post: bool,
    contact_wording: str = "",
) -> list[str]:
    """Change a member's details, interests and contact preferences; return what changed.

    A change of how they may be contacted replaces the contact consent: the old one is
    marked withdrawn and, if any way is still chosen, a new one records ``contact_wording``
    (the words shown). The audit event lists the fields changed, never their values.
    Raises InvalidPostcode for a postcode that is not a UK postcode.
    """
    clean_postcode = normalise_postcode(postcode) if postcode.strip() else ""
    new_values: dict[str, Any] = {
        "full_name": full_name.strip(),
        "phone": phone.strip(),
        "postcode": clean_postcode,
        "contact_by_email": contact_by_email,
        "contact_by_phone": contact_by_phone,
        "contact_by_post": contact_by_post,
    }
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        changed = [name for name, value in new_values.items() if getattr(member, name) != value]
        new_interests = {topic.pk for topic in interests}
        if set(member.interests.values_list("pk", flat=True)) != new_interests:
            changed.append("interests")
            member.interests.set(new_interests)
        if not changed:
            return []
        for name, value in new_values.items():
            setattr(member, name, value)
        member.postcode_district = postcode_district(clean_postcode) if clean_postcode else ""
        member.locality = locality_for(clean_postcode) if clean_postcode else ""
        member.save()
        if any(name in CONTACT_FIELDS for name in changed):
            now = timezone.now()
            member.consents.filter(
                purpose=Consent.Purpose.CONTACT, withdrawn_at__isnull=True
            ).update(withdrawn_at=now)
            if contact_wording and (contact_by_email or contact_by_phone or contact_by_post):
                Consent.objects.create(
                    member=member,
                    purpose=Consent.Purpose.CONTACT,
                    wording=contact_wording,
                    given_at=now,
                )
        audit_record(
            action=Action.MEMBER_UPDATED,
            actor=actor,
            subject=member,
            after={"changed": sorted(changed)},
        )
    return sorted(changed)


def member_equality_update(*, member: Member, actor: Any, answers: dict[str, str]) -> list[str]:
    """Save a member's equality monitoring answers, kept in their own table.

    Every question is optional ("" = not answered). Unknown questions or answers raise
    MemberError. The audit event lists which questions have an answer, never the answers.
    """
    allowed = {name: {code for code, _ in choices} for name, (_, choices) in QUESTIONS.items()}
    for name, value in answers.items():
        if name not in allowed or (value and value not in allowed[name]):
            raise MemberError(f"Choose one of the answers offered for {name}.")
    with transaction.atomic():
        row, _ = EqualityMonitoring.objects.select_for_update().get_or_create(member=member)
        for name in QUESTIONS:
            setattr(row, name, answers.get(name, ""))
        row.save()
        answered = sorted(name for name in QUESTIONS if getattr(row, name))
        audit_record(
            action=Action.EQUALITY_UPDATED,
            actor=actor,
            subject=row,
            after={"answered": answered},
        )
    return answered


def member_data_download(*, member: Member, actor: Any) -> dict[str, Any]:
    """Everything we hold about the member, as JSON-able data; the download is audited."""
    with transaction.atomic():
        data = member_data_export(member=member)
        audit_record(action=Action.MEMBER_DATA_DOWNLOADED, actor=actor, subject=member)
    return data
