from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "heard.groups"
    label = "groups"
    verbose_name = "Standing groups"

    def ready(self) -> None:
        from heard.groups import receivers, rules  # noqa: F401
        from heard.insight import coverage_hooks
        from heard.people import history

        coverage_hooks.register(receivers.meetings_held)
        history.register(receivers.member_history)
