"""Who may manage staff accounts: administrators only."""

import rules

from heard.core.roles import is_administrator

rules.add_perm("accounts.manage_users", is_administrator)
rules.add_perm("accounts.manage_rules", is_administrator)
