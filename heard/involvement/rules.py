"""Who may do what with involvement opportunities, reach and retention.

Least privilege: the scrutiny reader sees none of this (it names members); only
administrators and engagement officers invite people or see who was asked; reach is
aggregate and suppressed, so analysts and programme leads see it too; retention, which
erases people's details, is for administrators only.
"""

import rules

from heard.core.roles import (
    is_administrator,
    is_analyst,
    is_decision_maker,
    is_engagement_officer,
    is_programme_lead,
)

can_manage = is_administrator | is_engagement_officer

rules.add_perm(
    "involvement.view_opportunities",
    is_administrator | is_engagement_officer | is_analyst | is_programme_lead | is_decision_maker,
)
rules.add_perm("involvement.manage_opportunities", can_manage)
rules.add_perm("involvement.view_participation", can_manage)
rules.add_perm(
    "involvement.view_reach",
    is_administrator | is_engagement_officer | is_analyst | is_programme_lead,
)
rules.add_perm("involvement.manage_populations", can_manage)
rules.add_perm("involvement.manage_retention", is_administrator)
