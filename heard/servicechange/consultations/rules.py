"""Who may do what in consultations.

Every staff member may read consultations (scrutiny readers and decision makers
included: they read, they do not change). Programme leads, engagement officers and
administrators prepare, open and run them. No decision is recorded here (see outcomes).
"""

import rules

from heard.core.roles import (
    is_administrator,
    is_engagement_officer,
    is_programme_lead,
    is_staff_member,
)

rules.add_perm("consultations.view_consultations", is_staff_member)
rules.add_perm(
    "consultations.change_consultations",
    is_administrator | is_engagement_officer | is_programme_lead,
)
