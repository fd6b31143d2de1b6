from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "heard.groups"
    label = "groups"
    verbose_name = "Standing groups"

    def ready(self) -> None:
        from heard.groups import personal_data as groups_personal_data
        from heard.groups import receivers, rules  # noqa: F401
        from heard.insight import coverage_hooks
        from heard.people import history, personal_data

        coverage_hooks.register(receivers.meetings_held)
        history.register(receivers.member_history)
        personal_data.register(
            "standing_groups",
            export=groups_personal_data.terms_export,
            erase=groups_personal_data.terms_erase_for,
        )
