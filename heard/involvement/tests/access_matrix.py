from typing import Any

from heard.core.roles import Role
from heard.core.testing import Access

MANAGE = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER}
VIEW = {
    Role.ADMINISTRATOR,
    Role.ENGAGEMENT_OFFICER,
    Role.ANALYST,
    Role.PROGRAMME_LEAD,
    Role.DECISION_MAKER,
}
REACH = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.ANALYST, Role.PROGRAMME_LEAD}


def _opportunity() -> dict:
    from heard.involvement.tests.factories import OpportunityFactory

    opportunity: Any = OpportunityFactory()
    return {"pk": opportunity.pk}


def _sample() -> dict:
    from heard.involvement.models import SampleRun
    from heard.involvement.tests.factories import OpportunityFactory

    opportunity: Any = OpportunityFactory()
    run = SampleRun.objects.create(
        opportunity=opportunity, size=1, seed=1, population_name="Test", selected=[]
    )
    return {"pk": run.pk}


def _invitation() -> dict:
    from heard.involvement.tests.factories import InvitationFactory

    invitation: Any = InvitationFactory()
    return {"pk": invitation.pk}


EXPECTED = {
    "involvement:invitation_withdraw": Access(MANAGE, kwargs=_invitation, method="post"),
    "involvement:opportunities": Access(VIEW),
    "involvement:opportunity_create": Access(MANAGE),
    "involvement:opportunity": Access(VIEW, kwargs=_opportunity),
    "involvement:mail_progress": Access(VIEW, kwargs=_opportunity),
    "involvement:mail_retry": Access(MANAGE, kwargs=_opportunity, method="post"),
    "involvement:opportunity_edit": Access(MANAGE, kwargs=_opportunity),
    "involvement:opportunity_status": Access(
        MANAGE, kwargs=_opportunity, method="post", data={"to": "closed"}
    ),
    "involvement:invite": Access(MANAGE, kwargs=_opportunity),
    "involvement:sample_new": Access(MANAGE, kwargs=_opportunity),
    "involvement:remind": Access(MANAGE, kwargs=_opportunity, method="post"),
    "involvement:sample": Access(MANAGE, kwargs=_sample),
    "involvement:sample_send": Access(MANAGE, kwargs=_sample, method="post"),
    "involvement:participation": Access(MANAGE),
    "involvement:reach": Access(REACH),
    "involvement:populations": Access(MANAGE),
    "involvement:retention": Access({Role.ADMINISTRATOR}),
    "involvement:retention_run": Access(
        {Role.ADMINISTRATOR}, method="post", data={"dry_run": "on"}
    ),
}
