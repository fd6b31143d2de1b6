from datetime import timedelta

import factory
from django.utils import timezone

from heard.engagement.models import Activity


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Have your say on community services {n}")
    slug = factory.Sequence(lambda n: f"community-services-{n}")
    summary = "Tell us what matters to you about care closer to home."
    body = "We are looking at how community nursing works across Norfolk and Waveney."
    level = Activity.Level.CONSULT
    kind = Activity.Kind.SURVEY
    status = Activity.Status.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
