from django.apps import AppConfig


class FollowConfig(AppConfig):
    name = "heard.servicechange.follow"
    label = "follow"
    verbose_name = "Follow and be told"

    def ready(self) -> None:
        from heard.people import personal_data
        from heard.servicechange.follow import personal_data as follow_personal_data

        personal_data.register(
            "follows",
            export=follow_personal_data.follows_export,
            erase=follow_personal_data.follows_erase_for,
        )
