"""Every service that changes the record checks the actor's permission itself, before it
reads or writes anything (issue 12 item 4): an API, a management command or a future page
calls the same service as the view does. Each service here is called as every role that
lacks its permission, as nobody and as someone not signed in; each is refused and nothing
is written. (The service-change package has its own, per stage:
heard/servicechange/*/tests/test_service_permissions.py.)"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from heard.accounts.tests.factories import staff_member
from heard.audit.models import AuditEvent
from heard.core.actors import NotPermitted
from heard.core.roles import Role
from heard.engagement import services_response_imports as response_imports
from heard.engagement import services_responses
from heard.events import services as events
from heard.insight import services as insight
from heard.involvement import services as involvement

pytestmark = pytest.mark.django_db

ANY = SimpleNamespace(pk=1, id=1)  # never reached: the check comes first

# (service, the permission it needs, the arguments other than the actor)
SERVICES = [
    (
        response_imports.response_import_start,
        "engagement.change_activities",
        {
            "activity": ANY,
            "version": ANY,
            "filename": "a.csv",
            "stored_name": "x",
            "header": ["a"],
            "mapping": {0: "a"},
        },
    ),
    (response_imports.response_import_cancel, "engagement.change_activities", {"batch": ANY}),
    (response_imports.response_import_delete, "engagement.change_activities", {"batch": ANY}),
    (
        services_responses.response_enter,
        "engagement.change_activities",
        {"version": ANY, "raw": {}, "channel": "paper", "received_at": None},
    ),
    (insight.insight_delete, "insight.delete_insight", {"insight": ANY}),
    (
        insight.insight_import_upload,
        "insight.import_insight",
        {"filename": "a.csv", "data": b"text,date\n", "default_source": "fft"},
    ),
    (insight.insight_import_cancel, "insight.import_insight", {"batch": ANY}),
    (insight.insight_import_delete, "insight.import_insight", {"batch": ANY}),
    (insight.rejected_rows_download, "insight.import_insight", {"batch": ANY}),
    (involvement.opportunity_create, "involvement.manage_opportunities", {"fields": {}}),
    (
        involvement.opportunity_update,
        "involvement.manage_opportunities",
        {"opportunity": ANY, "fields": {}, "topics": []},
    ),
    (involvement.population_upload, "involvement.manage_populations", {"name": "A", "text": ""}),
    (
        involvement.sample_draw,
        "involvement.manage_opportunities",
        {
            "opportunity": ANY,
            "criteria": ANY,
            "size": 10,
            "dimensions": ["age"],
            "population_key": "norfolk",
        },
    ),
    (involvement.invitations_mail_retry, "involvement.manage_opportunities", {"opportunity": ANY}),
    (
        involvement.invitations_send_criteria,
        "involvement.manage_opportunities",
        {"opportunity": ANY, "criteria": ANY},
    ),
    (involvement.invitations_remind, "involvement.manage_opportunities", {"after_days": 7}),
    (
        events.event_booking_save,
        "events.manage_bookings",
        {"activity": ANY, "capacity": 10, "booking_open": True, "base_url": ""},
    ),
    (events.event_cancel, "events.manage_bookings", {"event": ANY, "message": "m", "base_url": ""}),
    (events.attendance_record, "events.manage_bookings", {"booking": ANY, "attendance": "x"}),
    (events.access_needs_viewed, "events.manage_bookings", {"event": ANY}),
]


def _without(permission: str) -> list[object]:
    lacking: list[object] = [None, AnonymousUser()]
    lacking += [u for u in (staff_member(r) for r in Role) if not u.has_perm(permission)]
    return lacking


@pytest.mark.parametrize(
    "service,permission,kwargs", SERVICES, ids=[s.__name__ for s, _, _ in SERVICES]
)
def test_the_service_refuses_everyone_without_its_permission(service, permission, kwargs):
    events_before = AuditEvent.objects.count()
    refused = 0
    for actor in _without(permission):
        with pytest.raises(NotPermitted) as raised:
            service(actor=actor, **kwargs)
        assert raised.value.permission == permission
        refused += 1
    assert refused >= 3  # nobody, someone not signed in, and at least one role
    assert AuditEvent.objects.count() == events_before


def test_every_role_that_holds_the_permission_is_let_past_the_check():
    """The other side: the check does not refuse the roles the views let in."""
    for _service, permission, _ in SERVICES:
        holders = [r for r in Role if staff_member(r).has_perm(permission)]
        assert holders, f"no role holds {permission}"
