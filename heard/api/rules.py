"""Who may hold personal API tokens: every staff member. A token acts with its holder's
role and nothing more: each staff endpoint checks the same permission the staff pages
use (``insight.view_insight``, ``analysis.view_analysis``…), against the holder."""

import rules

from heard.core.roles import is_staff_member

rules.add_perm("api.manage_own_tokens", is_staff_member)
