"""The public side of the membership scheme: join, confirm, sign in, unsubscribe, mail.

Rules this module enforces:

- joining never reveals whether an address is already held: the same page follows, and
  the existing member gets an email saying they are already a member, with a sign-in
  link, instead of a new confirmation (no account enumeration);
- a confirmation link lasts 3 days; a sign-in link lasts 30 minutes and works once;
  an unsubscribe link never expires and needs no sign-in (see ``heard.people.tokens``);
- every email to a member carries a one-click unsubscribe link and the RFC 8058
  ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers;
- every change is audited without personal data.

Views pass ``base_url`` (scheme and host, from the request) so links in emails are absolute.
"""

import secrets
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from heard.accounts.models import User
from heard.accounts.services import user_create
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core import ratelimit
from heard.core.mail import mail_send_on_commit
from heard.people import tokens
from heard.people.models import Consent, Member, Topic
from heard.people.selectors import members_with_email
from heard.people.services.members import MemberError, member_create

UNSUBSCRIBE_WORDING = "Stop sending me emails about opportunities to get involved."
# Emails sent to one address on request (join, sign in, change of address), per hour:
# enough for someone who mistypes or loses an email, too few to flood an inbox. Counted
# for every address asked about, member or not, so the refusal reveals nothing.
LINKS_PER_ADDRESS_PER_HOUR = 3
# Wrong sign-in codes typed for one address per hour, across every code sent to it.
CODE_GUESSES_PER_ADDRESS_PER_HOUR = 10
MAIL_LIMITED_MESSAGE = (
    "We have already sent several emails to this address in the last hour. Check your "
    "inbox and spam folder for them, or try again in an hour"
)


class LinkError(ValueError):
    """A signed link that has expired, was changed or was already used."""


class MailLimited(ValueError):
    """Too many emails asked for, to one address, within the hour (message for people)."""

    def __init__(self, message: str = MAIL_LIMITED_MESSAGE) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class JoinDetails:
    full_name: str
    email: str
    postcode: str
    phone: str
    interests: list[Topic]
    contact_by_email: bool
    contact_by_phone: bool
    contact_by_post: bool
    membership_wording: str
    contact_wording: str  # "" when no way of contact was chosen


# --- mail -----------------------------------------------------------------------------


def member_unsubscribe_url(*, member: Member, base_url: str) -> str:
    token = tokens.unsubscribe_token_make(member_id=member.pk)
    return base_url.rstrip("/") + reverse("members:unsubscribe", kwargs={"token": token})


def member_mail_send(
    *,
    member: Member,
    template: str,
    context: dict[str, Any],
    base_url: str,
    to: str = "",
) -> None:
    """Send a templated email to a member after commit, with one-click unsubscribe.

    Templates get ``member``, ``unsubscribe_url`` and ``base_url`` besides ``context``.
    Other apps (invitations, newsletters) should send member email through here.
    """
    address = to or member.email
    if not address:
        return
    unsubscribe_url = member_unsubscribe_url(member=member, base_url=base_url)
    mail_send_on_commit(
        to=[address],
        template=template,
        context={
            "member": member,
            "unsubscribe_url": unsubscribe_url,
            "base_url": base_url.rstrip("/"),
            **context,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _link_mail_allowed(email: str) -> bool:
    """Count a requested email to ``email``; False once the hourly allowance is used up.

    One atomic counter shared by every app server (heard.core.ratelimit): the database
    cache's ``incr`` reads then writes, and let concurrent requests through.
    """
    return ratelimit.hit(
        purpose="member-mail",
        subject=tokens.email_hash(email.strip().lower()),
        limit=LINKS_PER_ADDRESS_PER_HOUR,
        seconds=60 * 60,
    )


def _verification_mail(member: Member, base_url: str) -> None:
    token = tokens.verify_token_make(member_id=member.pk, email=member.email)
    member_mail_send(
        member=member,
        template="people/email/verify",
        context={
            "verify_url": base_url.rstrip("/") + reverse("members:verify", kwargs={"token": token}),
            "valid_days": tokens.VERIFY_MAX_AGE.days,
        },
        base_url=base_url,
    )


def _sign_in_link(member: Member, base_url: str) -> str:
    token = tokens.sign_in_token_make(
        member_id=member.pk, email=member.email, counter=member.sign_in_counter
    )
    return base_url.rstrip("/") + reverse("members:sign_in_link", kwargs={"token": token})


def _sign_in_mail(member: Member, base_url: str, *, template: str, with_code: bool = False) -> None:
    member_mail_send(
        member=member,
        template=template,
        context={
            "sign_in_url": _sign_in_link(member, base_url),
            "code": _sign_in_code_issue(member) if with_code else "",
            "valid_minutes": int(tokens.SIGN_IN_MAX_AGE.total_seconds() // 60),
        },
        base_url=base_url,
    )


# --- sign-in codes --------------------------------------------------------------------
# For a member who reads email on another device: the sign-in email also holds a 6-digit
# code to type on the "check your email" page. Only a keyed hash of the code is kept (in
# the cache, shared by app servers), for as long as the link lasts. Wrong codes are
# counted per address whether or not it is a member's, so the answers reveal nothing.

CODE_ATTEMPTS = 5
_CODE_SALT = "heard.people.member.sign_in_code"


def _code_keys(email: str) -> tuple[str, str]:
    digest = tokens.email_hash(email)
    return f"members:code:{digest}", f"members:code_attempts:{digest}"


def _code_hash(code: str) -> str:
    return salted_hmac(_CODE_SALT, code).hexdigest()


def _sign_in_code_issue(member: Member) -> str:
    code = f"{secrets.randbelow(1_000_000):06d}"
    lifetime = int(tokens.SIGN_IN_MAX_AGE.total_seconds())
    code_key, attempts_key = _code_keys(member.email)
    cache.set(
        code_key,
        {"member": member.pk, "counter": member.sign_in_counter, "hash": _code_hash(code)},
        timeout=lifetime,
    )
    cache.delete(attempts_key)
    return code


def member_sign_in_with_code(*, email: str, code: str) -> User:
    """Sign in with the code from the latest sign-in email. Works once; 5 tries.

    Raises LinkError with a message for the person (the same whether or not the address
    is a member's).
    """
    code_key, attempts_key = _code_keys(email)
    lifetime = int(tokens.SIGN_IN_MAX_AGE.total_seconds())
    cache.add(attempts_key, 0, timeout=lifetime)
    # Each try counts towards the hourly cap, whichever code it is for: asking for new
    # codes does not buy more guesses (3 emails × 5 tries were 15, and 25 before).
    within_hour = ratelimit.hit(
        purpose="member-code",
        subject=tokens.email_hash(email.strip().lower()),
        limit=CODE_GUESSES_PER_ADDRESS_PER_HOUR,
        seconds=60 * 60,
    )
    if not within_hour or int(cache.get(attempts_key) or 0) >= CODE_ATTEMPTS:
        raise LinkError(
            "You have entered a wrong code too many times. Ask for a new code and try again"
        )
    entry = cache.get(code_key)
    if not entry or not constant_time_compare(_code_hash(code), str(entry["hash"])):
        try:
            cache.incr(attempts_key)
        except ValueError:
            cache.set(attempts_key, 1, timeout=lifetime)
        raise LinkError(
            "The code is not right or has expired. Check the latest email we sent you, "
            "or ask for a new code"
        )
    member = Member.objects.filter(pk=entry["member"]).select_related("user").first()
    with transaction.atomic():
        used = Member.objects.filter(
            pk=entry["member"], sign_in_counter=entry["counter"], user__isnull=False
        ).update(sign_in_counter=F("sign_in_counter") + 1, last_active_at=timezone.now())
        if member is None or member.user is None or used != 1:
            raise LinkError("This code has already been used. Ask for a new code")
        audit_record(
            action=Action.MEMBER_SIGNED_IN,
            actor=member.user,
            subject=member,
            after={"method": "code"},
        )
    cache.delete(code_key)
    return member.user


# --- joining --------------------------------------------------------------------------


def _existing_member(email: str) -> Member | None:
    return members_with_email(email).first()


def _tell_existing_member(member: Member, base_url: str) -> None:
    """Someone joined with an address we hold: mail its owner, never tell the visitor.

    A member without a sign-in account yet (not confirmed, or a contact imported from a
    group's list) gets a confirmation link, which creates the account.
    """
    if member.user_id is None:
        _verification_mail(member, base_url)
    else:
        _sign_in_mail(member, base_url, template="people/email/already_member")


def member_join(*, details: JoinDetails, base_url: str) -> None:
    """Join the scheme: create a pending member with consents, mail a confirmation link.

    If the address is already held – including a second click of the submit button
    racing the first – the owner of the address gets an email instead and the caller
    cannot tell the difference. Raises InvalidPostcode (from member_create) for a
    postcode that is not a UK postcode, and MailLimited when this address has been
    sent its allowance of emails this hour (whether or not it is a member's).
    """
    if not _link_mail_allowed(details.email):
        raise MailLimited
    existing = _existing_member(details.email)
    if existing is not None:
        with transaction.atomic():
            _tell_existing_member(existing, base_url)
        return
    consents: dict[Consent.Purpose, str] = {Consent.Purpose.MEMBERSHIP: details.membership_wording}
    if details.contact_wording:
        consents[Consent.Purpose.CONTACT] = details.contact_wording
    try:
        with transaction.atomic():
            member = member_create(
                full_name=details.full_name,
                email=details.email,
                postcode=details.postcode,
                phone=details.phone,
                interests=details.interests,
                source=Member.Source.SIGN_UP,
                status=Member.Status.PENDING,
                consents=consents,
            )
            member.contact_by_email = details.contact_by_email
            member.contact_by_phone = details.contact_by_phone
            member.contact_by_post = details.contact_by_post
            member.save(update_fields=["contact_by_email", "contact_by_phone", "contact_by_post"])
            _verification_mail(member, base_url)
    except (IntegrityError, MemberError):
        # The same address arrived twice at once: the database's unique constraint
        # let one through; the other is treated as a repeat sign-up.
        existing = _existing_member(details.email)
        if existing is not None:
            with transaction.atomic():
                _tell_existing_member(existing, base_url)


def _member_for(data: tokens.TokenData) -> Member:
    member = Member.objects.filter(pk=data.member_id).select_related("user").first()
    if (
        member is None
        or member.status == Member.Status.ERASED
        or not member.email
        or tokens.email_hash(member.email) != data.email_hash
    ):
        raise LinkError("This link has expired or is not valid.")
    return member


def member_verify_check(*, token: str) -> Member:
    """The member a confirmation link is for. Raises LinkError if it cannot be used."""
    try:
        data = tokens.verify_token_read(token)
    except tokens.InvalidToken as exc:
        raise LinkError(str(exc)) from exc
    return _member_for(data)


def member_verify(*, token: str) -> tuple[Member, User | None]:
    """Confirm the email address: the member becomes active and gets a sign-in account.

    Returns the member and the user to sign in (None when the address was already
    confirmed: a confirmation link signs in only once). Raises LinkError.
    """
    member = member_verify_check(token=token)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.user_id is not None:
            return member, None
        before = member.status
        user = _user_for(member)
        member.user = user
        member.status = Member.Status.ACTIVE
        member.email_verified_at = timezone.now()
        member.last_active_at = member.email_verified_at
        member.save(update_fields=["user", "status", "email_verified_at", "last_active_at"])
        audit_record(
            action=Action.MEMBER_VERIFIED,
            actor=user,
            subject=member,
            before={"status": str(before)},
            after={"status": str(Member.Status.ACTIVE)},
        )
    return member, user


def _users_with_email(email: str) -> QuerySet[User]:
    """Users holding ``email`` in any case (uses the index on LOWER(email))."""
    return User.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email.strip().lower()
    )


def _user_for(member: Member) -> User | None:
    """A passwordless sign-in account for the member (staff accounts are never reused)."""
    existing = _users_with_email(member.email).first()
    if existing is not None:
        if existing.role or hasattr(existing, "member"):
            return None
        return existing
    return user_create(email=member.email, password=None)


# --- signing in -----------------------------------------------------------------------


def member_sign_in_request(*, email: str, base_url: str) -> None:
    """Mail a sign-in link if the address belongs to a member; say nothing either way.

    Raises MailLimited when the address has had its allowance of emails this hour,
    counted for every address asked about, so that says nothing about membership.
    """
    if not _link_mail_allowed(email):
        raise MailLimited
    member = _existing_member(email)
    if member is None:
        return
    with transaction.atomic():
        if member.user_id is None:
            _verification_mail(member, base_url)
        elif member.status == Member.Status.ACTIVE:
            _sign_in_mail(member, base_url, template="people/email/sign_in", with_code=True)


def member_sign_in_check(*, token: str) -> Member:
    """The member a sign-in link is for, without using it up. Raises LinkError."""
    try:
        data = tokens.sign_in_token_read(token)
    except tokens.InvalidToken as exc:
        raise LinkError(str(exc)) from exc
    member = _member_for(data)
    if member.sign_in_counter != data.counter or member.user is None:
        raise LinkError("This link has already been used.")
    return member


def member_sign_in(*, token: str) -> User:
    """Use a sign-in link: it works once (the counter moves on). Raises LinkError."""
    member = member_sign_in_check(token=token)
    data = tokens.sign_in_token_read(token)
    with transaction.atomic():
        # A conditional update: of two simultaneous uses, only one changes a row.
        used = Member.objects.filter(pk=member.pk, sign_in_counter=data.counter).update(
            sign_in_counter=F("sign_in_counter") + 1, last_active_at=timezone.now()
        )
        if used != 1:
            raise LinkError("This link has already been used.")
        audit_record(
            action=Action.MEMBER_SIGNED_IN,
            actor=member.user,
            subject=member,
            after={"method": "link"},
        )
    assert member.user is not None
    return member.user


# --- changing the email address ------------------------------------------------------


def _address_taken(email: str, *, member: Member) -> bool:
    users = _users_with_email(email)
    if member.user_id is not None:
        users = users.exclude(pk=member.user_id)
    return members_with_email(email).exclude(pk=member.pk).exists() or (users.exists())


def member_email_change_request(*, member: Member, new_email: str, base_url: str) -> None:
    """Mail a confirmation link to the new address; the change happens when it is opened.

    Says nothing about whether the new address is already someone else's: the link is
    then simply not sent (the signed-in member learns no more than a stranger would).
    """
    new_email = new_email.strip().lower()
    if not _link_mail_allowed(new_email):
        raise MailLimited
    if new_email == member.email or _address_taken(new_email, member=member):
        return
    with transaction.atomic():
        member.pending_email = new_email
        member.save(update_fields=["pending_email", "updated_at"])
        token = tokens.email_change_token_make(member_id=member.pk, new_email=new_email)
        member_mail_send(
            member=member,
            to=new_email,
            template="people/email/email_change",
            context={
                "confirm_url": base_url.rstrip("/")
                + reverse("members:email_change_confirm", kwargs={"token": token}),
                "valid_days": tokens.VERIFY_MAX_AGE.days,
            },
            base_url=base_url,
        )


def member_email_change_check(*, token: str) -> Member:
    """The member a change-of-address link is for, without using it. Raises LinkError."""
    try:
        data = tokens.email_change_token_read(token)
    except tokens.InvalidToken as exc:
        raise LinkError(str(exc)) from exc
    member = Member.objects.filter(pk=data.member_id).first()
    if (
        member is None
        or member.status == Member.Status.ERASED
        or not member.pending_email
        or tokens.email_hash(member.pending_email) != data.email_hash
    ):
        raise LinkError("This link has expired or is not valid.")
    return member


def member_email_change_confirm(*, token: str, base_url: str) -> Member:
    """Open the link sent to a new address: it becomes the member's address (and sign-in).

    The old address is told, in case the change was not theirs. Audited as a change of
    "email", without either address. Raises LinkError.
    """
    try:
        data = tokens.email_change_token_read(token)
    except tokens.InvalidToken as exc:
        raise LinkError(str(exc)) from exc
    with transaction.atomic():
        member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=data.member_id)
        ).first()
        if (
            member is None
            or member.status == Member.Status.ERASED
            or not member.pending_email
            or tokens.email_hash(member.pending_email) != data.email_hash
        ):
            raise LinkError("This link has expired or is not valid.")
        new_email = member.pending_email
        if _address_taken(new_email, member=member):
            raise LinkError("This email address is already in use.")
        old_email = member.email
        member.email = new_email
        member.pending_email = ""
        member.sign_in_counter += 1  # sign-in links sent to the old address stop working
        member.save(update_fields=["email", "pending_email", "sign_in_counter", "updated_at"])
        if member.user is not None:
            member.user.email = new_email
            member.user.save(update_fields=["email"])
            EmailAddress.objects.filter(user=member.user).delete()
            EmailAddress.objects.create(
                user=member.user, email=new_email, primary=True, verified=True
            )
        audit_record(
            action=Action.MEMBER_UPDATED,
            actor=member.user,
            subject=member,
            after={"changed": ["email"]},
        )
        if old_email:
            member_mail_send(
                member=member,
                to=old_email,
                template="people/email/email_changed",
                context={},
                base_url=base_url,
            )
    return member


# --- unsubscribing --------------------------------------------------------------------


def member_unsubscribe_check(*, token: str) -> Member:
    try:
        data = tokens.unsubscribe_token_read(token)
    except tokens.InvalidToken as exc:
        raise LinkError(str(exc)) from exc
    member = Member.objects.filter(pk=data.member_id).first()
    if member is None or member.status == Member.Status.ERASED:
        raise LinkError("This link is not valid.")
    return member


def member_unsubscribe(*, token: str, channel: str = "unsubscribe link") -> Member:
    """Stop email about opportunities: contact_by_email off, withdrawal recorded, audited.

    Idempotent: a second use changes nothing and records nothing. Raises LinkError.
    """
    member = member_unsubscribe_check(token=token)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if not member.contact_by_email:
            return member
        now = timezone.now()
        member.contact_by_email = False
        member.save(update_fields=["contact_by_email", "updated_at"])
        Consent.objects.create(
            member=member,
            purpose=Consent.Purpose.CONTACT,
            wording=UNSUBSCRIBE_WORDING,
            given_at=now,
            withdrawn_at=now,
            channel=channel,
        )
        if not (member.contact_by_phone or member.contact_by_post):
            member.consents.filter(
                purpose=Consent.Purpose.CONTACT, withdrawn_at__isnull=True
            ).update(withdrawn_at=now)
        audit_record(
            action=Action.MEMBER_UNSUBSCRIBED,
            actor=member.user,
            subject=member,
            before={"contact_by_email": True},
            after={"contact_by_email": False, "channel": channel},
        )
    return member
