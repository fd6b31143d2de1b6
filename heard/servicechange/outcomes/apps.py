from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "heard.servicechange.outcomes"
    label = "outcomes"
    verbose_name = "Conscientious consideration, decisions and outcome reports"

    def ready(self) -> None:
        from heard.engagement import guards as engagement_guards
        from heard.engagement import hooks as engagement_hooks
        from heard.servicechange.outcomes import hooks, rules  # noqa: F401

        engagement_guards.register(hooks.feedback_guard)
        engagement_hooks.register_feedback_publication(hooks.feedback_publication)
