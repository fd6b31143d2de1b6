"""The staff side of people and communities in a real browser, axe-checked on every page."""

import csv
import io

from django.urls import reverse

from heard.core.roles import Role
from heard.people.models import Group, GroupMembership, ImportBatch, Member
from tests.browser.test_pages import _sign_in

MESSY_FILE = (
    "Full name,Email,Postcode,Role\n"
    "Ada Lovelace,ada@example.org,NR2 1AA,chair\n"
    "Zoë Brontë,zoe@example.org,nr1 3sr,\n"
    "Bad Email,not-an-email,NR1 1AA,\n"
    "Bad Postcode,bad.postcode@example.org,XX1 ZZZ9,\n"
    ",nobody@example.org,NR3 1AA,\n"
    "\n"
    "Ada Again,ADA@example.org,NR4 1AA,\n"
).encode("utf-8-sig")


def test_import_with_bad_rows_then_directory_person_groups_and_map(
    visitor, make_staff, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    ppg = Group.objects.create(
        name="Dereham Market Surgery PPG",
        kind="ppg",
        gp_practice="Dereham Market Surgery",
        interest=4,
        influence=2,
    )
    Group.objects.create(
        name="Norfolk Health Overview and Scrutiny Committee",
        kind="stakeholder",
        stakeholder_type="osc",
        interest=5,
        influence=5,
    )
    _sign_in(visitor, officer)
    page = visitor.page

    # Upload a file full of problems: a clear preview first.
    visitor.visit(reverse("people:imports"))
    upload = tmp_path / "members.csv"
    upload.write_bytes(MESSY_FILE)
    page.get_by_label("Upload a file").set_input_files(str(upload))
    page.get_by_label("Add everyone to a group (optional)").select_option(label=ppg.name)
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/staff/people/imports/*/")
    visitor.check()
    assert page.locator("h1").inner_text() == "Check and map the columns"
    preview = page.get_by_role("region", name="Preview of the file")
    assert "Zoë Brontë" in preview.inner_text()  # BOM and accents read right

    # Columns were guessed from the header; change nothing but confirm one choice.
    assert page.get_by_label("Email address").input_value() == "Email"
    page.get_by_label("Role in the group").select_option("Role")
    page.get_by_role("button", name="Import people").click()
    page.wait_for_selector("text=Import finished", timeout=15_000)
    visitor.check()
    assert page.locator("#count-imported").inner_text() == "2"
    assert page.locator("#count-existing").inner_text() == "0"
    assert page.locator("#count-rejected").inner_text() == "4"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the 4 rejected rows").click()
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "Reason"
    reasons = " ".join(row[-1] for row in rows[1:])
    assert "email address is not valid" in reasons
    assert "not a UK postcode" in reasons
    assert "name is missing" in reasons
    assert "Same email address as row 2" in reasons
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
    ada = Member.objects.get(email="ada@example.org")
    assert GroupMembership.objects.get(group=ppg, member=ada).role == "chair"

    # The directory finds the imported people.
    visitor.visit(reverse("people:directory"))
    page.get_by_label("Name, email or postcode").fill("lovel")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/staff/people/?*")
    visitor.check()
    page.get_by_role("link", name="Ada Lovelace").click()
    page.wait_for_url(f"**/staff/people/{ada.pk}/")
    visitor.check()
    assert page.locator("h1").inner_text() == "Ada Lovelace"
    assert ppg.name in page.locator("main").inner_text()

    # Groups, a group, the stakeholder map.
    visitor.visit(reverse("people:groups"))
    page.get_by_role("link", name=ppg.name).click()
    page.wait_for_url(f"**/staff/people/groups/{ppg.pk}/")
    visitor.check()
    assert "Ada Lovelace" in page.locator("main").inner_text()
    visitor.visit(reverse("people:stakeholder_map"))
    assert page.locator("svg[role=img] circle").count() == 2
    assert "Manage closely" in page.locator("table").inner_text()


def test_garbage_upload_shows_an_accessible_error(visitor, make_staff, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = make_staff(Role.ENGAGEMENT_OFFICER)
    _sign_in(visitor, officer)
    visitor.visit(reverse("people:imports"))
    junk = tmp_path / "members.csv"
    junk.write_bytes(bytes(range(256)) * 50)
    page = visitor.page
    page.get_by_label("Upload a file").set_input_files(str(junk))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_selector(".nhsuk-error-summary")
    visitor.check()
    assert "does not look like a table" in page.locator(".nhsuk-error-summary").inner_text()
    assert not ImportBatch.objects.exists()


def test_group_form_and_member_add_pages_are_accessible(visitor, make_staff):
    officer = make_staff(Role.ADMINISTRATOR)
    group = Group.objects.create(name="Carers forum", kind="forum")
    Member.objects.create(full_name="Keith Larwood", email="keith@example.org")
    _sign_in(visitor, officer)
    visitor.visit(reverse("people:group_create"))
    page = visitor.page
    page.get_by_role("button", name="Add group").click()
    page.wait_for_selector(".nhsuk-error-summary")
    visitor.check()
    visitor.visit(reverse("people:person_create") + f"?group={group.pk}")
    page.get_by_role("button", name="Add person").click()
    page.wait_for_selector(".nhsuk-error-summary")
    visitor.check()
    assert "Enter the person's full name" in page.locator(".nhsuk-error-summary").inner_text()
    visitor.visit(reverse("people:group_member_add", args=[group.pk]) + "?q=larw")
    page.get_by_label("Role for Keith Larwood").select_option("chair")
    page.get_by_role("button", name="Add Keith Larwood").click()
    page.wait_for_url(f"**/staff/people/groups/{group.pk}/")
    visitor.check()
    assert "Keith Larwood" in page.locator("main").inner_text()
    page.get_by_role("link", name="Keith Larwood").click()
    page.get_by_role("link", name="Correct Keith Larwood's details").click()
    visitor.check()
    page.get_by_label("Postcode").fill("NR21 9AB")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector("text=Changes saved.")
    visitor.check()
    assert Member.objects.get(email="keith@example.org").locality == "North Norfolk"
