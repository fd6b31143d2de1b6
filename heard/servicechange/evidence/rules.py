"""Who may build and download a proposal's evidence pack: administrators and programme
leads (it gathers every record of a decision, including the audit trail's events)."""

import rules

from heard.core.roles import is_administrator, is_programme_lead

rules.add_perm("evidence.build_pack", is_administrator | is_programme_lead)
