from heard.core.roles import Role
from heard.core.testing import ALL_STAFF, Access

VIEW = {
    Role.ADMINISTRATOR,
    Role.ENGAGEMENT_OFFICER,
    Role.ANALYST,
    Role.PROGRAMME_LEAD,
    Role.DECISION_MAKER,
}
IMPORT = {Role.ADMINISTRATOR, Role.ENGAGEMENT_OFFICER, Role.ANALYST}


def _insight() -> dict[str, int]:
    from heard.insight.tests.helpers import add_insights

    return {"pk": add_insights(["The car park is always full."])[0].pk}


def _batch() -> dict[str, int]:
    from heard.insight.models import InsightImport

    batch = InsightImport.objects.create(
        filename="pals.csv", file_sha256="0" * 64, default_source="pals", status="done"
    )
    return {"pk": batch.pk}


def _topic() -> dict[str, str]:
    from heard.people.models import Topic

    Topic.objects.get_or_create(slug="maternity", defaults={"name": "Maternity"})
    return {"slug": "maternity"}


EXPECTED = {
    "insight:search": Access(VIEW),
    "insight:detail": Access(VIEW, kwargs=_insight),
    "insight:delete": Access(IMPORT, kwargs=_insight),
    "insight:saved_create": Access(VIEW, method="post", data={"name": "Parking", "q": "parking"}),
    "insight:saved_delete": Access(VIEW, method="post", data={"saved": "1"}),
    "insight:imports": Access(IMPORT),
    "insight:import_detail": Access(IMPORT, kwargs=_batch),
    "insight:import_status": Access(IMPORT, kwargs=_batch),
    "insight:import_rejected": Access(IMPORT, kwargs=_batch),
    "insight:import_cancel": Access(IMPORT, kwargs=_batch, method="post"),
    "insight:import_delete": Access(IMPORT, kwargs=_batch, method="post"),
    "insight:know_index": Access(VIEW),
    "insight:know_topic": Access(VIEW, kwargs=_topic),
    "insight:know_place": Access(VIEW, kwargs=lambda: {"locality": "Norwich"}),
    # Aggregate counts only, no quotes: the scrutiny reader may see it too.
    "insight:coverage": Access(ALL_STAFF),
}
