"""Tell followers what changed since the last run (an activity opened, changed its dates
or published "you said, we did"; a proposal was decided). Each follower is told of each
change once. Schedule it every few minutes, e.g.:

    */10 * * * *  cd /srv/heard && .venv/bin/python manage.py follow_notify
"""

from typing import Any

from django.core.management.base import BaseCommand

from heard.people.services.retention import site_base_url
from heard.servicechange.follow.services import notify_run


class Command(BaseCommand):
    help = "Email followers about changes to what they follow (once per change)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notify_run(base_url=site_base_url())
        self.stdout.write(f"Follower emails sent: {sent}.")
