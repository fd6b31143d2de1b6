"""Who may do what with engagement activities."""

import rules

from heard.core.roles import (
    is_administrator,
    is_engagement_officer,
    is_programme_lead,
    is_staff_member,
)

# Every staff member may see the programme of activities (scrutiny readers included).
rules.add_perm("engagement.view_activities", is_staff_member)
# Engagement officers run activities; programme leads may draft and run their own area's.
rules.add_perm(
    "engagement.change_activities", is_administrator | is_engagement_officer | is_programme_lead
)
# Closing a formal consultation before its published closing time cuts short the time
# people were promised (Gunning: adequate time): a programme lead or an administrator.
rules.add_perm("engagement.close_formal_consultation_early", is_administrator | is_programme_lead)
