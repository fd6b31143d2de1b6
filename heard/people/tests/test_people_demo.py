"""The people demo data: realistic, skewed, and safe to load twice."""

from collections import Counter

import pytest

from heard.audit.models import Action, AuditEvent
from heard.demo import people as demo
from heard.people.models import EqualityMonitoring, Group, GroupMembership, Member


@pytest.mark.django_db
def test_demo_loads_skewed_members_and_groups_once():
    made = demo.load()
    assert made["members"] == 2000 and made["groups"] == 30
    assert demo.load() == {}  # idempotent
    assert Member.objects.count() == 2000
    assert AuditEvent.objects.filter(action=Action.DEMO_LOADED).count() == 1

    localities = Counter(Member.objects.values_list("locality", flat=True))
    assert localities.most_common(1)[0][0] == "Norwich"
    assert localities["Norwich"] > 2 * localities["Great Yarmouth"]

    answered = EqualityMonitoring.objects.count()
    assert 0.6 < answered / 2000 < 0.8
    sexes = Counter(EqualityMonitoring.objects.values_list("sex", flat=True))
    assert sexes["female"] > 1.3 * sexes["male"]
    ages = Counter(EqualityMonitoring.objects.values_list("age_band", flat=True))
    assert ages["65_74"] > 3 * ages["18_24"]
    assert ages["prefer_not_to_say"] > 0
    ethnic = Counter(EqualityMonitoring.objects.values_list("ethnic_group", flat=True))
    assert ethnic["white_british"] / answered > 0.8
    assert sum(n for code, n in ethnic.items() if code.startswith(("asian", "black"))) > 0

    kinds = Counter(Group.objects.values_list("kind", flat=True))
    assert kinds["ppg"] >= 10 and kinds["stakeholder"] >= 10
    osc = Group.objects.get(name="Norfolk Health Overview and Scrutiny Committee")
    assert (osc.interest, osc.influence) == (5, 5)
    assert GroupMembership.objects.filter(role="chair", group__kind="ppg").count() >= 10
