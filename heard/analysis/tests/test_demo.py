import pytest

from heard.analysis.models import AnalysisRun
from heard.analysis.tests.helpers import make_question, texts
from heard.core.roles import Role
from heard.demo import analysis as demo

pytestmark = pytest.mark.django_db


def test_demo_queues_the_survey_analysis_once_for_the_worker(
    django_capture_on_commit_callbacks, make_staff
):
    make_staff(Role.ANALYST, email=demo.DEMO_ANALYST)
    question = make_question(texts(5))
    activity = question.version.questionnaire.activity
    activity.slug = demo.DEMO_SURVEY_SLUG
    activity.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load() == {"analyses queued for the task worker": 1}
    assert AnalysisRun.objects.get().status == "done"  # the immediate backend ran it
    assert demo.load() == {}
    assert AnalysisRun.objects.count() == 1
