from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "heard.exports"
    label = "exports"
    verbose_name = "Exports"

    def ready(self) -> None:
        from heard.analysis import hooks as analysis_hooks
        from heard.engagement import hooks as engagement_hooks
        from heard.exports import hooks, rules  # noqa: F401

        engagement_hooks.register_activity_links(hooks.activity_links)
        analysis_hooks.register_question_links(hooks.question_links)
