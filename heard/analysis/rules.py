"""Who may do what with the analysis of responses.

- run an analysis and edit codeframes: administrators and analysts;
- review suggestions and code answers by hand: also engagement officers;
- view results: every staff role that may read what people said (as the insight bank),
  i.e. not the scrutiny reader – results pages show redacted quotes; the committee sees
  aggregate coverage on the insight dashboard and the published outcome report.
"""

import rules

from heard.core.roles import (
    is_administrator,
    is_analyst,
    is_decision_maker,
    is_engagement_officer,
    is_programme_lead,
)

rules.add_perm(
    "analysis.view_analysis",
    is_administrator | is_engagement_officer | is_analyst | is_programme_lead | is_decision_maker,
)
rules.add_perm("analysis.run_analysis", is_administrator | is_analyst)
rules.add_perm("analysis.change_codeframe", is_administrator | is_analyst)
rules.add_perm("analysis.code_answers", is_administrator | is_analyst | is_engagement_officer)
