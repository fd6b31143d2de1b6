from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from heard.involvement.models import Invitation, Opportunity
from heard.people.models import EqualityMonitoring, Member


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    status = Member.Status.ACTIVE
    locality = "Norwich"


def member_with(age_band: str = "", sex: str = "", ethnic_group: str = "", **kwargs: Any) -> Any:
    member: Any = MemberFactory(**kwargs)
    EqualityMonitoring.objects.create(
        member=member, age_band=age_band, sex=sex, ethnic_group=ethnic_group
    )
    return member


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Stroke services reference group {n}")
    summary = "Help us shape stroke rehabilitation in Norfolk."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    time_asked = "2 hours"
    places = 10
    status = Opportunity.Status.OPEN


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    opportunity = factory.SubFactory(OpportunityFactory)
    member = factory.SubFactory(MemberFactory)
