"""Every format: staff add alternative formats and translations of an activity's
documents; anyone may ask for a format or language that is not there yet, and staff
answer the request by a due date.

Rules enforced here, whoever calls (a page, a command, a future API):
- only staff who manage activities add documents or close requests;
- a document is checked by its content (PDF, Word, OpenDocument, MP4 video, MP3 audio),
  its size, and a title and language that say something;
- a request needs a way to reach the person (email or postal address); it is due
  ``HEARD_FORMAT_REQUEST_DAYS`` after it is made; closing it needs a note a reader can
  follow and erases the contact details;
- each change is audited with identifiers and hashes, never the person's details.
"""

import hashlib
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from heard.accounts.actors import Actor
from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core import ratelimit, substance
from heard.core.actors import person, require
from heard.core.mail import mail_send_on_commit
from heard.core.uploads import UploadRefused, check_document
from heard.engagement import domain
from heard.engagement.models import Activity, ActivityDocument, FormatRequest

MAX_DETAILS = 1000
REQUESTS_PER_CLIENT_PER_HOUR = 5
MAILS_PER_RECIPIENT_PER_HOUR = 3


class FormatProblem(ValueError):
    """What was sent cannot be taken; the message says what is needed, and ``field``
    names the form field it is about ("" for the form as a whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _may_manage(actor: Actor) -> None:
    require(actor, "engagement.change_activities", to="manage an activity's documents and formats")


def activity_document_add(
    *,
    actor: Actor,
    activity: Activity,
    title: str,
    upload: IO[bytes],
    name: str,
    size: int,
    format: str,
    language: str = "",
) -> ActivityDocument:
    """Add a document, or an alternative format or translation of one, to an activity.
    Raises FormatProblem with what to fix."""
    _may_manage(actor)
    title, language = substance.squeeze(title), substance.squeeze(language)
    if format not in ActivityDocument.Format.values:
        raise FormatProblem("Choose the format of the document.", "format")
    if substance.is_placeholder(title):
        raise FormatProblem("Enter a title that says what the document is.", "title")
    if len(title) > 200:
        raise FormatProblem(
            f"The title must be 200 characters or fewer – it has {len(title)}.", "title"
        )
    if format == ActivityDocument.Format.OTHER_LANGUAGE and substance.is_placeholder(language):
        raise FormatProblem(
            "Enter the language of the translation, for example Polish.", "language"
        )
    try:
        kind = check_document(upload, name=name, size=size)
    except UploadRefused as exc:
        raise FormatProblem(str(exc), "file") from exc
    if format == ActivityDocument.Format.BSL and kind.name != "MP4 video":
        raise FormatProblem("A British Sign Language version must be an MP4 video.", "file")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = ActivityDocument(
            activity=activity,
            title=title,
            format=format,
            language=language if format == ActivityDocument.Format.OTHER_LANGUAGE else "",
        )
        document.file.save(name, File(upload, name=name), save=False)
        document.save()
        audit_record(
            action=Action.ACTIVITY_UPDATED,
            actor=actor,
            subject=activity,
            after={
                "change": "document_added",
                "document": document.pk,
                "format": format,
                "kind": kind.name,
                "bytes": size,
                "sha256": digest.hexdigest(),
            },
        )
    return document


def format_request_create(
    *,
    activity: Activity,
    format: str,
    language: str = "",
    details: str = "",
    email: str = "",
    postal: str = "",
    client: str = "",
) -> FormatRequest:
    """A member of the public asks for a format or language. Raises FormatProblem.
    ``client`` is the sender's address (heard.core.ratelimit): a few requests an hour
    from one client, and a few acknowledgements an hour to one email address."""
    language, email = substance.squeeze(language), email.strip()
    postal, details = postal.strip(), details.strip()
    if format not in FormatRequest.Format.values:
        raise FormatProblem("Choose the format you need.", "format")
    if format == FormatRequest.Format.OTHER_LANGUAGE and substance.is_placeholder(language):
        raise FormatProblem("Enter the language you need, for example Polish.", "language")
    if len(details) > MAX_DETAILS:
        raise FormatProblem(
            f"Tell us what you need in {MAX_DETAILS} characters or fewer – it has {len(details)}.",
            "details",
        )
    if email:
        try:
            validate_email(email)
        except Exception as exc:  # Django's ValidationError: say it in our words
            raise FormatProblem(
                "Enter an email address in the right format, like name@example.com", "email"
            ) from exc
    if format in (FormatRequest.Format.PAPER, FormatRequest.Format.BRAILLE) and not postal:
        raise FormatProblem("Enter the postal address we should send it to.", "postal")
    if not email and (not postal or substance.is_placeholder(postal)):
        raise FormatProblem(
            "Enter an email address or a postal address so we can send it to you.", "email"
        )
    if domain.effective_status(activity.facts(), timezone.now()) == domain.Status.DRAFT:
        raise FormatProblem("This activity is not published.")
    if not ratelimit.hit(
        purpose="format-request-client",
        subject=ratelimit.address_subject(client),
        limit=REQUESTS_PER_CLIENT_PER_HOUR,
        seconds=3600,
    ):
        raise FormatProblem(
            "We have had several requests from this connection in the last hour. "
            "Try again in an hour, or phone or email us."
        )
    send_mail = bool(email) and ratelimit.hit(
        purpose="format-request-mail",
        subject=email.lower(),
        limit=MAILS_PER_RECIPIENT_PER_HOUR,
        seconds=3600,
    )
    with transaction.atomic():
        request = FormatRequest.objects.create(
            activity=activity,
            format=format,
            language=language if format == FormatRequest.Format.OTHER_LANGUAGE else "",
            details=details,
            contact_email=email,
            contact_postal=postal,
            due_by=timezone.localdate() + timedelta(days=settings.HEARD_FORMAT_REQUEST_DAYS),
        )
        audit_record(
            action=Action.ACTIVITY_UPDATED,
            subject=activity,
            after={"change": "format_requested", "request": request.pk, "format": format},
        )
        if send_mail:
            # A fixed text, nothing the requester typed: the address is not confirmed.
            mail_send_on_commit(
                to=[email],
                template="engagement/email/format_request",
                context={"activity": activity, "due_by": request.due_by},
            )
    return request


def format_request_close(
    *, actor: Actor, request: FormatRequest, met: bool, note: str
) -> FormatRequest:
    """Close a request: sent (``met``) or could not be met, with a note that says what
    was done; the person's contact details are erased. Refused twice."""
    _may_manage(actor)
    problems = substance.reason_problems(
        note, what="what was sent" if met else "it could not be met", min_words=3
    )
    if problems:
        raise FormatProblem(problems[0], "note")
    with transaction.atomic():
        locked = FormatRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != FormatRequest.Status.OPEN:
            raise FormatProblem("This request has already been closed.")
        locked.status = FormatRequest.Status.DONE if met else FormatRequest.Status.DECLINED
        locked.closed_at, locked.closed_by = timezone.now(), person(actor)
        locked.note = substance.squeeze(note)
        locked.contact_email = locked.contact_postal = ""
        locked.save()
        audit_record(
            action=Action.ACTIVITY_UPDATED,
            actor=actor,
            subject=locked.activity,
            after={
                "change": "format_request_closed",
                "request": locked.pk,
                "status": locked.status,
                "late": timezone.localdate() > locked.due_by,
            },
        )
    return locked
