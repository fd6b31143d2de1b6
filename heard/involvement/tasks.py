"""Background work for involvement: reminders for invitations nobody has answered."""

from django_tasks import task

from heard.accounts.models import User
from heard.core.actors import CLOCK
from heard.involvement.services import invitations_mail, invitations_remind


@task()
def invitations_remind_task(
    actor_id: int | None = None, opportunity_id: int | None = None, after_days: int | None = None
) -> int:
    from heard.involvement.models import Opportunity

    # the person who asked, or Heard's clock for the periodic run
    actor = User.objects.filter(pk=actor_id).first() if actor_id else CLOCK
    opportunity = Opportunity.objects.filter(pk=opportunity_id).first() if opportunity_id else None
    return invitations_remind(actor=actor, opportunity=opportunity, after_days=after_days)


@task()
def invitations_mail_task(invitation_ids: list[int], template: str, base_url: str) -> int:
    return invitations_mail(invitation_ids=invitation_ids, template=template, base_url=base_url)
