from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "heard.insight"
    label = "insight"
    verbose_name = "Insight bank"

    def ready(self) -> None:
        from heard.engagement import hooks
        from heard.insight import receivers, rules  # noqa: F401

        hooks.on_response_submitted(receivers.response_submitted)
        hooks.on_responses_bulk_created(receivers.responses_bulk_created)
