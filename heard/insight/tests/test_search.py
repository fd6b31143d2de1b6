"""Full-text search over insights (runs on SQLite FTS5 and PostgreSQL alike)."""

from datetime import date

import pytest

from heard.insight.selectors import InsightFilter, insight_search
from heard.insight.services import insights_delete
from heard.insight.tests.helpers import add_insights
from heard.people.models import Topic

pytestmark = pytest.mark.django_db


def _texts(page):
    return [i.redacted_text for i in page.items]


def test_finds_by_word_with_stemming_and_ranks_best_match_first():
    add_insights(
        [
            "The food on the ward was cold.",
            "Parking at the hospital is a nightmare, parking costs too much and parking is full.",
            "I parked two miles away.",
            "Staff were kind.",
        ]
    )
    page = insight_search(InsightFilter(q="parking"))
    assert page.total == 2  # parked / parking both match (stemmed)
    assert "nightmare" in _texts(page)[0]
    assert "Staff were kind." not in _texts(page)


def test_all_words_must_match_and_phrases_keep_their_order():
    add_insights(["waiting list for knee surgery", "the list of waiting rooms", "knee pain"])
    assert insight_search(InsightFilter(q="knee waiting")).total == 1
    assert insight_search(InsightFilter(q='"waiting list"')).total == 1
    assert insight_search(InsightFilter(q="waiting list")).total == 2


def test_search_syntax_typed_by_users_cannot_break_or_widen_the_search():
    add_insights(["Parking is hard", "Food is cold"])
    for q in ["parking OR food", "NEAR(parking food)", 'text:"parking"', "parking*"]:
        page = insight_search(InsightFilter(q=q))
        assert page.total <= 1


def test_filters_by_date_place_source_topic_and_theme():
    topic, _ = Topic.objects.get_or_create(slug="urgent-care", defaults={"name": "Urgent care"})
    add_insights(["A and E wait was long"], locality="Norwich", occurred_on=date(2025, 1, 5))
    add_insights(
        ["Long wait at the walk-in centre"],
        locality="Waveney",
        source="fft",
        occurred_on=date(2025, 5, 5),
        topic_ids=(topic.pk,),
        themes=("Waiting times",),
    )
    assert insight_search(InsightFilter(q="wait")).total == 2
    assert insight_search(InsightFilter(q="wait", locality="Waveney")).total == 1
    assert insight_search(InsightFilter(q="wait", source="pals")).total == 1
    assert insight_search(InsightFilter(q="wait", topic="urgent-care")).total == 1
    assert insight_search(InsightFilter(q="wait", theme="Waiting times")).total == 1
    assert insight_search(InsightFilter(q="wait", date_from=date(2025, 3, 1))).total == 1
    assert insight_search(InsightFilter(q="wait", date_to=date(2025, 3, 1))).total == 1
    # Filters alone, without words.
    assert insight_search(InsightFilter(locality="Norwich")).total == 1


def test_newest_first_and_pagination():
    for month in range(1, 8):
        add_insights([f"Appointment letter arrived late {month}"], occurred_on=date(2025, month, 1))
    first = insight_search(InsightFilter(q="appointment", order="newest"), per_page=3)
    assert first.total == 7 and first.num_pages == 3 and first.has_next()
    assert [i.occurred_on.month for i in first.items] == [7, 6, 5]
    last = insight_search(InsightFilter(q="appointment", order="newest"), page=3, per_page=3)
    assert [i.occurred_on.month for i in last.items] == [1]


def test_personal_data_is_not_searchable_and_not_shown():
    add_insights(["Please call me on 07700 900123 or email jo.bloggs@example.com about parking"])
    assert insight_search(InsightFilter(q="07700")).total == 0
    assert insight_search(InsightFilter(q="bloggs")).total == 0
    page = insight_search(InsightFilter(q="parking"))
    assert page.total == 1
    assert "07700" not in page.items[0].redacted_text
    assert "[PHONE]" in page.items[0].redacted_text


def test_deleted_insights_leave_the_index():
    made = add_insights(["Pharmacy closed early", "Pharmacy was great"])
    insights_delete(ids=[made[0].pk])
    page = insight_search(InsightFilter(q="pharmacy"))
    assert page.total == 1 and page.items[0].pk == made[1].pk


def test_a_corrected_place_is_found_after_reindexing():
    from heard.insight.models import Insight
    from heard.insight.services import insights_reindex

    made = add_insights(["Ambulance took an hour to arrive"], locality="Breckland")
    Insight.objects.filter(pk=made[0].pk).update(locality="Waveney")
    insights_reindex(ids=[made[0].pk])
    assert insight_search(InsightFilter(q="ambulance", locality="Waveney")).total == 1
    assert insight_search(InsightFilter(q="ambulance", locality="Breckland")).total == 0


def test_a_facet_word_typed_by_a_user_does_not_match_the_filters():
    add_insights(["Pharmacy queue"], locality="Norwich")
    assert insight_search(InsightFilter(q="locnorwich")).total == 0


def test_date_range_includes_both_ends_exactly():
    for day in (date(2025, 3, 14), date(2025, 3, 15), date(2025, 4, 30), date(2025, 5, 1)):
        add_insights([f"Blood test clinic moved {day}"], occurred_on=day)
    page = insight_search(
        InsightFilter(q="blood", date_from=date(2025, 3, 15), date_to=date(2025, 4, 30))
    )
    assert sorted(i.occurred_on.isoformat() for i in page.items) == ["2025-03-15", "2025-04-30"]
    assert insight_search(InsightFilter(q="blood", date_from=date(2025, 4, 1))).total == 2
    assert insight_search(InsightFilter(q="blood", date_to=date(2025, 3, 14))).total == 1
    newest = insight_search(InsightFilter(q="blood", date_from=date(2025, 3, 15), order="newest"))
    assert [i.occurred_on.day for i in newest.items] == [1, 30, 15]


def test_staff_can_delete_an_insight_on_objection(staff_client):
    from django.urls import reverse

    from heard.audit.models import Action, AuditEvent
    from heard.core.roles import Role
    from heard.insight.models import Insight

    made = add_insights(["My neighbour's care at home was dreadful"])
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    url = reverse("insight:delete", args=[made[0].pk])
    assert "Delete insight" in client.get(url).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "has been deleted and removed from search" in page
    assert not Insight.objects.exists()
    assert insight_search(InsightFilter(q="neighbour")).total == 0
    event = AuditEvent.objects.get(action=Action.INSIGHT_DELETED)
    assert "dreadful" not in str(event.before)
    again = client.post(url, follow=True).content.decode()
    assert "already been deleted" in again
