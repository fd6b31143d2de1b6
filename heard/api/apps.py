from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "heard.api"
    label = "api"
    verbose_name = "HTTP API"

    def ready(self) -> None:
        from heard.api import rules  # noqa: F401
