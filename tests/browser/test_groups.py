"""A reference group's year in a real browser, axe-checked on every page visited.

Set the group up (public page, terms of reference, chair and member), hold a meeting
with an agenda and a paper, take attendance on a phone, write the minutes with what the
group said, record a decision and an action, approve the minutes as the chair, publish
them, and find them on the group's public page; a member of the group downloads the
paper, a member of the public who is not on the group cannot.
"""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heard.core.roles import Role
from heard.groups.models import Minutes, Paper
from heard.insight.models import Insight
from heard.people.models import Group, GroupMembership, Member
from tests.browser.conftest import Visitor, fill_nhs_date
from tests.browser.test_pages import _sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _date(page, label: str, day, time: str = "") -> None:
    fill_nhs_date(page, label, day.day, day.month, day.year, time)


def test_a_reference_groups_year(
    visitor, make_staff, make_member, tmp_path, settings, browser, live_server
):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    group = Group.objects.create(
        name="Stroke Services Reference Group", kind=Group.Kind.REFERENCE_GROUP, locality="Norwich"
    )
    chair = Member.objects.create(
        full_name="Ada Lovelace", email="ada@example.org", status="active"
    )
    member_user = make_member(email="ben@example.org", full_name="Ben Brown")
    for person in (chair, member_user.member):
        GroupMembership.objects.create(
            group=group, member=person, since=timezone.localdate() - timedelta(days=90)
        )
    _sign_in(visitor, officer)
    page = visitor.page

    # Set the group up to be run here, and give it a public page.
    visitor.visit(reverse("groups:list"))
    page.get_by_label("Group", exact=True).select_option(label=group.name)
    page.get_by_role("button", name="Set up the group").click()
    page.wait_for_url("**/staff/groups/*/")
    visitor.check()
    page.get_by_role("link", name="Change public page and meetings").click()
    visitor.check()
    page.get_by_label("Show this group on the public site").check()
    page.get_by_label("What the group is, in plain words").fill(
        "People who have had a stroke and their carers, advising on stroke services."
    )
    page.get_by_label("How often it meets").fill("Every two months")
    page.get_by_role("button", name="Save changes").click()
    visitor.check()

    # Terms of reference: a placeholder is refused, then the real text is recorded.
    page.get_by_role("link", name="Record the terms of reference").click()
    visitor.check()
    today = timezone.localdate()
    page.get_by_label("Terms of reference").fill("n/a")
    _date(page, "Date agreed", today - timedelta(days=7))
    _date(page, "Review date", today + timedelta(days=358))
    page.get_by_role("button", name="Record terms of reference").click()
    visitor.check()
    assert "must say something real" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Terms of reference").fill(
        "The group advises the ICB on stroke services. It meets every two months and "
        "reports to the stroke programme board."
    )
    page.get_by_role("button", name="Record terms of reference").click()
    page.wait_for_url("**/staff/groups/*/")
    visitor.check()

    # The chair (named publicly, with her agreement) and a member.
    for name, role, named in (("Ada Lovelace", "Chair", True), ("Ben Brown", "Member", False)):
        page.get_by_role("link", name="Add a membership term").click()
        visitor.check()
        page.get_by_label(role, exact=True).check()
        page.get_by_label("Person (chair or member)").select_option(label=name)
        _date(page, "Term starts", today - timedelta(days=60))
        if named:
            page.get_by_label("The chair agreed to be named on the public page").check()
        page.get_by_role("button", name="Add term").click()
        page.wait_for_url("**/staff/groups/*/")
        visitor.check()

    # The meeting, held yesterday evening.
    page.get_by_role("button", name="Arrange a meeting").click()
    visitor.check()
    held = timezone.localtime() - timedelta(days=1)
    page.get_by_label("Title").fill("Autumn meeting")
    _date(page, "Starts", held.date(), "6pm")
    page.get_by_label("Place").fill("County Hall, Norwich")
    page.get_by_role("button", name="Save meeting").click()
    page.wait_for_url("**/staff/groups/meetings/*/")
    visitor.check()
    page.get_by_text("Add an agenda item").click()
    page.get_by_label("Agenda item").fill("Early supported discharge: the draft plan")
    page.get_by_role("button", name="Add to the agenda").click()
    visitor.check()
    # A wrong file is refused, a real PDF kept.
    fake = tmp_path / "plan.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    page.get_by_label("Paper title").fill("The draft plan")
    page.get_by_label("File").set_input_files(str(fake))
    page.get_by_role("button", name="Upload the paper").click()
    visitor.check()
    assert "not a real PDF" in page.locator("main").inner_text()
    real = tmp_path / "draft-plan.pdf"
    real.write_bytes(PDF)
    page.get_by_label("Paper title").fill("The draft plan")
    page.get_by_label("File").set_input_files(str(real))
    page.get_by_role("button", name="Upload the paper").click()
    visitor.check()
    assert page.get_by_role("link", name="The draft plan").is_visible()

    # Attendance, on a phone.
    page.set_viewport_size({"width": 375, "height": 740})
    page.get_by_role("link", name="Take attendance and apologies").click()
    visitor.check()
    page.get_by_role("group", name="Ada Lovelace (chair)").get_by_label("Present").check()
    page.get_by_role("group", name="Ben Brown (member)").get_by_label("Sent apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    visitor.check()
    assert "1 present, 1 sent apologies" in page.locator("dl").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})

    # Minutes, what the group said, a decision and an action.
    page.get_by_role("link", name="Write the draft minutes").click()
    visitor.check()
    page.get_by_label("Minutes").fill(
        "The staff lead presented the draft plan. Members welcomed therapy at home but "
        "worried about the first days after leaving hospital."
    )
    page.get_by_role("button", name="Save draft minutes").click()
    visitor.check()
    page.get_by_text("Record something the group said").click()
    page.get_by_label("What the group said").fill(
        "People need a named person to call in the first days at home after a stroke."
    )
    page.get_by_role("button", name="Record what we heard").click()
    visitor.check()
    page.get_by_label("Decision", exact=True).fill(
        "The group supports the plan if everyone has a named contact."
    )
    page.get_by_role("button", name="Record the decision").click()
    visitor.check()
    page.get_by_label("Action", exact=True).fill(
        "Ask the trust how carers are prepared before discharge"
    )
    page.get_by_label("Owner").select_option(label="Ada Lovelace (Chair)")
    _date(page, "Due", held.date() - timedelta(days=1))
    page.get_by_role("button", name="Record the action").click()
    visitor.check()
    assert "cannot be due before the meeting" in page.locator("body").inner_text()
    page.get_by_label("Action", exact=True).fill(
        "Ask the trust how carers are prepared before discharge"
    )
    page.get_by_label("Owner").select_option(label="Ada Lovelace (Chair)")
    _date(page, "Due", today + timedelta(days=21))
    page.get_by_role("button", name="Record the action").click()
    visitor.check()

    # The chair approves (recorded by the officer); the minutes freeze; then published.
    page.get_by_role("button", name="Record approval").click()
    visitor.check()
    page.get_by_label("Approved by").select_option(label="Ada Lovelace (Chair)")
    page.get_by_role("button", name="Approve the minutes").click()
    page.wait_for_url("**/staff/groups/meetings/*/")
    visitor.check()
    minutes = Minutes.objects.get()
    assert minutes.frozen and minutes.approved_by.member == chair
    assert Insight.objects.filter(text__startswith="People need a named person").exists()
    assert not page.get_by_role("link", name="Change the draft minutes").count()
    page.get_by_role("button", name="Publish the minutes").click()
    visitor.check()
    page.screenshot(path=str(tmp_path / "meeting.png"), full_page=True)

    # The public page: what it is, terms of reference, the chair named, the minutes.
    sg_slug = minutes.meeting.standing_group.slug
    visitor.visit(reverse("groups_public:group", kwargs={"slug": sg_slug}))
    text = page.locator("main").inner_text()
    assert "advising on stroke services" in text and "reports to the stroke programme board" in text
    assert "Chaired by Ada Lovelace" in text and "Ben Brown" not in text
    page.get_by_role("link", name=f"Autumn meeting, {held:%-d %B %Y}").click()
    visitor.check()
    assert "named person to call" in page.locator("main").inner_text()
    assert "The group supports the plan" in page.locator("main").inner_text()
    assert "draft plan" not in page.locator("main").inner_text().lower().split("minutes:")[0]
    page.screenshot(path=str(tmp_path / "public.png"), full_page=True)

    # The paper: a member of the group gets it; an outsider does not.
    paper_url = reverse("groups_public:paper", kwargs={"pk": Paper.objects.get().pk})
    for user, status in ((member_user, 200), (make_member(email="eve@example.org"), 403)):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        response = context.request.get(live_server.url + paper_url, max_redirects=0)
        assert response.status == status
        if status == 200:
            assert response.body() == PDF
            # The member's own page lists the meeting and its paper (axe-checked).
            member_visitor = Visitor(context.new_page(), live_server.url)
            member_visitor.visit(reverse("groups_public:mine"))
            assert member_visitor.page.get_by_role("link", name="The draft plan").is_visible()
        context.close()
