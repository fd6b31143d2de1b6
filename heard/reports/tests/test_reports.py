"""The annual involvement report: figures against counts computed here independently
(plain Python over every row, not the selectors' queries), rendering as HTML, tagged PDF
and CSV, the roles, the safeguards, freezing on publication and corrections."""

import csv
import hashlib
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from heard.audit.models import AuditCheckpoint, AuditEvent
from heard.core.roles import Role
from heard.engagement.models import Activity, Response, ResponseEquality
from heard.groups.models import Meeting
from heard.reports import document, selectors, services
from heard.reports.models import AnnualReport, ReportVersion
from heard.reports.tests.helpers import YEAR, build_year
from heard.servicechange.outcomes.models import Decision, Publication

pytestmark = pytest.mark.django_db

START = date(YEAR, 4, 1)
END = date(YEAR + 1, 3, 31)

TEXTS = {
    "introduction": "We involved people in planning, in proposals and in our decisions this year.",
    "planning": "We asked people about GP access before we planned next year's services.",
    "proposals": "People worked with us on stroke rehabilitation before any options existed.",
    "decisions": "The board considered every theme people raised before it decided anything.",
}


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _ran_in_year(a: Activity, start: date = START, end: date = END) -> bool:
    if a.status in ("draft", "scheduled") or a.opens_at is None:
        return False
    if _local(a.opens_at) > end:
        return False
    return a.closes_at is None or _local(a.closes_at) >= start


def _independent(year: int = YEAR) -> dict:
    """The year's counts, worked out row by row in Python (also used on the demo's year)."""
    START, END = date(year, 4, 1), date(year + 1, 3, 31)
    ran = [a for a in Activity.objects.all() if _ran_in_year(a, START, END)]
    responses = [r for r in Response.objects.all() if START <= _local(r.submitted_at) <= END]
    per_limb = {}
    for key in ("planning", "proposals", "decisions"):
        mine = [a for a in ran if key in a.limbs]
        ids = {a.pk for a in mine}
        per_limb[key] = (len(mine), sum(1 for r in responses if r.activity_id in ids))
    # The current version of each subject's "you said, we did" (a correction replaces the
    # version it corrects), when it was approved in the year.
    newest: dict[tuple, Publication] = {}
    for p in Publication.objects.all():
        if p.status != "approved" or p.decided_at is None:
            continue
        subject = (p.kind, p.proposal_id if p.kind == "outcome" else p.activity_id)
        if subject not in newest or (p.decided_at, p.pk) > (
            newest[subject].decided_at,
            newest[subject].pk,
        ):
            newest[subject] = p
    approved = [p for p in newest.values() if p.decided_at and START <= _local(p.decided_at) <= END]
    decisions = [
        d
        for d in Decision.objects.all()
        if START <= d.decided_on <= END and not d.proposal.is_private
    ]
    meetings = [
        m
        for m in Meeting.objects.all()
        # held: not cancelled, and already taken place (a year's next meeting is not held)
        if m.cancelled_at is None
        and START <= _local(m.starts_at) <= END
        and m.starts_at <= timezone.now()
    ]
    in_year_ids = {r.pk for r in responses}
    sexes = [e.sex for e in ResponseEquality.objects.all() if e.response_id in in_year_ids]
    return {
        "activities": len(ran),
        "responses": len(responses),
        "limbs": per_limb,
        "levels": {lvl: sum(1 for a in ran if a.level == lvl) for lvl in Activity.Level.values},
        "publications": len(approved),
        "decisions": len(decisions),
        "meetings": len(meetings),
        "unmapped": sum(1 for a in ran if not a.limbs),
        "male": sexes.count("male"),
        "female": sexes.count("female"),
        "channels": {
            ch: sum(1 for r in responses if r.channel == ch) for ch in Response.Channel.values
        },
    }


def test_figures_match_counts_computed_independently():
    build_year()
    expected = _independent()
    f = selectors.figures(YEAR)
    # The factory year is not trivial: each figure has something to get wrong.
    assert expected["activities"] == 4 and expected["responses"] == 16
    assert f["totals"]["activities"] == expected["activities"]
    assert f["totals"]["responses"] == expected["responses"]
    assert f["totals"]["publications"] == expected["publications"] == 1
    assert f["totals"]["decisions"] == expected["decisions"] == 1
    assert f["totals"]["meetings"] == expected["meetings"] == 1
    for limb in f["limbs"]:
        assert (limb["activity_count"], limb["responses"]) == expected["limbs"][limb["key"]]
    assert {r["level"]: r["activities"] for r in f["spectrum"]} == expected["levels"]
    assert len(f["unmapped"]) == expected["unmapped"] == 1
    planning = next(limb for limb in f["limbs"] if limb["key"] == "planning")
    assert [c["title"] for c in planning["changes"]] == ["GP access: what we did"]
    assert (planning["audiences"], planning["places"]) == (["Cromer Coast PPG"], ["North Norfolk"])
    decisions = next(limb for limb in f["limbs"] if limb["key"] == "decisions")
    assert [d["title"] for d in decisions["decisions"]] == ["Move the blood-test clinic"]
    channels = {r["label"]: r["figure"] for r in f["reach"]["by_channel"]}
    for value, label in Response.Channel.choices:
        n = expected["channels"][value]
        if n == 0:
            assert channels[label] == "0"
        elif n < 10:
            assert channels[label] == "fewer than 10"
        else:  # shown, or hidden so that the small one cannot be worked out from the total
            assert channels[label] in (str(n), "suppressed")
    hidden = [label for label, figure in channels.items() if not figure.isdigit()]
    assert len(hidden) != 1  # one hidden figure beside a published total gives itself away
    # Equality: 11 women and 1 man answered in the year. The man is "fewer than 10" and
    # the women's count or the number who answered is hidden so he cannot be worked out.
    assert (expected["male"], expected["female"]) == (1, 11)
    sex = next(t for t in f["equality"] if t["key"] == "sex")
    rows = {r["label"]: r["figure"] for r in sex["rows"]}
    assert rows["Male"] == "fewer than 10"
    assert not (rows["Female"] == "11" and sex["answered"] == "12")


def test_the_report_renders_as_html_pdf_and_csv_with_the_same_figures(client, make_staff):
    build_year()
    report = services.annual_report_create(year=YEAR, actor=make_staff(Role.ENGAGEMENT_OFFICER))
    client.force_login(make_staff(Role.SCRUTINY_READER))
    page = client.get(reverse("reports:detail", args=[YEAR]))
    assert page.status_code == 200
    html = page.content.decode()
    expected = _independent()
    assert "Annual involvement report 2024/25" in html
    assert f'<dd class="nhsuk-summary-list__value">{expected["responses"]}</dd>' in html
    assert "Move the blood-test clinic" in html and "A private proposal" not in html
    assert "Source:" in html
    assert "With whom: Cromer Coast PPG; about North Norfolk." in html
    pdf = client.get(reverse("reports:draft_pdf", args=[YEAR]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog  # tagged
    assert catalog["/Lang"] == "en-GB"
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Annual involvement report 2024/25" in text
    assert "Draft: not yet approved by the board" in text
    assert "GP access survey" in text and "Move the blood-test clinic" in text
    annex = client.get(reverse("reports:draft_csv", args=[YEAR])).content.decode()
    rows = list(csv.DictReader(io.StringIO(annex)))
    totals = {r["measure"]: r["figure"] for r in rows if r["section"] == "Totals"}
    assert totals["responses"] == str(expected["responses"])
    assert totals["activities"] == str(expected["activities"])
    assert all(r["source"] for r in rows if r["section"] != "Period")
    male = [r for r in rows if r["section"] == "Equality" and r["measure"] == "Male"]
    assert [r["figure"] for r in male] == ["fewer than 10"]
    assert report.status == AnnualReport.Status.DRAFT


def test_sources_name_the_records_in_words_not_model_names(client, make_staff):
    # a member of the public reads "Source:" under every figure: no "(Activity)",
    # "(ResponseEquality)" or "(groups app)"
    build_year()
    sources = selectors.figures(YEAR)["sources"]
    internal = ("Activity)", "Response)", "ResponseEquality", "Proposal)", "Consultation)")
    internal += ("outcomes Decision", "groups app", "locality", "reach page")
    for key, source in sources.items():
        assert not [w for w in internal if w in source["text"]], (key, source["text"])
    assert sources["activities"]["text"].startswith("Activities recorded in Heard")
    assert "every channel" in sources["responses"]["text"]
    assert "Equality monitoring answers people chose to give" in sources["equality"]["text"]
    assert "recorded by the board" in sources["decisions"]["text"]
    assert sources["groups"]["text"].startswith("Standing groups' meeting records")
    services.annual_report_create(year=YEAR, actor=make_staff(Role.ENGAGEMENT_OFFICER))
    client.force_login(make_staff(Role.SCRUTINY_READER))
    html = client.get(reverse("reports:detail", args=[YEAR])).content.decode()
    assert "Source: Activities recorded in Heard" in html
    assert "(Activity)" not in html and "(ResponseEquality)" not in html


def test_csv_annex_neutralises_formulas():
    build_year()
    Activity.objects.filter(title="GP access survey").update(title='=HYPERLINK("x")')
    annex = document.annex_csv(selectors.figures(YEAR))
    assert ",=HYPERLINK" not in annex and "'=HYPERLINK" in annex


def _approved(make_staff, texts=TEXTS):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    report = services.annual_report_create(year=YEAR, actor=officer)
    services.annual_report_narrative_update(report=report, actor=officer, texts=texts)
    board = make_staff(Role.DECISION_MAKER)
    services.annual_report_approve(
        report=report, actor=board, approved_on=date(2025, 6, 12), meeting="ICB board, item 9"
    )
    return report, officer, board


def test_placeholders_are_refused_in_the_narrative(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    report = services.annual_report_create(year=YEAR, actor=officer)
    for text in ("x", "-", "n/a", "  .  ", "tbc"):
        with pytest.raises(services.ReportRefused) as refused:
            services.annual_report_narrative_update(
                report=report, actor=officer, texts={"planning": text}
            )
        assert "planning" in refused.value.problems
    with pytest.raises(services.ReportRefused, match="too short"):
        services.annual_report_narrative_update(
            report=report, actor=officer, texts={"introduction": "We did things."}
        )
    report.refresh_from_db()
    assert report.planning == "" and report.introduction == ""
    assert (
        AuditEvent.objects.filter(
            action="act.refused", after__act="annual_report.narrative"
        ).count()
        == 6
    )


def test_approval_needs_the_limbs_written_and_a_decision_maker(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    report = services.annual_report_create(year=YEAR, actor=officer)
    board = make_staff(Role.DECISION_MAKER)
    with pytest.raises(services.ReportRefused) as refused:
        services.annual_report_approve(
            report=report, actor=board, approved_on=date(2025, 6, 1), meeting="ICB board, item 9"
        )
    assert set(refused.value.problems) == {"introduction", "planning", "proposals", "decisions"}
    services.annual_report_narrative_update(report=report, actor=officer, texts=TEXTS)
    for role in (
        Role.ADMINISTRATOR,
        Role.ENGAGEMENT_OFFICER,
        Role.PROGRAMME_LEAD,
        Role.SCRUTINY_READER,
    ):
        with pytest.raises(PermissionDenied):
            services.annual_report_approve(
                report=report,
                actor=make_staff(role),
                approved_on=date(2025, 6, 1),
                meeting="ICB board, item 9",
            )
    with pytest.raises(services.ReportRefused) as refused:
        services.annual_report_approve(
            report=report, actor=board, approved_on=date(2024, 3, 1), meeting="x"
        )
    assert set(refused.value.problems) == {"approved_on", "meeting"}
    with pytest.raises(services.ReportRefused, match="future"):
        services.annual_report_approve(
            report=report,
            actor=board,
            approved_on=timezone.localdate() + timedelta(days=1),
            meeting="ICB board, item 9",
        )
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT
    refusals = AuditEvent.objects.filter(action="act.refused", after__act="annual_report.approve")
    assert refusals.count() == 7
    assert {e.actor_id for e in refusals} >= {board.pk}


def test_the_same_act_twice_is_refused(make_staff):
    report, officer, board = _approved(make_staff)
    with pytest.raises(services.ReportRefused, match="cannot be approved again"):
        services.annual_report_approve(
            report=report, actor=board, approved_on=date(2025, 6, 12), meeting="ICB board, item 9"
        )
    with pytest.raises(services.ReportRefused, match="frozen"):
        services.annual_report_narrative_update(
            report=report,
            actor=officer,
            texts={"planning": "Something else entirely was done here."},
        )
    services.annual_report_publish(report=report, actor=officer)
    with pytest.raises(services.ReportRefused, match="already published"):
        services.annual_report_publish(report=report, actor=officer)
    with pytest.raises(services.ReportRefused, match="already published"):
        services.annual_report_approve(
            report=report, actor=board, approved_on=date(2025, 6, 12), meeting="ICB board, item 9"
        )
    assert ReportVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="annual_report.published").count() == 1


def test_publication_needs_approval_and_the_right_role(make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    report = services.annual_report_create(year=YEAR, actor=officer)
    services.annual_report_narrative_update(report=report, actor=officer, texts=TEXTS)
    with pytest.raises(services.ReportRefused, match="not approved"):
        services.annual_report_publish(report=report, actor=officer)
    board = make_staff(Role.DECISION_MAKER)
    services.annual_report_approve(
        report=report, actor=board, approved_on=date(2025, 6, 12), meeting="ICB board, item 9"
    )
    for role in (Role.DECISION_MAKER, Role.PROGRAMME_LEAD, Role.ANALYST, Role.SCRUTINY_READER):
        with pytest.raises(PermissionDenied):
            services.annual_report_publish(report=report, actor=make_staff(role))
    assert not ReportVersion.objects.exists()
    assert (
        AuditEvent.objects.filter(action="act.refused", after__act="annual_report.publish").count()
        == 5
    )


def test_published_version_is_frozen_and_a_correction_is_a_new_version(
    client, make_staff, django_capture_on_commit_callbacks
):
    build_year()
    report, officer, board = _approved(make_staff)
    expected = _independent()
    with django_capture_on_commit_callbacks(execute=True):
        v1 = services.annual_report_publish(report=report, actor=officer)
    # A legally significant act: the audit chain's head is signed as it commits (ADR 10).
    assert AuditCheckpoint.objects.filter(reason="annual_report.published").count() == 1
    assert v1.version == 1 and v1.supersedes is None
    assert hashlib.sha256(bytes(v1.pdf)).hexdigest() == v1.pdf_sha256
    assert hashlib.sha256(v1.html.encode()).hexdigest() == v1.html_sha256
    assert hashlib.sha256(v1.csv.encode()).hexdigest() == v1.csv_sha256
    event = AuditEvent.objects.get(action="annual_report.published")
    assert event.after["pdf_sha256"] == v1.pdf_sha256 and event.after["version"] == 1
    assert v1.figures["totals"]["responses"] == expected["responses"]
    # Stored as issued: no change, no deletion through the ORM.
    v1.html = "changed"
    with pytest.raises(ValueError, match="never changes"):
        v1.save()
    with pytest.raises(ValueError, match="never deleted"):
        v1.delete()
    with pytest.raises(ValueError, match="never changes"):
        ReportVersion.objects.filter(pk=v1.pk).update(html="changed")
    with pytest.raises(ValueError, match="never deleted"):
        ReportVersion.objects.filter(pk=v1.pk).delete()
    # New records after publication do not change what was published.
    Activity.objects.filter(title="GP access survey").update(title="Renamed afterwards")
    public = client.get(reverse("reports_public:detail", args=[YEAR]))
    assert public.status_code == 200
    assert "GP access survey" in public.content.decode()
    assert "Renamed afterwards" not in public.content.decode()
    pdf = client.get(reverse("reports_public:pdf", args=[YEAR, 1]))
    assert hashlib.sha256(pdf.content).hexdigest() == v1.pdf_sha256
    # A correction: reopen with a reason (placeholders refused), change, approve, publish.
    for reason in ("x", "-", "n/a"):
        with pytest.raises(services.ReportRefused):
            services.annual_report_reopen(report=report, actor=officer, reason=reason)
    with pytest.raises(PermissionDenied):
        services.annual_report_reopen(
            report=report,
            actor=make_staff(Role.DECISION_MAKER),
            reason="The groups section was wrong.",
        )
    services.annual_report_reopen(
        report=report, actor=officer, reason="The planning section named the wrong survey."
    )
    services.annual_report_narrative_update(
        report=report,
        actor=officer,
        texts={
            "planning": "We asked people about GP access and community nursing before planning."
        },
    )
    services.annual_report_approve(
        report=report, actor=board, approved_on=date(2025, 7, 10), meeting="ICB board, item 4"
    )
    v2 = services.annual_report_publish(report=report, actor=officer)
    assert v2.version == 2 and v2.supersedes_id == v1.pk
    assert v2.reason == "The planning section named the wrong survey."
    assert "Renamed afterwards" in v2.html  # the new version took the figures afresh
    v1_again = ReportVersion.objects.get(pk=v1.pk)
    assert bytes(v1_again.pdf) == bytes(pdf.content) and v1_again.html_sha256 == v1.html_sha256
    old = client.get(reverse("reports_public:version", args=[YEAR, 1])).content.decode()
    assert "has been corrected" in old and "GP access survey" in old
    current = client.get(reverse("reports_public:detail", args=[YEAR])).content.decode()
    assert "community nursing before planning" in current and "version 1" in current
    assert "corrects version 1, because: The planning section named the wrong survey." in current


def test_nothing_public_before_publication(client, make_staff):
    _approved(make_staff)
    assert client.get(reverse("reports_public:detail", args=[YEAR])).status_code == 404
    assert client.get(reverse("reports_public:pdf", args=[YEAR, 1])).status_code == 404
    assert (
        "No report has been published"
        in client.get(reverse("reports_public:index")).content.decode()
    )


def test_staff_pages_drive_the_whole_journey(client, make_staff):
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    client.force_login(officer)
    assert client.post(reverse("reports:create"), {"year": ""}).status_code == 400
    year = selectors.domain.financial_year_of(timezone.localdate())
    response = client.post(reverse("reports:create"), {"year": str(year)})
    assert response.status_code == 302
    bad = client.post(reverse("reports:narrative", args=[year]), {**TEXTS, "planning": "n/a"})
    assert bad.status_code == 200 and "write what happened" in bad.content.decode()
    client.post(reverse("reports:narrative", args=[year]), TEXTS)
    assert AnnualReport.objects.get(year=year).planning == TEXTS["planning"]
    client.force_login(make_staff(Role.DECISION_MAKER))
    today = timezone.localdate()
    response = client.post(
        reverse("reports:approve", args=[year]),
        {
            "approved_on_day": today.day,
            "approved_on_month": today.month,
            "approved_on_year": today.year,
            "meeting": "ICB board meeting in public, item 7",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(officer)
    assert client.post(reverse("reports:publish", args=[year])).status_code == 302
    again = client.post(reverse("reports:publish", args=[year]))
    assert again.status_code == 409 and "already published" in again.content.decode()
    page = client.get(reverse("reports:version", args=[year, 1]))
    assert page.status_code == 200 and "Stored as issued" in page.content.decode()


def test_period_boundaries_are_local_midnight():
    f_start = timezone.make_aware(datetime.combine(START, time.min))
    assert selectors._bounds(selectors.domain.financial_year(YEAR))[0] == f_start
