"""Every stage's facts about a proposal, asked of each stage directly."""

from heard.servicechange.assessment import selectors as assessment_selectors
from heard.servicechange.consultations import selectors as consultation_selectors
from heard.servicechange.outcomes import hooks as outcome_parts
from heard.servicechange.proposals import domain
from heard.servicechange.proposals.models import Proposal


def facts(proposal: Proposal) -> domain.ProposalFacts:
    return domain.compose(
        proposal.own_facts(),
        assessment_selectors.stage_facts(proposal),
        consultation_selectors.stage_facts(proposal),
        outcome_parts.stage_facts(proposal),
    )
