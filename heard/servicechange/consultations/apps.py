from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "heard.servicechange.consultations"
    label = "consultations"
    verbose_name = "Formal consultations"

    def ready(self) -> None:
        from heard.engagement import guards
        from heard.servicechange.consultations import rules  # noqa: F401
        from heard.servicechange.consultations.guard import gunning_guard

        guards.register(gunning_guard)
