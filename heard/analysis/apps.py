from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "heard.analysis"
    label = "analysis"
    verbose_name = "Analysis of responses"

    def ready(self) -> None:
        from heard.analysis import rules  # noqa: F401
