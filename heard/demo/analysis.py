"""Demo analysis (called by ``manage.py demo_load``, last): queues an analysis of each
free-text question of the demo survey for the task worker, so that demo_load stays fast
(a run of ~2,700 answers takes about 15 seconds). Idempotent: a question that has been
analysed, or is being analysed, is left alone."""

from typing import Any

from heard.accounts.models import User
from heard.analysis.models import AnalysisRun
from heard.analysis.services import analysis_run_start
from heard.engagement.models import Question

DEMO_SURVEY_SLUG = "community-nursing-what-matters-to-you"
DEMO_ANALYST = "analyst@demo.heard.example"  # made by demo_load before the loaders run


def load(out: Any = None) -> dict[str, int]:
    questions = [
        q
        for q in Question.objects.filter(
            version__questionnaire__activity__slug=DEMO_SURVEY_SLUG
        ).order_by("position")
        if q.is_free_text
    ]
    queued = 0
    # Started by the demo's analyst, as a person would start it: the service checks.
    analyst = User.objects.get(email=DEMO_ANALYST)
    for question in questions:
        if AnalysisRun.objects.filter(question=question).exists():
            continue
        analysis_run_start(question=question, actor=analyst)
        queued += 1
    return {"analyses queued for the task worker": queued} if queued else {}
