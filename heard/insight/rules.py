"""Who may do what with the insight bank.

What people said (even redacted) is read by the staff who plan and decide; the
scrutiny reader sees only the coverage dashboard, which is aggregate counts – no
quotes – so a scrutiny committee can check who was and was not heard without reading
individual comments.
"""

import rules

from heard.core.roles import (
    is_administrator,
    is_analyst,
    is_decision_maker,
    is_engagement_officer,
    is_programme_lead,
    is_staff_member,
)

rules.add_perm(
    "insight.view_insight",
    is_administrator | is_engagement_officer | is_analyst | is_programme_lead | is_decision_maker,
)
rules.add_perm("insight.view_coverage", is_staff_member)
rules.add_perm("insight.import_insight", is_administrator | is_engagement_officer | is_analyst)
# Deleting one insight (objection or erasure): the people who bring insight in.
rules.add_perm("insight.delete_insight", is_administrator | is_engagement_officer | is_analyst)
