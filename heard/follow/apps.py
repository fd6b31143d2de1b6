from django.apps import AppConfig


class FollowConfig(AppConfig):
    name = "heard.follow"
    label = "follow"
    verbose_name = "Follow and be told"

    def ready(self) -> None:
        from heard.follow import sections
        from heard.proposals import hooks

        hooks.register_public_sections(sections.proposal_follow_section)
