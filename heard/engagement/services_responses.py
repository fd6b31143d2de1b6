"""Storing responses from every channel, exactly once, and keeping spam out.

Every stored response calls ``hooks.response_submitted(response)`` inside the
transaction that stores it, and is audited (no personal data in the trail). The public
online path passes ``defer=True``, so the insight bank makes its insights in batches
after the commit (ADR 7).

Exactly once: an online form carries a submission token (a UUID made when the form was
first shown); the token is unique in the table, so a second send of the same form –
double click, back button, network retry – finds the first response and shows its
confirmation again instead of storing another. Imported rows carry an import key (the
row's source reference, or a digest of its cells) that is unique per questionnaire.
"""

import hashlib
import json
import logging
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import AuditEntry, audit_record, audit_record_many
from heard.core import ratelimit
from heard.core.actors import require
from heard.core.mail import mail_send_on_commit
from heard.core.request_context import current_request_id
from heard.engagement import hooks, questionnaire, selectors_responses
from heard.engagement.models import (
    Answer,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseDraft,
    ResponseEquality,
    SpamLog,
)
from heard.engagement.questionnaire import Cleaned, RawAnswers
from heard.engagement.selectors_responses import VersionView

logger = logging.getLogger(__name__)

STATE_SALT = "heard.engagement.respond.state"
DRAFT_SALT = "heard.engagement.respond.draft"
RECEIPT_SALT = "heard.engagement.respond.receipt"
DRAFT_DAYS = 30
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I; 32 letters


class ResponseRefused(Exception):
    """The response cannot be taken; ``message`` says why and what to do instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ResponsesClosed(ResponseRefused):
    pass


class ResponseInvalid(ValueError):
    """Some answers are not valid; ``errors`` maps question keys to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class LinkInvalid(ValueError):
    """A signed link that was changed, has expired, or whose draft is gone."""


# --- the form's state, carried signed between pages -------------------------------------


def state_new(*, version: QuestionnaireVersion, now: datetime | None = None) -> dict[str, Any]:
    """A fresh form: which version, a submission token, and when it was first shown."""
    return {
        "v": version.pk,
        "t": uuid.uuid4().hex,
        "s": (now or timezone.now()).timestamp(),
        "a": {},
        "d": "",
    }


def state_sign(state: dict[str, Any]) -> str:
    return signing.dumps(state, salt=STATE_SALT, compress=True)


def state_read(signed: str) -> dict[str, Any]:
    """The state from a hidden field; LinkInvalid if it was changed."""
    try:
        state = signing.loads(signed, salt=STATE_SALT)
    except signing.BadSignature as exc:
        raise LinkInvalid("The form was changed or damaged on its way.") from exc
    if not isinstance(state, dict) or not {"v", "t", "s", "a"} <= state.keys():
        raise LinkInvalid("The form was changed or damaged on its way.")
    return state


# --- references ---------------------------------------------------------------------------


def reference_new() -> str:
    """A reference a person can read out on the phone, like HYS-7KQ2-9XDM."""
    # One read of the system's random source for all eight characters; 256 is a multiple
    # of the alphabet's 32 letters, so each letter is equally likely.
    chars = "".join(REFERENCE_ALPHABET[b % len(REFERENCE_ALPHABET)] for b in secrets.token_bytes(8))
    return f"HYS-{chars[:4]}-{chars[4:]}"


def receipt_sign(reference: str) -> str:
    return signing.dumps(reference, salt=RECEIPT_SALT)


def receipt_read(signed: str) -> str:
    try:
        return str(signing.loads(signed, salt=RECEIPT_SALT, max_age=timedelta(days=2)))
    except signing.BadSignature as exc:
        raise LinkInvalid("This confirmation link is not valid or has expired.") from exc


COPY_SALT = "heard.engagement.respond.copy"
COPY_HOURS = 1


def copy_sign(reference: str) -> str:
    """A link to a copy of one's own answers: offered on the confirmation page, short-lived
    (the page may be left open on a shared computer)."""
    return signing.dumps(reference, salt=COPY_SALT)


def copy_read(signed: str) -> str:
    try:
        return str(signing.loads(signed, salt=COPY_SALT, max_age=timedelta(hours=COPY_HOURS)))
    except signing.SignatureExpired as exc:
        raise LinkInvalid(
            f"The link to a copy of your answers lasts {COPY_HOURS} hour and has expired. "
            "Your response was still received: contact us with your reference for a copy."
        ) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid(
            "This link to a copy of your answers is not complete or was changed."
        ) from exc


# --- validation -----------------------------------------------------------------------------


@dataclass
class CleanResponse:
    answers: dict[str, Cleaned] = field(default_factory=dict)
    equality: dict[str, str] = field(default_factory=dict)
    respondent_type: str = Response.RespondentType.INDIVIDUAL
    organisation_name: str = ""


def response_clean(view: VersionView, raw: RawAnswers) -> CleanResponse:
    """Validate every visible answer; ResponseInvalid with the problems otherwise."""
    result = questionnaire.clean_all(view.specs, raw)
    if result.errors:
        raise ResponseInvalid(result.errors)
    clean = CleanResponse(answers=result.answers)
    if any(s.kind == questionnaire.EQUALITY for s in view.specs):
        clean.equality = questionnaire.clean_equality(raw)
    for spec in view.specs:
        if spec.kind == questionnaire.RESPONDENT_TYPE and spec.key in result.answers:
            answer = result.answers[spec.key]
            clean.respondent_type = str(answer.value)
            clean.organisation_name = answer.text
    return clean


# --- storing --------------------------------------------------------------------------------


def _insert_built(built: tuple[Response, list[Answer], ResponseEquality | None]) -> Response:
    """Insert one response made by ``_build`` with its answers (and its equality answers,
    stored apart); call inside a transaction."""
    response, answers, equality = built
    _insert_response(response, answers)
    if equality is not None:
        equality.save(force_insert=True)
    return response


def _build(
    *,
    view: VersionView,
    clean: CleanResponse,
    channel: str,
    submitted_at: datetime,
    late: bool,
    publish_consent: bool,
    token: uuid.UUID | None,
    import_key: str = "",
    actor: Any = None,
) -> tuple[Response, list[Answer], ResponseEquality | None]:
    """The unsaved response, its answers and its equality answers (stored apart)."""
    version = view.version
    q = version.questionnaire
    response = Response(
        activity=q.activity,
        questionnaire=q,
        version=version,
        channel=channel,
        submitted_at=submitted_at,
        respondent_type=clean.respondent_type,
        organisation_name=clean.organisation_name,
        reference=reference_new(),
        late=late,
        publish_consent=publish_consent,
        submission_token=token,
        import_key=import_key,
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    by_key = {qn.key: qn for qn in view.questions}
    answers = [
        Answer(response=response, question=by_key[key], text=c.text, value=c.value)
        for key, c in clean.answers.items()
        if key in by_key
    ]
    equality = (
        ResponseEquality(response=response, activity_id=q.activity_id, **clean.equality)
        if clean.equality
        else None
    )
    return response, answers, equality


def _insert_response(response: Response, answers: list[Answer]) -> None:
    """Insert the response (its new pk set on it) and then its answers; call inside a
    transaction. Plain Django: one insert for the response, one multi-row insert of its
    answers."""
    response.save(force_insert=True)
    for answer in answers:
        answer.response = response  # sets the id now that the response has one
    Answer.objects.bulk_create(answers)


def response_submit(
    *,
    version: QuestionnaireVersion,
    raw: RawAnswers,
    token: uuid.UUID,
    publish_consent: bool,
    receipt_email: str = "",
    tell_outcome: bool = False,
    draft_token: str = "",
    now: datetime | None = None,
    view: VersionView | None = None,
    window: str | None = None,
) -> tuple[Response, bool]:
    """Store an online response once. Returns (response, created).

    The same token sent again returns the first response with ``created=False`` and no
    second receipt. Refuses (ResponsesClosed) when the activity is closed and late
    responses are not allowed; flags the response ``late`` when they are. Raises
    ResponseInvalid when an answer is not valid.
    """
    now = now or timezone.now()
    view = view or selectors_responses.version_view(version)
    q = version.questionnaire
    window = window or selectors_responses.response_window(q.activity, now)
    if window in ("closed", "not_open"):
        existing = Response.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing, False
        raise ResponsesClosed(
            "This survey has closed, so we cannot take your response."
            if window == "closed"
            else "This survey is not open yet."
        )
    try:
        clean = response_clean(view, raw)
    except ResponseInvalid:
        # A form sent again after it was stored is answered by the first response, even
        # if the questions have changed since.
        existing = Response.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing, False
        raise
    pending = _Pending(
        view=view,
        clean=clean,
        token=token,
        submitted_at=now,
        late=window == "late",
        publish_consent=publish_consent,
        draft_token=draft_token,
        request_id=current_request_id(),
    )
    response, created = _submit_one(pending)
    if created:
        # The response is stored: from here on nothing may turn the person's answer into
        # an error page. Each step after the commit fails on its own, logged.
        _after_stored(
            q=q, response=response, receipt_email=receipt_email, tell_outcome=tell_outcome
        )
    return response, created


def _after_stored(
    *, q: Questionnaire, response: Response, receipt_email: str, tell_outcome: bool
) -> None:
    """The receipt and the outcome request of a stored response; a failure is logged and
    the person is still told their response was received (it was)."""
    if tell_outcome and receipt_email and q.activity is not None:
        # Kept apart from the response, only until "you said, we did" is emailed.
        from heard.engagement.services_outcome_mail import outcome_request_record

        try:
            with transaction.atomic():
                outcome_request_record(activity=q.activity, email=receipt_email)
        except Exception:
            logger.exception("Response %s stored; its outcome request was not", response.pk)
    if not receipt_email:
        return
    try:
        with transaction.atomic():
            allowed = _receipt_mail_allowed(receipt_email)
        if allowed:
            # The address is anyone's: a few receipts an hour per recipient, so nobody's
            # inbox can be filled through us (the response itself is stored either way).
            mail_send_on_commit(
                to=[receipt_email],
                template="engagement/email/receipt",
                context={"reference": response.reference, "title": _title(q)},
            )
    except Exception:
        logger.exception("Response %s stored; its receipt was not sent", response.pk)


@dataclass(frozen=True)
class _Pending:
    """A validated online response waiting to be stored."""

    view: VersionView
    clean: CleanResponse
    token: uuid.UUID
    submitted_at: datetime
    late: bool
    publish_consent: bool
    draft_token: str
    request_id: str

    def build(self) -> tuple[Response, list[Answer], ResponseEquality | None]:
        return _build(
            view=self.view,
            clean=self.clean,
            channel=Response.Channel.ONLINE,
            submitted_at=self.submitted_at,
            late=self.late,
            publish_consent=self.publish_consent,
            token=self.token,
        )

    def audit_entry(self, response: Response) -> AuditEntry:
        return AuditEntry(
            action=Action.RESPONSE_SUBMITTED,
            subject=response,
            after={
                "channel": response.channel,
                "version": self.view.version.number,
                "late": response.late,
                "answers": len(self.clean.answers),
            },
            request_id=self.request_id,
        )


class ResponseNotStored(ResponseRefused):
    """The database did not take the response (busy past its time limit, or gone): the
    person is asked to send the same form again, which is safe (the token)."""


NOT_STORED_MESSAGE = (
    "We could not store your response just now because the service is busy. Nothing "
    "has been sent twice: select ‘Send my response’ again in a moment."
)


def _submit_one(item: _Pending) -> tuple[Response, bool]:
    """Store one online response in its own transaction (or find the first send).

    Plain Django: one transaction per response (ADR 11), so one response's failure can
    never touch another's. IntegrityError on the unique token means the form was sent
    before (double click, back button, retry): the first response answers it. Any other
    database error (a lock or statement timeout, a lost connection – every wait is
    bounded) raises ResponseNotStored, unless the response turns out to be stored after
    all (the connection broke after the commit): then it is answered as stored.
    """
    try:
        with transaction.atomic():
            response = _insert_built(item.build())
            if item.draft_token:
                ResponseDraft.objects.filter(token=item.draft_token).delete()
            # The busy public path: apps above queue their part (ADR 7, ADR 11).
            hooks.response_submitted(response, defer=True)
            # Last, just before the commit: the audit chain's head is locked until then,
            # and every response's transaction waits its turn for it.
            audit_record_many([item.audit_entry(response)])
    except IntegrityError:
        existing = _stored_with_token(item.token)
        if existing is None:
            raise
        return existing, False
    except DatabaseError as exc:
        logger.warning("Storing a response failed: %s", exc)
        existing = _stored_with_token(item.token)
        if existing is None:
            raise ResponseNotStored(NOT_STORED_MESSAGE) from exc
        return existing, False
    return response, True


def _stored_with_token(token: uuid.UUID) -> Response | None:
    """The response stored with this token, or None; None too if the database cannot be
    asked (a broken connection is closed first, so the question goes on a new one)."""
    if connection.in_atomic_block:
        return Response.objects.filter(submission_token=token).first()
    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        return Response.objects.filter(submission_token=token).first()
    except DatabaseError:
        logger.warning("Could not look up a response by its token after a failure")
        return None


def _title(q: Questionnaire) -> str:
    return q.activity.title if q.activity_id and q.activity else q.title


def response_enter(
    *,
    actor: Any,
    version: QuestionnaireVersion,
    raw: RawAnswers,
    channel: str,
    received_at: datetime,
    publish_consent: bool = False,
) -> Response:
    """A paper, phone, event or email response typed in by staff.

    Taken even after closing (post arrives late), and flagged ``late`` when it was
    received after the closing time.
    """
    require(
        actor,
        "engagement.change_activities",
        to="enter a response received on paper, by phone, at an event or by email",
    )
    if channel not in (
        Response.Channel.PAPER,
        Response.Channel.PHONE,
        Response.Channel.EVENT,
        Response.Channel.EMAIL,
    ):
        raise ResponseRefused("Choose how the response reached us: paper, phone, event or email.")
    if timezone.localtime(received_at).date() > timezone.localdate():
        raise ResponseRefused(
            "The date received is in the future: give the day the response reached us."
        )
    view = selectors_responses.version_view(version)
    clean = response_clean(view, raw)
    activity = version.questionnaire.activity
    late = bool(activity and activity.closes_at and received_at > activity.closes_at)
    with transaction.atomic():
        response = _insert_built(
            _build(
                view=view,
                clean=clean,
                channel=channel,
                submitted_at=received_at,
                late=late,
                publish_consent=publish_consent,
                token=None,
                actor=actor,
            )
        )
        audit_record(
            action=Action.RESPONSE_ENTERED,
            actor=actor,
            subject=response,
            after={"channel": channel, "version": version.number, "late": late},
        )
        hooks.response_submitted(response)
    return response


# --- spam --------------------------------------------------------------------------------


def _address_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:16]


RATE_PURPOSE = "responses"


def spam_check(
    *,
    questionnaire_obj: Questionnaire,
    address: str,
    honeypot: str,
    started_at: float,
    now: datetime | None = None,
) -> str:
    """The reason to keep this submission out ("" if none), logged for staff.

    No CAPTCHA: a hidden field people leave empty, a minimum time to answer, and a limit
    on sends per client address per hour (settings HEARD_RESPONSE_MIN_SECONDS and
    HEARD_RESPONSES_PER_ADDRESS_PER_HOUR). ``address`` is the real client address
    (heard.core.ratelimit.client_address). Every send that gets this far is counted,
    in one atomic statement, whether or not it is then stored: of any number of
    concurrent sends from one address, exactly the limit pass.
    """
    now = now or timezone.now()
    seconds = max(0.0, now.timestamp() - started_at)
    reason = ""
    if honeypot.strip():
        reason = SpamLog.Reason.HONEYPOT
    elif seconds < float(getattr(settings, "HEARD_RESPONSE_MIN_SECONDS", 4)):
        reason = SpamLog.Reason.TOO_FAST
    elif not ratelimit.hit(
        purpose=RATE_PURPOSE,
        subject=ratelimit.address_subject(address),
        limit=int(getattr(settings, "HEARD_RESPONSES_PER_ADDRESS_PER_HOUR", 30)),
        seconds=3600,
        now=now,
    ):
        reason = SpamLog.Reason.RATE_LIMITED
    if reason:
        SpamLog.objects.create(
            questionnaire=questionnaire_obj,
            reason=reason,
            address_hash=_address_hash(address),
            seconds_taken=round(seconds, 1),
            occurred_at=now,
        )
    return reason


# --- save and come back later ---------------------------------------------------------------


RECEIPTS_PER_RECIPIENT_PER_HOUR = 5


def _receipt_mail_allowed(email: str) -> bool:
    return ratelimit.hit(
        purpose="receipt-mail",
        subject=email.strip().lower(),
        limit=RECEIPTS_PER_RECIPIENT_PER_HOUR,
        seconds=3600,
    )


# "Save and come back later" emails: per recipient, and per client address whatever
# addresses it names (15 of 15 emails to one victim's inbox went out before).
DRAFT_MAILS_PER_RECIPIENT_PER_HOUR = 3
DRAFT_MAILS_PER_CLIENT_PER_HOUR = 10


def draft_mail_refusal(*, email: str, address: str, now: datetime | None = None) -> str:
    """Count a "save and come back later" email; the message refusing it, or "" to send.

    Both counters are atomic (heard.core.ratelimit); the recipient's is keyed by a hash.
    """
    if not ratelimit.hit(
        purpose="draft-mail-client",
        subject=ratelimit.address_subject(address),
        limit=DRAFT_MAILS_PER_CLIENT_PER_HOUR,
        seconds=3600,
        now=now,
    ):
        return (
            "You have asked us for a lot of emails from this connection in the last hour. "
            "Try again in an hour, or send your response now"
        )
    if not ratelimit.hit(
        purpose="draft-mail",
        subject=email.strip().lower(),
        limit=DRAFT_MAILS_PER_RECIPIENT_PER_HOUR,
        seconds=3600,
        now=now,
    ):
        return (
            "We have already sent several links to this email address in the last hour. "
            "Use the latest one, or try again in an hour"
        )
    return ""


def draft_save(
    *,
    questionnaire_obj: Questionnaire,
    state: dict[str, Any],
    page: int,
    email: str,
    link_for: Callable[[str], str],
    now: datetime | None = None,
) -> ResponseDraft:
    """Keep the answers so far and email a link to come back to them.

    The link is signed and expires after 30 days, or when the activity closes if that is
    sooner. The email address is used once, to send the link, and not kept.
    """
    now = now or timezone.now()
    expires = now + timedelta(days=DRAFT_DAYS)
    activity = questionnaire_obj.activity
    if activity is not None and activity.closes_at and now < activity.closes_at < expires:
        expires = activity.closes_at
    with transaction.atomic():
        # Expired drafts hold answers nobody can reach any more: remove them as we go.
        ResponseDraft.objects.filter(expires_at__lte=now).delete()
        token = state.get("d") or uuid.uuid4().hex
        state = {**state, "d": token}
        draft, _ = ResponseDraft.objects.update_or_create(
            token=token,
            defaults={
                "questionnaire": questionnaire_obj,
                "state": state,
                "page": page,
                "expires_at": expires,
            },
        )
        audit_record(
            action=Action.RESPONSE_DRAFT_SAVED,
            subject=questionnaire_obj,
            after={"page": page, "expires": expires.date().isoformat()},
        )
        mail_send_on_commit(
            to=[email],
            template="engagement/email/resume",
            context={
                "title": _title(questionnaire_obj),
                "link": link_for(draft_sign(draft)),
                "expires_at": expires,
            },
        )
    return draft


def draft_sign(draft: ResponseDraft) -> str:
    return signing.dumps(str(draft.token), salt=DRAFT_SALT)


def draft_from_link(signed: str, now: datetime | None = None) -> ResponseDraft:
    """The draft a link points to; LinkInvalid if it was changed, expired or was used."""
    now = now or timezone.now()
    try:
        token = signing.loads(signed, salt=DRAFT_SALT, max_age=timedelta(days=DRAFT_DAYS + 1))
    except signing.SignatureExpired as exc:
        raise LinkInvalid("This link has expired.") from exc
    except signing.BadSignature as exc:
        raise LinkInvalid("This link is not complete or was changed.") from exc
    draft = ResponseDraft.objects.select_related("questionnaire").filter(token=token).first()
    if draft is None:
        raise LinkInvalid("These answers have already been sent, or were deleted.")
    if draft.expires_at <= now:
        raise LinkInvalid("This link has expired.")
    return draft


# --- import -------------------------------------------------------------------------------

# Mapping targets besides question keys.
MAP_IGNORE = ""
MAP_SOURCE_ID = "__source_id"
MAP_RECEIVED = "__received"
MAP_CONSENT = "__consent"
MAP_CHANNEL = "__channel"


@dataclass
class _Prepared:
    key: str
    clean: CleanResponse
    received: datetime
    late: bool
    channel: str
    consent: bool


@dataclass
class ImportOutcome:
    created: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, list[str], str]] = field(default_factory=list)


def _import_key(q: Questionnaire, row: Mapping[str, str], source_id: str) -> str:
    material = source_id.strip().lower() if source_id.strip() else json.dumps(row, sort_keys=True)
    return hashlib.sha256(f"{q.pk}:{material}".encode()).hexdigest()[:64]


def _channel_from(cell: str) -> str:
    low = cell.strip().lower()
    for value, label in Response.Channel.choices:
        if low in (value, label.lower()) and value not in ("online", "import"):
            return str(value)
    return Response.Channel.PAPER


def responses_import(
    *,
    actor: Any,
    version: QuestionnaireVersion,
    header: Sequence[str],
    rows: Sequence[tuple[int, list[str]]],
    mapping: Mapping[int, str],
    default_received: datetime | None = None,
    import_batch_id: int | None = None,
    audit: bool = True,
) -> ImportOutcome:
    """Import rows mapped onto the questionnaire (``mapping``: column index → target).

    Each row is validated like an online response; rows that fail are returned with the
    reason (nothing of them stored). A row already imported – same source reference if
    one is mapped, else the same cells – is counted as a duplicate and skipped, so the
    same file can be imported again safely. All good rows are stored in one transaction
    with one audit event (unless ``audit`` is off: the import job records its own); the
    hook is called for each. Validation happens before the transaction, which holds the
    write lock only while storing.
    """
    outcome, prepared = responses_import_check(
        version=version,
        header=header,
        rows=rows,
        mapping=mapping,
        default_received=default_received,
    )
    return responses_import_store(
        actor=actor,
        version=version,
        outcome=outcome,
        prepared=prepared,
        import_batch_id=import_batch_id,
        audit=audit,
    )


def responses_import_check(
    *,
    version: QuestionnaireVersion,
    header: Sequence[str],
    rows: Sequence[tuple[int, list[str]]],
    mapping: Mapping[int, str],
    default_received: datetime | None = None,
) -> tuple[ImportOutcome, list["_Prepared"]]:
    """Validate rows for ``responses_import_store`` (no writes): the rejected rows in the
    outcome, duplicates within these rows counted, the rest prepared."""
    q = version.questionnaire
    view = selectors_responses.version_view(version)
    specs = {s.key: s for s in view.specs}
    now = timezone.now()
    default_received = default_received or now
    outcome = ImportOutcome()
    prepared: list[_Prepared] = []
    seen: set[str] = set()
    for number, cells in rows:
        cells = [*cells, *([""] * (len(header) - len(cells)))]
        if not any(c.strip() for c in cells):
            continue
        raw: dict[str, questionnaire.RawAnswer] = {}
        mapped: dict[str, str] = {}
        source_id, received, consent, channel = "", default_received, False, "paper"
        problems: list[str] = []
        for index, target in mapping.items():
            if not target or index >= len(cells):
                continue
            cell = cells[index].strip()
            mapped[target] = cell
            if target == MAP_SOURCE_ID:
                source_id = cell
            elif target == MAP_RECEIVED:
                if cell:
                    day = questionnaire.parse_date(cell[:10])
                    if day is None:
                        problems.append(f"{header[index]}: “{cell}” is not a date like 27/3/2026")
                    elif day > timezone.localdate():
                        problems.append(
                            f"{header[index]}: “{cell}” is in the future: give the day the "
                            "response reached us"
                        )
                    else:
                        received = datetime.combine(
                            day, time(12), tzinfo=timezone.get_current_timezone()
                        )
            elif target == MAP_CONSENT:
                consent = cell.lower() in ("yes", "y", "true", "1", "x")
            elif target == MAP_CHANNEL:
                channel = _channel_from(cell)
            elif target.startswith("eq_") or target.endswith("__org"):
                raw[target] = cell
            elif target in specs:
                raw[target] = questionnaire.raw_from_cell(specs[target], cell)
        result = questionnaire.clean_all(view.specs, raw)
        for key, message in result.errors.items():
            column = next((header[i] for i, t in mapping.items() if t == key), key)
            problems.append(f"{column}: {message}")
        if problems:
            outcome.rejected.append((number, cells, "; ".join(problems)))
            continue
        clean = response_clean(view, raw)
        key = _import_key(q, mapped, source_id)
        if key in seen:
            outcome.duplicates += 1
            continue
        seen.add(key)
        activity = q.activity
        late = bool(activity and activity.closes_at and received > activity.closes_at)
        prepared.append(_Prepared(key, clean, received, late, channel, consent))
    return outcome, prepared


def responses_import_store(
    *,
    actor: Any,
    version: QuestionnaireVersion,
    outcome: ImportOutcome,
    prepared: list["_Prepared"],
    import_batch_id: int | None = None,
    audit: bool = True,
) -> ImportOutcome:
    """Store prepared rows not already imported (in one transaction), calling the hook."""
    q = version.questionnaire
    view = selectors_responses.version_view(version)
    existing = set(
        Response.objects.filter(
            questionnaire=q, import_key__in=[p.key for p in prepared]
        ).values_list("import_key", flat=True)
    )
    with transaction.atomic():
        for p in prepared:
            if p.key in existing:
                outcome.duplicates += 1
                continue
            built = _build(
                view=view,
                clean=p.clean,
                channel=p.channel,
                submitted_at=p.received,
                late=p.late,
                publish_consent=p.consent,
                token=None,
                import_key=p.key,
                actor=actor,
            )
            built[0].import_batch_id = import_batch_id
            response = _insert_built(built)
            hooks.response_submitted(response)
            outcome.created += 1
        if not audit:
            return outcome
        audit_record(
            action=Action.RESPONSES_IMPORTED,
            actor=actor,
            subject=q,
            after={
                "version": version.number,
                "created": outcome.created,
                "duplicates": outcome.duplicates,
                "rejected": len(outcome.rejected),
            },
        )
    return outcome
