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
# What a person wrote, in full (names, phone and NHS numbers they gave): the people who
# take responses by phone and post and answer for them. Everyone else sees the answers
# with personal data replaced by placeholders, as the insight bank shows them.
rules.add_perm("engagement.view_responses_unredacted", is_administrator | is_engagement_officer)

# Closing a formal consultation before its published closing time cuts short the time
# people were promised (Gunning: adequate time): a programme lead or an administrator.
rules.add_perm("engagement.close_formal_consultation_early", is_administrator | is_programme_lead)

# Erasing a respondent's words on their request (UK GDPR Art. 17) removes evidence from
# the record: administrators only, with a reason (heard.engagement.services_erasure).
rules.add_perm("engagement.erase_responses", is_administrator)
