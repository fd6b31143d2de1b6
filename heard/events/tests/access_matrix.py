from typing import Any

from heard.core.roles import Role
from heard.core.testing import Access

MANAGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.PROGRAMME_LEAD}
# Access needs: engagement officers, and the activity's owner (tested in test_views).
ACCESS_NEEDS = {Role.ENGAGEMENT_OFFICER}


def _event() -> dict:
    from heard.events.tests.factories import make_event

    event: Any = make_event()
    return {"pk": event.activity_id}


def _booking() -> dict:
    from heard.events.models import Booking
    from heard.events.tests.factories import make_event

    event: Any = make_event()
    booking = Booking.objects.create(
        event=event, name="Sam Jones", email="sam@example.org", status=Booking.Status.CONFIRMED
    )
    return {"pk": event.activity_id, "booking_pk": booking.pk}


EXPECTED = {
    "events:list": Access(MANAGE),
    "events:event": Access(MANAGE, kwargs=_event),
    "events:access_needs": Access(ACCESS_NEEDS, kwargs=_event),
    "events:attendance": Access(MANAGE, kwargs=_event),
    "events:cancel": Access(MANAGE, kwargs=_event),
    "events:booking_cancel": Access(MANAGE, kwargs=_booking, method="post"),
}
