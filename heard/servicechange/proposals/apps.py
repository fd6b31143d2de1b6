from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "heard.servicechange.proposals"
    label = "proposals"
    verbose_name = "Proposals for service change"

    def ready(self) -> None:
        from heard.servicechange.proposals import rules  # noqa: F401
