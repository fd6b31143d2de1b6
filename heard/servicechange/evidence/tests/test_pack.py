"""The evidence pack of a decided proposal: built, verified, and every tampering caught
and named (issue 15's "done when"); the commands; who may build it."""

import io
import json
import subprocess
import sys
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from heard.audit.domain import canonical_json
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.servicechange.consultations.models import DocumentVersion, OscNotice
from heard.servicechange.evidence import services, verify
from heard.servicechange.evidence.models import EvidencePack
from heard.servicechange.lifecycle import services as lifecycle_services
from heard.servicechange.outcomes import services as outcome_services
from heard.servicechange.outcomes.tests.helpers import (
    have_due_regard,
    make_consulted_proposal,
    respond_to_all,
)

pytestmark = pytest.mark.django_db


def _content_hash(sections: dict[str, str]) -> str:
    return verify.sha256(canonical_json({"sections": sections}).encode())


def _decided(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    board = make_staff(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    proposal, consultation = made["proposal"], made["consultation"]
    opened = consultation.activity.opens_at
    DocumentVersion.objects.create(
        consultation=consultation,
        number=1,
        sections={"summary": "We propose to move the unit.", "options": "Option A\n\nOption B"},
        content_hash=_content_hash(
            {"summary": "We propose to move the unit.", "options": "Option A\n\nOption B"}
        ),
        published_at=opened - timedelta(days=3),
    )
    DocumentVersion.objects.create(
        consultation=consultation,
        number=2,
        sections={"summary": "We propose to move the unit.", "options": "Option A, corrected"},
        content_hash=_content_hash(
            {"summary": "We propose to move the unit.", "options": "Option A, corrected"}
        ),
        published_at=opened + timedelta(days=5),
        reason="The travel times in option A were wrong.",
        is_correction=True,
    )
    OscNotice.objects.create(
        consultation=consultation,
        changes={"osc_comments_due_on": [None, "2026-09-01"]},
        summary="Comments due date set",
        notified=["scrutiny@council.example.gov.uk"],
    )
    respond_to_all(proposal, made["themes"], officer)
    outcome_services.report_issue(proposal=proposal, actor=officer, issued_to="Board")
    have_due_regard(proposal, board)
    lifecycle_services.decision_record(
        proposal=proposal,
        actor=board,
        decided_on=timezone.localdate(),
        decided_by="NHS Example ICB board",
        decision="Move the unit, with a shuttle bus.",
        board_paper_url="https://example.nhs.uk/board/2026-07.pdf",
    )
    proposal.refresh_from_db()
    return made


def _built(make_staff) -> tuple[dict, bytes]:
    made = _decided(make_staff)
    lead = make_staff(Role.PROGRAMME_LEAD)
    pack = services.evidence_pack_build(proposal=made["proposal"], actor=lead)
    assert pack.status == EvidencePack.Status.DONE, pack.error
    return made, bytes(pack.data)


def _rewrite(data: bytes, path: str, change) -> bytes:
    """The pack with one file's bytes changed (a tamperer rewrites the ZIP properly)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info.filename, change(content) if info.filename == path else content)
    return out.getvalue()


def _flip(content: bytes, at: int | None = None) -> bytes:
    i = len(content) // 2 if at is None else at
    return content[:i] + bytes([content[i] ^ 0x01]) + content[i + 1 :]


def test_the_decided_proposals_pack_holds_the_record_and_verifies(make_staff) -> None:
    made, data = _built(make_staff)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        decision = json.loads(z.read("outcomes/decision.json"))
        codeframe = next(n for n in names if n.startswith("analysis/codeframe-"))
        coded = json.loads(z.read(codeframe))
        counts = z.read("responses/by-week-and-channel.csv").decode()
        events = [json.loads(line) for line in z.read(verify.EVENTS).decode().splitlines()]
        pdf = z.read("outcomes/report-v1.pdf")
        eqia = json.loads(z.read("assessment/eqia.json"))
    # The structured EqIA and the decision maker's due regard, staff by id only.
    assert len(eqia["impacts"]) == 11 and {i["impact"] for i in eqia["impacts"]} >= {"negative"}
    assert len(eqia["due_regard"]) == 1 and eqia["due_regard"][0]["decision_maker_id"]
    assert "EqIA as reviewed" in eqia["due_regard"][0]["statement"]
    assert "email" not in json.dumps(eqia)
    for expected in (
        "proposal.json",
        "consultation/document-v1.html",
        "consultation/document-v2.html",
        "consultation/document-v2.json",
        f"questionnaire/questionnaire-{made['question'].version.questionnaire_id}-v1.json",
        "consultation/scrutiny.json",
        "assessment/eqia.json",
        "assessment/assurance.json",
        "outcomes/considerations.json",
        "outcomes/report-v1.html",
        "outcomes/report-v1.json",
        verify.CHECKPOINTS,
        verify.PUBLIC_KEY,
    ):
        assert expected in names
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    assert pdf.startswith(b"%PDF")
    assert decision["decision"] == "Move the unit, with a shuttle bus."
    # themes by id and name; codings by ids; no respondent's words anywhere
    assert {t["name"] for t in coded["themes"]} == {"Travel to the new site", "Parking"}
    assert len(coded["codings"]) == 5
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        everything = b"".join(z.read(n) for n in z.namelist() if not n.endswith(".pdf"))
    assert b"takes an hour from my village" not in everything
    # 5 online responses, all in one week: a small number, not shown
    assert "fewer than 10" in counts and ",5," not in counts
    # the audit events about this decision are in the segment, the decision among them
    about = {e["action"] for e in events if e["about_this_decision"]}
    assert {Action.DECISION_RECORDED, Action.OUTCOME_REPORT_ISSUED} <= about
    check = verify.verify_pack(io.BytesIO(data))
    assert check.ok, check.problems
    assert check.files_checked == len(names) - 1
    assert check.events_checked == len(events) and check.checkpoints_checked == 1
    built = AuditEvent.objects.get(action=Action.EVIDENCE_PACK_BUILT).after
    assert built is not None
    assert built["manifest_sha256"] == check.manifest_sha256


def test_one_flipped_byte_in_any_file_or_event_is_caught_and_named(make_staff) -> None:
    _, data = _built(make_staff)
    for path in (
        "consultation/document-v2.html",
        "outcomes/report-v1.pdf",
        "outcomes/decision.json",
    ):
        check = verify.verify_pack(io.BytesIO(_rewrite(data, path, _flip)))
        assert not check.ok
        # named first; the issued PDF is also named against the chain's record of it
        assert check.problems[0] == f"file {path}: SHA-256 does not match the manifest"
        assert all(p.startswith(f"file {path}: ") for p in check.problems)

    # One byte of one audit event's content (its action's last letter) changed.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        lines = z.read(verify.EVENTS).decode().splitlines()
    target = next(json.loads(x) for x in lines if '"decision.recorded"' in x)

    def alter(content: bytes) -> bytes:
        at = content.index(b'"decision.recorded"') + len(b'"decision.recorde')
        return _flip(content, at)

    check = verify.verify_pack(io.BytesIO(_rewrite(data, verify.EVENTS, alter)))
    assert not check.ok
    assert check.problems[0] == f"file {verify.EVENTS}: SHA-256 does not match the manifest"
    assert f"audit event {target['sequence']}: hash does not match its content" in check.problems

    # A tamperer who also fixes the manifest and recomputes the event's hash is still caught:
    # the next event no longer links to it.
    def recompute(content: bytes) -> bytes:
        out = []
        for line in content.decode().splitlines():
            record = json.loads(line)
            if record["sequence"] == target["sequence"]:
                record["action"] = "decision.recordee"
                record["hash"] = verify.event_hash(verify.event_content(record))
            out.append(json.dumps(record, sort_keys=True))
        return ("\n".join(out) + "\n").encode()

    forged = _rewrite(data, verify.EVENTS, recompute)
    forged = _rewrite(forged, "manifest.json", lambda m: _fixed_manifest(m, forged))
    check = verify.verify_pack(io.BytesIO(forged))
    assert check.problems == [
        f"audit event {target['sequence'] + 1}: its previous-hash does not match the event before it"
    ]


def _fixed_manifest(manifest: bytes, pack: bytes) -> bytes:
    data = json.loads(manifest)
    with zipfile.ZipFile(io.BytesIO(pack)) as z:
        for f in data["files"]:
            f["sha256"] = verify.sha256(z.read(f["path"]))
    return json.dumps(data).encode()


def test_the_issued_report_is_checked_against_the_signed_chain_too(make_staff) -> None:
    """Rewriting the issued report (or a document version) and the manifest together
    still fails: the audit event of the issue, in the signed chain, names the original."""
    _, data = _built(make_staff)
    issued = AuditEvent.objects.get(action=Action.OUTCOME_REPORT_ISSUED)
    forged = _rewrite(data, "outcomes/report-v1.pdf", _flip)
    forged = _rewrite(forged, "manifest.json", lambda m: _fixed_manifest(m, forged))
    assert verify.verify_pack(io.BytesIO(forged)).problems == [
        "file outcomes/report-v1.pdf: SHA-256 differs from the one audit event "
        f"{issued.sequence} recorded when the report was issued"
    ]

    def reword(content: bytes) -> bytes:
        return content.replace(b"Option A, corrected", b"Option B, corrected")

    forged = _rewrite(data, "consultation/document-v2.json", reword)
    forged = _rewrite(forged, "manifest.json", lambda m: _fixed_manifest(m, forged))
    assert verify.verify_pack(io.BytesIO(forged)).problems == [
        "file consultation/document-v2.json: its text does not match its content hash"
    ]


def test_a_forged_checkpoint_or_missing_file_is_named(make_staff) -> None:
    _, data = _built(make_staff)
    own = verify.verify_pack(io.BytesIO(data)).key_id
    assert verify.verify_pack(io.BytesIO(data), trusted_key_ids=[own]).ok
    # a pack re-signed by a forger with their own key: consistent, but not the published key
    assert verify.verify_pack(io.BytesIO(data), trusted_key_ids=["0123456789abcdef"]).problems == [
        f"file {verify.PUBLIC_KEY}: key {own} is not a published key (0123456789abcdef)"
    ]

    def resign(content: bytes) -> bytes:
        cps = json.loads(content)
        cps[0]["head_hash"] = "0" * 64
        return json.dumps(cps).encode()

    forged = _rewrite(data, verify.CHECKPOINTS, resign)
    forged = _rewrite(forged, "manifest.json", lambda m: _fixed_manifest(m, forged))
    check = verify.verify_pack(io.BytesIO(forged))
    assert check.problems[0].endswith("does not match its signature")

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "outcomes/decision.json":
                dst.writestr(info.filename, src.read(info))
    check = verify.verify_pack(io.BytesIO(out.getvalue()))
    assert check.problems == ["file outcomes/decision.json: listed in the manifest but missing"]


def test_the_verifier_needs_no_django(make_staff, tmp_path) -> None:
    _, data = _built(make_staff)
    pack = tmp_path / "pack.zip"
    pack.write_bytes(data)
    code = (
        "import sys; from heard.servicechange.evidence import verify; "
        f"rc = verify.main([{str(pack)!r}]); "
        "assert 'django' not in sys.modules, 'django imported'; sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK ")
    pack.write_bytes(_rewrite(data, "outcomes/report-v1.html", _flip))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "FAIL file outcomes/report-v1.html: SHA-256 does not match the manifest" in done.stdout


def test_the_commands_list_build_and_verify(make_staff, tmp_path) -> None:
    made = _decided(make_staff)
    proposal = made["proposal"]
    out = io.StringIO()
    call_command("evidence_pack", "--list", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith(f"{proposal.pk}\t"))
    assert line == f"{proposal.pk}\tdecided\t{proposal.title}"

    file = tmp_path / "pack.zip"
    call_command(
        "evidence_pack", "--proposal", str(proposal.pk), "--out", str(file), stdout=io.StringIO()
    )
    assert AuditEvent.objects.filter(action=Action.EVIDENCE_PACK_BUILT, actor_id=None).exists()
    out = io.StringIO()
    call_command("evidence_verify", str(file), stdout=out, stderr=io.StringIO())
    assert "consistent with the live audit chain" in out.getvalue()

    file.write_bytes(_rewrite(file.read_bytes(), "outcomes/considerations.json", _flip))
    with pytest.raises(
        CommandError, match=r"file outcomes/considerations\.json: SHA-256"
    ) as failed:
        call_command("evidence_verify", str(file), stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.returncode == 1
    with pytest.raises(CommandError, match="no proposal"):
        call_command("evidence_pack", "--proposal", "999999", "--out", str(file))
    with pytest.raises(CommandError, match="Give --list"):
        call_command("evidence_pack", "--proposal", str(proposal.pk))


def test_a_pack_from_another_database_does_not_match_the_live_chain(make_staff, tmp_path) -> None:
    _, data = _built(make_staff)
    file = tmp_path / "pack.zip"
    file.write_bytes(data)
    # A pack whose manifest this database never recorded (rebuilt elsewhere, or edited
    # with a new manifest) is refused against the live chain, though it verifies offline.
    edited = _rewrite(data, "outcomes/decision.json", _flip)
    edited = _rewrite(edited, "manifest.json", lambda m: _fixed_manifest(m, edited))
    file.write_bytes(edited)
    assert verify.verify_pack(str(file)).ok
    with pytest.raises(CommandError, match="records no pack built with this manifest"):
        call_command("evidence_verify", str(file), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("evidence_verify", str(file), "--offline", stdout=io.StringIO())


def test_only_administrators_and_programme_leads_may_build(
    make_staff, django_capture_on_commit_callbacks
) -> None:
    made = make_consulted_proposal()
    for role in (Role.ENGAGEMENT_OFFICER, Role.ANALYST, Role.DECISION_MAKER, Role.SCRUTINY_READER):
        with pytest.raises(PermissionDenied):
            services.evidence_pack_request(proposal=made["proposal"], actor=make_staff(role))
    assert EvidencePack.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.evidence_pack_request(
            proposal=made["proposal"], actor=make_staff(Role.ADMINISTRATOR)
        )
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.DONE and pack.progress == 100
    assert AuditEvent.objects.filter(action=Action.EVIDENCE_PACK_REQUESTED).count() == 1


def test_the_significance_record_and_a_notifiable_reconfiguration_are_in_the_pack(
    make_staff,
) -> None:

    from heard.engagement.models import Activity
    from heard.servicechange.assessment import services as assessment_services
    from heard.servicechange.assessment.tests.helpers import make_significance

    lead = make_staff(Role.PROGRAMME_LEAD)
    made = make_consulted_proposal()
    proposal = made["proposal"]
    # Assessed before the consultation opened (the record is frozen from then on).
    activity = Activity.objects.filter(pk=made["consultation"].activity_id)
    status = activity.get().status
    activity.update(status="draft")
    stage = proposal.status
    type(proposal).objects.filter(pk=proposal.pk).update(status="significance_assessment")
    make_significance(proposal, substantial=True, actor=lead)
    type(proposal).objects.filter(pk=proposal.pk).update(status=stage)
    proposal.refresh_from_db()
    activity.update(status=status)
    assessment_services.reconfiguration_notice_record(
        actor=lead,
        proposal=proposal,
        notified_on=timezone.localdate(),
        osc_view="Supportive of the move",
    )
    request = assessment_services.call_in_request_record(
        actor=lead,
        proposal=proposal,
        requested_on=timezone.localdate(),
        requested_by="Norfolk County Council health overview and scrutiny committee",
        grounds="The villages without a bus were not reached.",
    )
    assessment_services.call_in_response_record(
        actor=lead,
        proposal=proposal,
        request=request,
        received_on=timezone.localdate(),
        outcome="no_call_in",
        text="The Secretary of State has decided not to call the proposal in.",
    )
    pack = services.evidence_pack_build(proposal=proposal, actor=lead)
    with zipfile.ZipFile(io.BytesIO(bytes(pack.data))) as z:
        significance = json.loads(z.read("assessment/significance.json"))
        notice = json.loads(z.read("assessment/notifiable-reconfiguration.json"))
        call_in = json.loads(z.read("assessment/call-in.json"))
        events = [json.loads(x) for x in z.read(verify.EVENTS).decode().splitlines()]
    assert len(significance["areas"]) == 4
    assert notice["notified_on"] == timezone.localdate().isoformat()
    assert notice["osc_view"] == "Supportive of the move"
    [asked] = call_in["requests"]
    assert [a["outcome"] for a in asked["answers"]] == ["no_call_in"]
    about = {e["action"] for e in events if e["about_this_decision"]}
    assert {
        Action.SIGNIFICANCE_ASSESSED,
        Action.RECONFIGURATION_NOTIFIED,
        Action.CALL_IN_REQUESTED,
        Action.CALL_IN_ANSWERED,
    } <= about
    assert verify.verify_pack(io.BytesIO(bytes(pack.data))).ok
