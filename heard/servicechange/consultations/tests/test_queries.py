"""How much the Gunning panel and the staff page cost (a guard against creeping queries)."""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heard.core.roles import Role
from heard.servicechange.consultations import selectors
from heard.servicechange.consultations.tests.helpers import passing_consultation

pytestmark = pytest.mark.django_db


def test_panel_and_detail_page_queries(staff_client, capsys):
    consultation = passing_consultation()
    consultation = type(consultation).objects.get(pk=consultation.pk)
    with CaptureQueriesContext(connection) as panel_queries:
        panel = selectors.gunning_panel(consultation)
    panel_count = len(panel_queries)  # read now: each request empties the query log
    assert len(panel) == 11  # Gunning, assurance, scrutiny, EqIA, the three checkpoints
    client, _ = staff_client(Role.ENGAGEMENT_OFFICER)
    url = reverse("consultations:detail", kwargs={"pk": consultation.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as page_queries:
        assert client.get(url).status_code == 200
    page_count = len(page_queries)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    with capsys.disabled():
        print(
            f"\npanel: {panel_count} queries; detail page: {page_count} queries, "
            f"median {statistics.median(times) * 1000:.1f} ms over 20 requests"
        )
    # 23: reg. 23 reads the letters sent to the committee as well as its councils; the
    # EqIA's rows are read to say whether every characteristic was considered; + the
    # sign-offs, the latest version, the mid-point reviews; 27: + the options appraisal's
    # options, criteria, panels and scores (is it finished? "Sufficient reasons" says);
    # 28: + the closed involvement activities among the proposal's own facts.
    assert 0 < panel_count <= 28
    # 39: the page also shows the letters sent and the committee's response (reg. 23),
    # the three checkpoint reads, and the EqIA's rows.
    # 45: + the involvement fact, as on the panel.
    assert 0 < page_count <= 45
