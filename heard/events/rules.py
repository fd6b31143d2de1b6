"""Who may do what with event bookings.

Those who run activities (administrators, engagement officers, programme leads) set
capacity, see who booked, cancel an event and take attendance. Access needs are health
information about members of the public: only those who organise the event read them –
engagement officers, and the staff member who owns the activity.
"""

from typing import Any

import rules

from heard.core.roles import (
    is_administrator,
    is_engagement_officer,
    is_programme_lead,
    is_staff_member,
)


@rules.predicate
def owns_the_activity(user: Any, activity: Any) -> bool:
    return activity is not None and user.pk is not None and activity.owner_id == user.pk


can_manage = is_administrator | is_engagement_officer | is_programme_lead

rules.add_perm("events.manage_bookings", can_manage)
rules.add_perm(
    "events.view_access_needs", is_engagement_officer | (is_staff_member & owns_the_activity)
)
