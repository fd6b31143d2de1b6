"""Writing members: joining, changing details, consent. Every write is audited.

No personal data goes into audit events: only ids, statuses and which fields changed.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.people.models import Consent, Member, Topic
from heard.people.postcodes import locality_for, normalise_postcode, postcode_district


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
    email = email.strip().lower()
    if email and Member.objects.filter(email__iexact=email).exists():
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
        member.full_name = ERASED_NAME
        member.email = ""
        member.phone = ""
        member.postcode = ""
        member.user = None
        member.status = Member.Status.ERASED
        member.contact_by_email = member.contact_by_phone = member.contact_by_post = False
        member.save()
        member.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        if user is not None:
            user.delete()
        audit_record(
            action=Action.MEMBER_ERASED, actor=actor, subject=member, after={"reason": reason}
        )
    return member
