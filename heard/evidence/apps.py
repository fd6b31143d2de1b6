from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "heard.evidence"
    label = "evidence"
    verbose_name = "Evidence packs"

    def ready(self) -> None:
        from heard.evidence import hooks, rules  # noqa: F401
        from heard.proposals import hooks as proposal_hooks

        proposal_hooks.register_links(hooks.links)
