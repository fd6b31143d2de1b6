from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "heard.servicechange.lifecycle"
    label = "lifecycle"
    verbose_name = "The lifecycle of a service change"

    def ready(self) -> None:
        from heard.engagement import guards
        from heard.servicechange.lifecycle import services

        guards.register_consequence(services.consultation_opened)
