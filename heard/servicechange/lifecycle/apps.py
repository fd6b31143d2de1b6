from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "heard.servicechange.lifecycle"
    label = "lifecycle"
    verbose_name = "The lifecycle of a service change"

    def ready(self) -> None:
        from heard.engagement import guards, hooks
        from heard.servicechange.lifecycle import selectors, services

        guards.register_consequence(services.consultation_opened)
        hooks.register_public_activity_related(selectors.activity_related)
