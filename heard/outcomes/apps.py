from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "heard.outcomes"
    label = "outcomes"
    verbose_name = "Conscientious consideration, decisions and outcome reports"

    def ready(self) -> None:
        from heard.outcomes import rules  # noqa: F401
