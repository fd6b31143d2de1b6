from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "heard.insight"
    label = "insight"
    verbose_name = "Insight bank"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from heard.engagement import hooks
        from heard.insight import receivers, rules  # noqa: F401
        from heard.insight.models import Insight

        hooks.on_response_submitted(
            receivers.response_submitted, deferred=receivers.response_submitted_later
        )
        post_delete.connect(receivers.insight_deleted, sender=Insight)
        hooks.on_responses_bulk_created(receivers.responses_bulk_created)

        from django.conf import settings

        from heard.core.jobs import (
            register_cleaner,
            register_drain,
            register_periodic,
            register_sweeper,
        )
        from heard.insight.services import insight_import_sweep, insight_imports_cleanup

        register_sweeper("insight imports", insight_import_sweep)
        # The owed queue of online responses, drained by heard_worker (ADR 11).
        register_drain("insights owed", receivers.insights_drain, batch=receivers.batch_size)
        # What a task lost with a killed worker owed: made by heard_clock every few minutes.
        register_periodic(
            "insight catch-up",
            lambda: float(getattr(settings, "HEARD_INSIGHT_CATCH_UP_MINUTES", 5)),
            receivers.insights_catch_up,
        )
        register_cleaner("insight imports", lambda days: insight_imports_cleanup(keep_days=days))
