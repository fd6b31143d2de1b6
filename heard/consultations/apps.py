from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "heard.consultations"
    label = "consultations"
    verbose_name = "Formal consultations"

    def ready(self) -> None:
        from heard.consultations import rules  # noqa: F401
