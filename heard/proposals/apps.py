from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "heard.proposals"
    label = "proposals"
    verbose_name = "Proposals for service change"

    def ready(self) -> None:
        from heard.proposals import rules  # noqa: F401
