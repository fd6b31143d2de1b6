from heard.servicechange.proposals import domain
from heard.servicechange.proposals.models import Proposal


def test_model_choices_match_the_domain_lifecycle():
    assert [(c.value, c.label) for c in Proposal.Status] == [
        (s.value, domain.STATUS_LABELS[s]) for s in domain.Status
    ]
