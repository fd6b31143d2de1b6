from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "heard.servicechange.evidence"
    label = "evidence"
    verbose_name = "Evidence packs"

    def ready(self) -> None:
        from heard.servicechange.evidence import hooks, rules  # noqa: F401
        from heard.servicechange.proposals import hooks as proposal_hooks

        proposal_hooks.register_links(hooks.links)
