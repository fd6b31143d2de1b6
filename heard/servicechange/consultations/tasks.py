"""Background work for consultations: telling stakeholders and members."""

from django_tasks import task

from heard.servicechange.consultations.services import mailout_send


@task()
def mailout_send_task(mailout_id: int, base_url: str) -> int:
    return mailout_send(mailout_id=mailout_id, base_url=base_url)
