"""The staff forms that used the browser's date and date-time pickers now use the NHS date
input (day, month, year boxes; a time like 9am): each form renders the boxes, reads them,
and refuses impossible or suspicious dates with a message naming the field."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import Action
from heard.audit.services import audit_record
from heard.core.roles import Role
from heard.servicechange.consultations.models import Council
from heard.servicechange.consultations.tests.helpers import make_consultation, passing_consultation
from heard.servicechange.outcomes.tests.helpers import make_consulted_proposal

pytestmark = pytest.mark.django_db

PICKERS = re.compile(r'type="(date|datetime-local)"')


def _value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"{name} not on the page"
    return match[1]


def _boxes(html: str, name: str, *, time: bool = False) -> None:
    for part in ("day", "month", "year") + (("time",) if time else ()):
        assert f'name="{name}_{part}"' in html, f"{name}_{part} missing"
    assert not PICKERS.search(html), "a browser date picker is still on the page"


def test_consultation_period_uses_the_nhs_date_input_and_refuses_impossible_dates(
    staff_client,
):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    consultation = make_consultation()
    url = reverse("consultations:dates", kwargs={"pk": consultation.pk})
    html = client.get(url).content.decode()
    _boxes(html, "opens_at", time=True)
    _boxes(html, "closes_at", time=True)
    impossible = {
        "opens_at_day": "31",
        "opens_at_month": "2",
        "opens_at_year": "2030",
        "opens_at_time": "9am",
        "closes_at_day": "1",
        "closes_at_month": "6",
        "closes_at_year": "2030",
        "closes_at_time": "25pm",
    }
    page = client.post(url, impossible).content.decode()
    assert "Opens must be a real date" in page
    assert "Closes: enter the time like 9am, 5:30pm or 17:30" in page
    past = {**impossible, "opens_at_day": "1", "closes_at_year": "2020", "closes_at_time": "5pm"}
    page = client.post(url, past).content.decode()
    assert "the year 2020 looks wrong" in page or "Closes is in the past" in page
    ok = {**impossible, "opens_at_day": "1", "closes_at_time": "5pm"}
    assert client.post(url, ok).status_code == 302
    consultation.activity.refresh_from_db()
    closes = timezone.localtime(consultation.activity.closes_at)
    assert (closes.year, closes.month, closes.day, closes.hour) == (2030, 6, 1, 17)
    # the saved period reads back into the boxes, the time in the NHS style
    html = client.get(url).content.decode()
    assert _value(html, "closes_at_time") == "5pm"


def test_the_gunning_panel_previews_dates_typed_in_the_boxes(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    consultation = passing_consultation()
    url = reverse("consultations:panel", kwargs={"pk": consultation.pk})
    typed = {
        "opens_at_day": "1",
        "opens_at_month": "3",
        "opens_at_year": "2030",
        "opens_at_time": "9am",
        "closes_at_day": "29",
        "closes_at_month": "3",
        "closes_at_year": "2030",
        "closes_at_time": "9am",
        "justification": "",
    }
    preview = client.get(url, typed).content.decode()
    assert "Preview with the dates you are entering" in preview
    assert "4 weeks, shorter than 12 weeks" in preview
    # half typed: the panel shows the saved period, not an error
    half = client.get(url, {**typed, "closes_at_year": ""}).content.decode()
    assert "Preview with the dates you are entering" not in half


def test_scrutiny_dates_use_the_nhs_date_input(staff_client):
    client, _ = staff_client(Role.PROGRAMME_LEAD)
    consultation = make_consultation()
    Council.objects.create(
        consultation=consultation,
        name="Norfolk County Council",
        committee="Health Overview and Scrutiny Committee",
        contact_email="hosc@norfolk.example",
    )
    url = reverse("consultations:osc", kwargs={"pk": consultation.pk})
    html = client.get(url).content.decode()
    _boxes(html, "comments_due_on")
    _boxes(html, "proposed_decision_on")
    bad = client.post(
        url,
        {
            "send_letter": "1",
            "comments_due_on_day": "30",
            "comments_due_on_month": "2",
            "comments_due_on_year": "2031",
            "proposed_decision_on_day": "4",
            "proposed_decision_on_month": "",
            "proposed_decision_on_year": "2031",
            "contact": "Sam Patel, engagement@icb.example",
        },
    ).content.decode()
    assert "Date by which the committee&#x27;s comments are wanted must be a real date" in bad
    assert "Proposed decision date must include a month" in bad
    consultation.refresh_from_db()
    assert consultation.osc_comments_due_on is None


def test_decision_date_uses_the_nhs_date_input(staff_client):
    client, _ = staff_client(Role.DECISION_MAKER)
    made = make_consulted_proposal()
    url = reverse("outcomes:decision", args=[made["proposal"].pk])
    html = client.get(url).content.decode()
    _boxes(html, "decided_on")
    page = client.post(
        url,
        {
            "decided_on_day": "12",
            "decided_on_month": "7",
            "decided_on_year": "1926",
            "decided_by": "ICB board",
            "decision": "Move the unit.",
        },
    ).content.decode()
    assert "Date of the decision: the year 1926 looks wrong" in page
    empty = client.post(url, {"decided_by": "ICB board", "decision": "Move."}).content.decode()
    assert "Give the date of the decision." in empty


def test_audit_filter_reads_the_boxes(staff_client):
    client, _ = staff_client(Role.ADMINISTRATOR)
    audit_record(action=Action.USER_ROLE_CHANGED, subject=("accounts.user", 42))
    url = reverse("audit:events")
    html = client.get(url).content.decode()
    _boxes(html, "date_from")
    today = timezone.localdate()
    found = client.get(
        url,
        {
            "action": "user.role_changed",
            "date_from_day": today.day,
            "date_from_month": today.month,
            "date_from_year": today.year,
        },
    )
    assert found.context["total"] == 1
    later = today.replace(year=today.year + 1)
    none = client.get(
        url,
        {
            "action": "user.role_changed",
            "date_from_day": later.day,
            "date_from_month": later.month,
            "date_from_year": later.year,
        },
    )
    assert none.context["total"] == 0
    bad = client.get(url, {"date_to_day": "32", "date_to_month": "1", "date_to_year": "2026"})
    assert "To must be a real date" in bad.content.decode()


def test_insight_search_reads_the_boxes_and_keeps_one_iso_date_in_its_links(staff_client):
    client, _ = staff_client(Role.ANALYST)
    url = reverse("insight:search")
    html = client.get(url).content.decode()
    _boxes(html, "date_from")
    _boxes(html, "date_to")
    page = client.get(
        url, {"date_from_day": "1", "date_from_month": "3", "date_from_year": "2025"}
    ).content.decode()
    # the save-this-search form carries the date as one value, as old saved searches do
    assert '<input type="hidden" name="date_from" value="2025-03-01">' in page
    assert _value(page, "date_from_day") == "1"
    # an old saved search's ISO value still fills the boxes
    old = client.get(url, {"date_from": "2025-03-01"}).content.decode()
    assert _value(old, "date_from_year") == "2025"
    bad = client.get(
        url, {"date_from_day": "29", "date_from_month": "2", "date_from_year": "2025"}
    ).content.decode()
    assert "From must be a real date" in bad
    assert '<details class="nhsuk-details" open>' in bad  # the error is not hidden


def test_a_typed_in_response_takes_the_date_in_boxes_or_day_first(staff_client):
    from heard.engagement.tests.test_respond import make_questionnaire

    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    q = make_questionnaire()
    url = reverse("engagement:responses_enter", args=[q.activity_id])
    html = client.get(url).content.decode()
    _boxes(html, "received_on")
    assert _value(html, "received_on_year") == str(timezone.localdate().year)
    # a link back to the form with "27/3/2026" fills the boxes
    html = client.get(url, {"received_on": "27/3/2026"}).content.decode()
    assert _value(html, "received_on_day") == "27"
