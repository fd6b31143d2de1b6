from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "heard.servicechange.consultations"
    label = "consultations"
    verbose_name = "Formal consultations"

    def ready(self) -> None:
        from heard.engagement import guards
        from heard.servicechange.consultations import (
            proposal_hooks,
            rules,  # noqa: F401
        )
        from heard.servicechange.consultations.guard import gunning_guard
        from heard.servicechange.proposals import hooks

        guards.register(gunning_guard)
        hooks.register_facts(proposal_hooks.facts)
        hooks.register_timeline(proposal_hooks.timeline)
        hooks.register_links(proposal_hooks.links)
        hooks.register_public_sections(proposal_hooks.public_sections)
