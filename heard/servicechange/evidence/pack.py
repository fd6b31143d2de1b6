"""Assembling a proposal's evidence pack: what was decided, on what, and how it was heard.

Reads the apps below through their models and selectors; writes nothing. Personal data
stays out: people are named by user id and role only, mailout recipients are counted, not
listed, respondents' words are never copied (codings carry answer and theme ids), and
response counts are suppressed as every published table is (``heard.core.suppression``).

The audit segment runs from the first event about any of the pack's objects to the event a
signed checkpoint names, every event in between included in full (the hash of an event can
only be recomputed from its whole content, and a link-only entry could be forged), so the
pack shows that its events are in the signed chain and were not changed.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from heard.analysis.models import Codeframe, Coding, Theme
from heard.audit import keys, signing
from heard.audit.models import AuditCheckpoint, AuditEvent
from heard.audit.selectors import event_content, stored_checkpoint
from heard.core import suppression
from heard.engagement.models import Question, QuestionnaireVersion, Response, Section
from heard.servicechange.assessment import selectors as assessment_selectors
from heard.servicechange.assessment.models import (
    AssuranceTest,
    CallInRequest,
    CallInResponse,
    Checkpoint,
    ReconfigurationNotice,
    SignificanceArea,
    SignificanceAssessment,
    UrgentPath,
)
from heard.servicechange.consultations import gunning
from heard.servicechange.consultations.models import (
    Consultation,
    Council,
    DocumentVersion,
    Mailout,
    OscNotice,
    ScrutinyLetter,
    ScrutinyResponse,
)
from heard.servicechange.evidence import verify
from heard.servicechange.outcomes import selectors as outcome_selectors
from heard.servicechange.outcomes.models import ThemeResponse
from heard.servicechange.proposals.models import Proposal

THRESHOLD = 10
Progress = Callable[[int, str], None]


class PackRefused(ValueError):
    """A pack that cannot be built (no audit signature can be made, for one)."""


def _json(value: Any) -> bytes:
    return (
        json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    ).encode()


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return _json(manifest)


def _row(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A row's own fields (foreign keys as ids, files as their names)."""
    skip = set(exclude)
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in skip or f.attname in skip:
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        elif isinstance(value, bytes | memoryview):
            continue
        out[f.attname] = value
    return out


class _Pack:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.described: dict[str, str] = {}
        self.subjects: set[tuple[str, str]] = set()

    def add(self, path: str, data: bytes, description: str) -> None:
        if path in self.files:
            raise ValueError(f"{path} added twice")
        self.files[path] = data
        self.described[path] = description

    def about(self, *objects: models.Model | None) -> None:
        for obj in objects:
            if obj is not None:
                self.subjects.add((obj._meta.label_lower, str(obj.pk)))


def _stored_file(pack: _Pack, name: str | None, folder: str, description: str) -> None:
    """An uploaded file's bytes, when it is still in storage (else the JSON names it)."""
    if not name or not default_storage.exists(name):
        return
    with default_storage.open(name, "rb") as f:
        pack.add(f"{folder}/{name.rsplit('/', 1)[-1]}", f.read(), description)


def _document_html(consultation: Consultation, version: DocumentVersion) -> bytes:
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'>",
        f"<title>{html.escape(str(consultation.activity.title))}: version {version.number}</title>",
        f"<h1>{html.escape(str(consultation.activity.title))}</h1>",
        f"<p>Version {version.number}, published {version.published_at.isoformat()}</p>",
    ]
    if version.reason:
        parts.append(f"<p>Corrected because: {html.escape(version.reason)}</p>")
    order = list(gunning.SECTIONS)  # the document's order (jsonb keeps keys sorted)
    for key, text in sorted(
        (version.sections or {}).items(),
        key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order),
    ):
        if not str(text).strip():
            continue  # the public page leaves out empty sections too
        parts.append(f"<section data-key='{html.escape(str(key))}'>")
        parts.append(f"<h2>{html.escape(str(gunning.SECTIONS.get(key, key)))}</h2>")
        parts.extend(f"<p>{html.escape(p)}</p>" for p in str(text).split("\n\n") if p.strip())
        parts.append("</section>")
    return ("\n".join(parts) + "\n").encode()


def _questionnaire(version: QuestionnaireVersion) -> dict[str, Any]:
    sections = []
    for section in Section.objects.filter(version=version).order_by("position", "pk"):
        questions = [
            _row(q, exclude=["version_id", "section_id"])
            for q in Question.objects.filter(section=section).order_by("position", "pk")
        ]
        sections.append({**_row(section, exclude=["version_id"]), "questions": questions})
    return {**_row(version, exclude=["created_by_id"]), "sections": sections}


def _counts(activity_id: int) -> tuple[bytes, bytes]:
    """Responses by week (Monday) and channel, suppressed as one table with its margins."""
    rows = Response.objects.filter(activity_id=activity_id).values_list("submitted_at", "channel")
    channels = [c.value for c in Response.Channel]
    by_week: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(channels, 0))
    for submitted_at, channel in rows:
        day = timezone.localtime(submitted_at).date()
        by_week[day - timedelta(days=day.weekday())][channel] += 1
    weeks = sorted(by_week)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["week beginning", *channels, "total"])
    summary: dict[str, Any] = {"threshold": THRESHOLD, "weeks": [], "channels": {}, "total": None}
    if weeks:
        table = suppression.suppress_table(
            [[by_week[w][c] for c in channels] for w in weeks], THRESHOLD
        )
        for i, week in enumerate(weeks):
            cells = [str(f) for f in table.cells[i]]
            writer.writerow([week.isoformat(), *cells, str(table.row_totals[i])])
            summary["weeks"].append({"week": week.isoformat(), "total": str(table.row_totals[i])})
        writer.writerow(["total", *[str(f) for f in table.column_totals], str(table.total)])
        summary["channels"] = {
            c: str(f) for c, f in zip(channels, table.column_totals, strict=True)
        }
        summary["total"] = str(table.total)
    summary["note"] = (
        "Counts from 1 to 9 are shown as 'fewer than 10'; others are hidden ('suppressed') where "
        "they would let a small one be worked out."
    )
    return out.getvalue().encode(), _json(summary)


def _audit(pack: _Pack, progress: Progress) -> None:
    checkpoint = AuditCheckpoint.objects.order_by("-number").first()
    if checkpoint is None:
        raise PackRefused(
            "No signed checkpoint of the audit chain exists, so the pack cannot be signed."
        )
    by_type: dict[str, list[str]] = defaultdict(list)
    for subject_type, subject_id in pack.subjects:
        by_type[subject_type].append(subject_id)
    query = models.Q()
    for subject_type, ids in by_type.items():
        query |= models.Q(subject_type=subject_type, subject_id__in=ids)
    about = AuditEvent.objects.filter(query, sequence__lte=checkpoint.sequence)
    first = about.order_by("sequence").values_list("sequence", flat=True).first()
    if first is None:
        first = checkpoint.sequence
    relevant = set(about.values_list("sequence", flat=True))
    lines: list[str] = []
    for done, event in enumerate(
        AuditEvent.objects.filter(sequence__gte=first, sequence__lte=checkpoint.sequence)
        .order_by("sequence")
        .iterator(chunk_size=2000)
    ):
        record = event_content(event).as_dict()
        record["hash"] = event.hash
        record["about_this_decision"] = event.sequence in relevant
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
        if done % 2000 == 0:
            progress(80, f"Audit events copied: {done}")
    pack.add(
        verify.EVENTS,
        ("\n".join(lines) + "\n").encode(),
        f"Every audit event from #{first} to #{checkpoint.sequence}, in full with its hash; "
        f"{len(relevant)} are about this decision's records (about_this_decision)",
    )
    stored = stored_checkpoint(checkpoint)
    cps = [
        {
            "number": stored.content.number,
            "sequence": stored.content.sequence,
            "head_hash": stored.content.head_hash,
            "signed_at": stored.content.signed_at.isoformat(),
            "prev_digest": stored.content.prev_digest,
            "key_id": stored.content.key_id,
            "signature": stored.signature,
        }
    ]
    pack.add(verify.CHECKPOINTS, _json(cps), "The signed checkpoint naming the last event's hash")
    public = keys.known_public_keys().get(checkpoint.key_id)
    if public is None:
        raise PackRefused(
            f"The public key {checkpoint.key_id} of the last checkpoint is not known."
        )
    pack.add(
        verify.PUBLIC_KEY, signing.public_pem(public).encode(), f"Public key {checkpoint.key_id}"
    )


def build(proposal: Proposal, *, progress: Progress | None = None) -> tuple[bytes, dict[str, Any]]:
    """The pack's ZIP bytes and its manifest."""
    step: Progress = progress or (lambda _p, _s: None)
    pack = _Pack()
    pack.about(proposal)
    pack.add("proposal.json", _json(_row(proposal)), "The proposal as recorded")

    step(10, "Consultation document and questionnaires")
    consultation = outcome_selectors.consultation_of(proposal)
    if consultation is not None:
        pack.about(consultation, consultation.activity)
        activity = consultation.activity
        pack.add(
            "consultation/consultation.json",
            _json(
                {
                    **_row(consultation, exclude=["created_by_id"]),
                    "activity": _row(activity, exclude=["created_by_id", "updated_by_id"]),
                }
            ),
            "The consultation and its activity (dates as held, including any early close)",
        )
        for version in DocumentVersion.objects.filter(consultation=consultation).order_by("number"):
            pack.about(version)
            stem = f"consultation/document-v{version.number}"
            pack.add(
                f"{stem}.json",
                _json(_row(version)),
                f"Document version {version.number}: text as published",
            )
            pack.add(
                f"{stem}.html",
                _document_html(consultation, version),
                f"Document version {version.number}, published {version.published_at:%Y-%m-%d}",
            )
        for qv in QuestionnaireVersion.objects.filter(questionnaire__activity=activity).order_by(
            "questionnaire_id", "number"
        ):
            pack.about(qv, qv.questionnaire)
            pack.add(
                f"questionnaire/questionnaire-{qv.questionnaire_id}-v{qv.number}.json",
                _json(_questionnaire(qv)),
                f"Questionnaire {qv.questionnaire_id} version {qv.number}",
            )
        step(25, "Scrutiny correspondence")
        councils = list(Council.objects.filter(consultation=consultation).order_by("pk"))
        notices = list(OscNotice.objects.filter(consultation=consultation).order_by("at", "pk"))
        letters = list(
            ScrutinyLetter.objects.filter(consultation=consultation).order_by("sent_at", "pk")
        )
        osc_responses = list(
            ScrutinyResponse.objects.filter(consultation=consultation).order_by("received_on", "pk")
        )
        mailouts = list(
            Mailout.objects.filter(consultation=consultation).order_by("created_at", "pk")
        )
        pack.about(*councils, *notices, *letters, *osc_responses, *mailouts)
        pack.add(
            "consultation/scrutiny.json",
            _json(
                {
                    "councils": [_row(c) for c in councils],
                    "notices": [_row(n, exclude=["by_id"]) for n in notices],
                    # reg. 23 letters as sent (text and its SHA-256) and the committee's
                    # responses; who sent or recorded them is in the audit segment
                    "letters": [_row(x, exclude=["sent_by_id"]) for x in letters],
                    "responses": [_row(r, exclude=["recorded_by_id"]) for r in osc_responses],
                    "mailouts": [
                        {
                            **_row(m, exclude=["recipients", "created_by_id"]),
                            "recipients": len(m.recipients or []),
                        }
                        for m in mailouts
                    ],
                }
            ),
            "Overview and scrutiny: councils, letters as sent (reg. 23), change notices, the "
            "committee's responses, emails sent (recipients counted)",
        )
        for osc_response in osc_responses:
            _stored_file(
                pack,
                osc_response.file.name if osc_response.file else None,
                "consultation/scrutiny",
                "The overview and scrutiny committee's response as received",
            )
        step(35, "Responses by channel and week")
        by_week, summary = _counts(activity.pk)
        pack.add(
            "responses/by-week-and-channel.csv",
            by_week,
            "Responses by week and channel, suppressed",
        )
        pack.add("responses/summary.json", summary, "Responses by channel and in total, suppressed")
        step(45, "Codeframes and codings")
        for codeframe in Codeframe.objects.filter(
            question__version__questionnaire__activity=activity
        ).order_by("pk"):
            themes = list(Theme.objects.filter(codeframe=codeframe).order_by("pk"))
            pack.about(codeframe, *themes)
            codings = Coding.objects.filter(theme__codeframe=codeframe).order_by("pk")
            pack.add(
                f"analysis/codeframe-{codeframe.pk}.json",
                _json(
                    {
                        **_row(codeframe),
                        "themes": [
                            {"id": t.pk, "name": t.name, "parent_id": t.parent_id, "size": t.size}
                            for t in themes
                        ],
                        "codings": [_row(c, exclude=["by_id"]) for c in codings],
                    }
                ),
                f"Codeframe of question {codeframe.question_id}: themes and codings (ids only)",
            )

    step(55, "Significance, assurance and the EqIA")
    significance = SignificanceAssessment.objects.filter(proposal=proposal).first()
    if significance is not None:
        areas = list(SignificanceArea.objects.filter(assessment=significance).order_by("pk"))
        urgent = UrgentPath.objects.filter(assessment=significance).first()
        notice = ReconfigurationNotice.objects.filter(assessment=significance).first()
        pack.about(significance, *areas, urgent, notice)
        pack.add(
            "assessment/significance.json",
            _json(
                {
                    **_row(significance),
                    "areas": [_row(a) for a in areas],
                    "urgent_path": _row(urgent) if urgent else None,
                }
            ),
            "The significance assessment, its areas, any override or urgent path",
        )
        if notice is not None:
            pack.add(
                "assessment/notifiable-reconfiguration.json",
                _json(_row(notice)),
                "Notifiable reconfiguration: the notice to the Secretary of State and the OSC's view",
            )
        requests = list(CallInRequest.objects.filter(assessment=significance).order_by("pk"))
        if requests:
            answers = list(CallInResponse.objects.filter(request__in=requests).order_by("pk"))
            pack.about(*requests, *answers)
            pack.add(
                "assessment/call-in.json",
                _json(
                    {
                        "requests": [
                            {
                                **_row(r),
                                "answers": [_row(a) for a in answers if a.request_id == r.pk],
                            }
                            for r in requests
                        ]
                    }
                ),
                "Requests to the Secretary of State to call the proposal in, and the answers",
            )
    tests = list(AssuranceTest.objects.filter(proposal=proposal).order_by("pk"))
    checkpoints = list(Checkpoint.objects.filter(proposal=proposal).order_by("pk"))
    pack.about(*tests, *checkpoints)
    pack.add(
        "assessment/assurance.json",
        _json({"tests": [_row(t) for t in tests], "checkpoints": [_row(c) for c in checkpoints]}),
        "NHS England assurance tests and stage checkpoints",
    )
    eqia = assessment_selectors.eqia_for(proposal)
    if eqia is not None:
        pack.about(eqia)
        impacts = list(eqia.impacts.order_by("pk"))
        regard = list(eqia.due_regard.order_by("recorded_at", "pk"))
        pack.about(*impacts, *regard)
        pack.add(
            "assessment/eqia.json",
            _json(
                {
                    **_row(eqia),
                    # staff by id only: the pack names no one beyond the records' own ids
                    "impacts": [_row(i) for i in impacts],
                    "due_regard": [_row(d) for d in regard],
                }
            ),
            "The EqIA: each characteristic's evidence, impact and mitigation; its review; "
            "each decision maker's own record of due regard",
        )
        _stored_file(pack, eqia.file.name, "assessment/eqia", "The EqIA file as attached")

    step(65, "Considerations, the report as issued, the decision")
    outcome = outcome_selectors.outcome_of(proposal)
    if outcome is not None:
        pack.about(outcome)
        considerations = list(ThemeResponse.objects.filter(outcome=outcome).order_by("pk"))
        pack.about(*considerations)
        pack.add(
            "outcomes/considerations.json",
            _json([_row(t, exclude=["updated_by_id"]) for t in considerations]),
            "The response to every theme (conscientious consideration)",
        )
    for report in outcome_selectors.reports_of(proposal):
        pack.about(report, report.issue)
        stem = f"outcomes/report-v{report.version}"
        pack.add(
            f"{stem}.html",
            report.html.encode(),
            f"Outcome report version {report.version} as issued (HTML)",
        )
        pack.add(
            f"{stem}.pdf",
            bytes(report.pdf),
            f"Outcome report version {report.version} as issued (PDF)",
        )
        pack.add(
            f"{stem}.json",
            _json(_row(report, exclude=["html", "body_html", "pdf", "issued_by_id"])),
            f"Outcome report version {report.version}: when, to whom, hashes, considerations",
        )
    decision = outcome_selectors.decision_of(proposal)
    if decision is not None:
        pack.about(decision)
        pack.add(
            "outcomes/decision.json",
            _json(_row(decision, exclude=["recorded_by_id"])),
            "The decision",
        )
        _stored_file(
            pack, decision.board_paper_file.name, "outcomes/board-paper", "The board paper"
        )

    step(75, "Audit events")
    _audit(pack, step)

    step(90, "Manifest")
    manifest = {
        "format": verify.FORMAT,
        "built_at": timezone.now().isoformat(),
        "proposal": {"id": proposal.pk, "title": proposal.title, "status": proposal.status},
        "files": [
            {
                "path": path,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "description": pack.described[path],
            }
            for path, data in sorted(pack.files.items())
        ],
        "how_to_verify": "python -m heard.servicechange.evidence.verify PACK.zip (or manage.py evidence_verify PACK.zip)",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(verify.MANIFEST, manifest_bytes(manifest))
        for path, data in sorted(pack.files.items()):
            archive.writestr(path, data)
    return out.getvalue(), manifest
