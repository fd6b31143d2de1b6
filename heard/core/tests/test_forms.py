"""Staff forms on the NHS.UK patterns: messages that name the field, the NHS date input,
no pre-selected empty radio, and impossible or suspicious dates refused clearly."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from heard.accounts.forms import StaffInviteForm
from heard.core.forms import (
    NHSDateField,
    NHSDateTimeField,
    NHSFormMixin,
    named_message,
    parse_time,
)
from heard.core.roles import Role
from heard.engagement.forms import ActivityForm
from heard.engagement.tests.factories import ActivityFactory

UK = ZoneInfo("Europe/London")


def _summary(html: str) -> list[str]:
    block = html[html.index("nhsuk-error-summary__list") :]
    block = block[: block.index("</ul>")]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in block.split("<li>")[1:]]


@pytest.mark.django_db
def test_activity_form_submitted_empty_names_every_field_in_the_summary(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    # What a browser sends for an empty form: every text box, empty.
    empty = {"title": "", "summary": "", "body": "", "opens_at_day": ""}
    html = client.post(reverse("engagement:create"), empty).content.decode()
    items = _summary(html)
    assert items == [
        "Enter the title",
        "Enter the summary",
        "Select the level on the spectrum of engagement",
        "Select the type of activity",
    ]
    assert "This field is required." not in html
    # Each inline message is the summary's, beside its field; the summary links to it.
    for item in items:
        assert f'<span class="nhsuk-u-visually-hidden">Error:</span> {item}</span>' in html
    assert 'href="#id_level_0"' in html and 'id="id_level_0"' in html


@pytest.mark.django_db
def test_activity_form_has_no_empty_radio_and_uses_the_nhs_date_input(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    html = client.get(reverse("engagement:create")).content.decode()
    assert "---------" not in html
    assert 'type="datetime-local"' not in html
    assert html.count('class="nhsuk-date-input"') == 4
    for part in ("day", "month", "year", "time"):
        assert f'name="opens_at_{part}"' in html
    # No maxlength: a long pasted title is refused with a message, not silently cut.
    assert "maxlength" not in html


def _activity_data(**extra):
    data = {
        "title": "Stroke rehabilitation survey",
        "summary": "Tell us about stroke rehabilitation.",
        "level": "consult",
        "kind": "survey",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_activity_opening_and_closing_in_2020_is_refused_clearly():
    form = ActivityForm(
        _activity_data(
            opens_at_day="1",
            opens_at_month="3",
            opens_at_year="2020",
            opens_at_time="9am",
            closes_at_day="30",
            closes_at_month="4",
            closes_at_year="2020",
            closes_at_time="5pm",
        )
    )
    assert not form.is_valid()
    assert form.errors["closes_at"][0].startswith(
        "Closing date and time is in the past – check the date"
    )


@pytest.mark.django_db
def test_activity_dates_are_read_from_day_month_year_and_time():
    form = ActivityForm(
        _activity_data(
            opens_at_day="1",
            opens_at_month="12",
            opens_at_year="2030",
            opens_at_time="9:30am",
            closes_at_day="12",
            closes_at_month="1",
            closes_at_year="2031",
            closes_at_time="17:00",
        )
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opens_at"] == datetime(2030, 12, 1, 9, 30, tzinfo=UK)
    assert form.cleaned_data["closes_at"] == datetime(2031, 1, 12, 17, 0, tzinfo=UK)


@pytest.mark.django_db
def test_a_closed_activity_can_still_be_edited_with_its_past_dates():
    activity = ActivityFactory(status="closed", opens_at=datetime(2024, 1, 1, 9, tzinfo=UK))
    activity.closes_at = datetime(2024, 2, 1, 17, tzinfo=UK)
    activity.save()
    form = ActivityForm(instance=activity)
    data = {**_activity_data(), **{}}
    for name in ("opens_at", "closes_at"):
        for part, value in zip(
            ("day", "month", "year", "time"),
            form[name].field.widget.decompress(getattr(activity, name)),
            strict=True,
        ):
            data[f"{name}_{part}"] = str(value)
    assert ActivityForm(data, instance=activity).is_valid()


@pytest.mark.django_db
def test_the_old_iso_value_is_still_understood():
    form = ActivityForm(_activity_data(opens_at="2030-12-01T09:00", closes_at="2031-01-12T17:00"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opens_at"] == datetime(2030, 12, 1, 9, 0, tzinfo=UK)


class _DateForm(NHSFormMixin, forms.Form):
    on = NHSDateField(label="Date of the meeting")
    at = NHSDateTimeField(label="Starts", required=False)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "on", "Enter the date of the meeting"),
        ({"on_day": "31", "on_month": "2", "on_year": "2026"}, "on", "must be a real date"),
        ({"on_day": "3", "on_year": "2026"}, "on", "must include a month"),
        ({"on_day": "3", "on_month": "x", "on_year": "2026"}, "on", "in numbers"),
        ({"on_day": "3", "on_month": "2", "on_year": "26"}, "on", "Year must include 4 numbers"),
        ({"on_day": "3", "on_month": "2", "on_year": "1926"}, "on", "the year 1926 looks wrong"),
        ({"on_day": "3", "on_month": "2", "on_year": "2206"}, "on", "the year 2206 looks wrong"),
        (
            {"at_day": "3", "at_month": "2", "at_year": "2027"},
            "at",
            "Starts must include a time, like 9am or 5:30pm",
        ),
        (
            {"at_day": "3", "at_month": "2", "at_year": "2027", "at_time": "25:00"},
            "at",
            "enter the time like 9am",
        ),
    ],
)
def test_impossible_and_suspicious_dates_are_refused_with_a_clear_message(data, field, message):
    form = _DateForm(data)
    assert not form.is_valid()
    assert message in form.errors[field][0]


def test_a_valid_date():
    form = _DateForm({"on_day": "27", "on_month": "3", "on_year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == date(2026, 3, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9am", time(9)),
        ("9:30am", time(9, 30)),
        ("9.30 PM", time(21, 30)),
        ("17:30", time(17, 30)),
        ("12pm", time(12)),
        ("12am", time(0)),
        ("midday", time(12)),
        ("9", None),
        ("13pm", None),
        ("noonish", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


def test_staff_invite_form_empty_names_each_field_and_offers_no_empty_role():
    form = StaffInviteForm({})
    assert not form.is_valid()
    assert form.errors["full_name"] == ["Enter the full name"]
    assert form.errors["email"] == ["Enter the work email address"]
    assert form.errors["role"] == ["Choose a role"]  # its own message is kept
    assert "" not in [value for value, _ in form.fields["role"].choices]


def test_generic_messages_of_any_form_are_named_when_rendered():
    """A form that does not use the mixin still gets named messages from the tags."""

    class Plain(forms.Form):
        title = forms.CharField(label="Title", max_length=10)
        count = forms.IntegerField(label="Number of places")

    form = Plain({"title": "x" * 11, "count": "many"})
    form.is_valid()
    html = Template("{% nhsuk_error_summary form %}").render(Context({"form": form}))
    assert "Title must be 10 characters or fewer – it has 11" in html
    assert "Number of places must be a number" in html
    assert named_message(forms.CharField(label="Title"), "This field is required.") == (
        "Enter the title"
    )


def test_a_required_radio_group_never_shows_an_empty_choice_even_without_the_mixin():
    class Plain(forms.Form):
        colour = forms.ChoiceField(
            label="Colour",
            choices=[("", "---------"), ("red", "Red"), ("blue", "Blue")],
            widget=forms.RadioSelect,
        )

    form = Plain({})
    form.is_valid()
    html = Template("{% nhsuk_error_summary form %}{% nhsuk_field form.colour %}").render(
        Context({"form": form})
    )
    assert "---------" not in html
    # The summary links to the first choice shown.
    assert 'href="#id_colour_1"' in html and 'id="id_colour_1"' in html
    assert "Select the colour" in html


@pytest.mark.django_db
def test_staff_sign_in_submitted_empty_names_both_fields(client):
    html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
    assert _summary(html) == ["Enter the email address", "Enter the password"]
    assert "This field is required." not in html


@pytest.mark.django_db
def test_a_long_title_is_refused_with_a_clear_message_not_cut(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    html = client.post(reverse("engagement:create"), _activity_data(title="A" * 250)).content
    page = html.decode()
    assert "Title must be 200 characters or fewer – it has 250" in page
    assert 'value="' + "A" * 250 + '"' in page  # kept as typed, for the person to shorten
