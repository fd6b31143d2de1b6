"""docs/record-of-processing.md names every model that holds personal data.

A model holds personal data here when it has an email field, a field for a person's
name, phone, postcode or postal address, or a link to a member, a response, an answer,
a booking, a follower or a standing-group term. Add a model with such a field and this
test fails until the record of processing says where it is, why, on what basis, for how
long and who can read it.
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

ROPA = Path(settings.BASE_DIR) / "docs" / "record-of-processing.md"
PERSONAL_NAMES = {"full_name", "phone", "postcode", "attendee_name", "contact_postal"}
ABOUT_A_PERSON = {
    "people.Member",
    "engagement.Response",
    "engagement.Answer",
    "events.Booking",
    "follow.Follower",
    "groups.MembershipTerm",
}


def _personal_fields(model: type[models.Model]) -> list[str]:
    found = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False):
            continue
        related = field.related_model if field.is_relation else None
        if (
            isinstance(field, models.EmailField)
            or field.name in PERSONAL_NAMES
            or (related is not None and related._meta.label in ABOUT_A_PERSON)
        ):
            found.append(field.name)
    return found


def _listed() -> set[str]:
    return set(re.findall(r"`([a-z_]+\.[A-Z][A-Za-z]+)`", ROPA.read_text()))


def test_every_model_with_a_personal_data_field_is_in_the_record_of_processing():
    holding = {m._meta.label: _personal_fields(m) for m in apps.get_models() if _personal_fields(m)}
    assert len(holding) >= 20  # the scan finds what it should (members, bookings, follows…)
    missing = {label: fields for label, fields in holding.items() if label not in _listed()}
    assert not missing, f"add these to docs/record-of-processing.md: {missing}"


def test_every_model_named_in_the_record_exists():
    labels = {m._meta.label for m in apps.get_models()}
    assert _listed() - labels == set()


@isolate_apps("heard.people")
def test_the_scan_would_catch_a_new_model_with_an_email_address():
    class Petition(models.Model):  # noqa: DJ008
        signer_email = models.EmailField()

        class Meta:
            app_label = "people"

    assert _personal_fields(Petition) == ["signer_email"]
    assert "people.Petition" not in _listed()
