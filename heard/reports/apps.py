from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "heard.reports"
    label = "reports"
    verbose_name = "Annual involvement reports"

    def ready(self) -> None:
        from heard.reports import rules  # noqa: F401
