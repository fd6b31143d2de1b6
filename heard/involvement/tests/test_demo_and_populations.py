"""The demo loader and uploaded reference populations."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role
from heard.demo import involvement as demo
from heard.involvement.models import Invitation, Opportunity, ReferencePopulation, SampleRun
from heard.involvement.selectors import population_get
from heard.involvement.tests.factories import member_with

pytestmark = pytest.mark.django_db

AREA = (
    "dimension,category,count,share\n"
    "sex_age,Female 18-44,500,\n"
    "sex_age,Female 45+,400,\n"
    "sex_age,Female 40-50,1,\n"
    "sex_age,Male 18-44,450,\n"
    "sex_age,Male 45+,350,\n"
)


def test_demo_creates_nothing_without_members_then_is_idempotent():
    assert demo.load() == {}
    for i in range(60):
        member_with(
            age_band="45_54", sex="female" if i % 2 else "male", ethnic_group="white_british"
        )
    made = demo.load()
    assert made["opportunities"] == 6 and made["invitations"] > 100 and made["samples"] == 2
    assert Opportunity.objects.filter(status="open").count() == 2
    assert Invitation.objects.filter(status="accepted").exists()
    assert Invitation.objects.filter(status="declined").exists()
    assert SampleRun.objects.count() == 2
    assert demo.load() == {}
    assert Opportunity.objects.count() == 6


def test_upload_a_population_then_use_it(staff_client):
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    url = reverse("involvement:populations")
    bad = client.post(
        url, {"name": "Broken", "file": SimpleUploadedFile("p.csv", b"a,b\n1,2\n")}
    ).content.decode()
    assert "missing: category, count, dimension, share" in bad
    assert not ReferencePopulation.objects.exists()
    ok = client.post(
        url, {"name": "Wide bands", "file": SimpleUploadedFile("p.csv", AREA.encode())}
    )
    assert ok.status_code == 302
    stored = ReferencePopulation.objects.get()
    assert AuditEvent.objects.filter(action=Action.POPULATION_UPLOADED).count() == 1
    population = population_get(str(stored.pk))
    # coarser bands than members' answers: whole member bands are gathered into them
    assert set(population.shares["age_band"]) == {"18-44", "45+"}
    assert population.age_map["25_34"] == "18-44" and population.age_map["75_plus"] == "45+"
    assert population.shares["sex_age"]["Female 45+"] == pytest.approx(400 / 1700)
    # a band that cuts across members' bands cannot be matched: said, not hidden
    assert population.unmapped == ["sex_age: Female 40-50"]


LOCALITIES = (
    "dimension,category,count,share\n"
    "locality,norwich,600,\n"
    "locality,Great Yarmouth,400,\n"
    "ethnic_group,White,,0.9\n"
    'ethnic_group,"Asian, Asian British or Asian Welsh",,0.1\n'
)


def test_a_population_with_localities_lets_samples_and_reach_match_on_place(staff_client):
    from heard.involvement import services
    from heard.involvement.selectors import Criteria, reach_charts
    from heard.involvement.tests.factories import OpportunityFactory

    _client, user = staff_client()
    for _ in range(20):
        member_with(ethnic_group="white_british", locality="Norwich")
    for _ in range(20):
        member_with(ethnic_group="white_british", locality="Great Yarmouth")
    stored = services.population_upload(actor=user, name="Two towns", text=LOCALITIES)
    population = population_get(str(stored.pk))
    assert population.dimensions == ["locality", "ethnic_group"]
    run = services.sample_draw(
        actor=user,
        opportunity=OpportunityFactory(),
        criteria=Criteria(),
        size=10,
        dimensions=["locality"],
        population_key=str(stored.pk),
        seed=1,
    )
    achieved = {r["stratum"]: r["achieved"] for r in run.strata}
    assert achieved == {"norwich": 6, "Great Yarmouth": 4}
    chart = next(c for c in reach_charts(population) if c.key == "locality")
    assert chart.has_population
    assert {r.category: r.population_share for r in chart.rows} == {
        "norwich": 0.6,
        "Great Yarmouth": 0.4,
    }
