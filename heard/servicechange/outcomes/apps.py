from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "heard.servicechange.outcomes"
    label = "outcomes"
    verbose_name = "Conscientious consideration, decisions and outcome reports"

    def ready(self) -> None:
        from heard.servicechange.outcomes import hooks, rules  # noqa: F401
        from heard.servicechange.proposals import hooks as proposal_hooks

        proposal_hooks.register_facts(hooks.facts)
        proposal_hooks.register_timeline(hooks.timeline)
        proposal_hooks.register_links(hooks.links)
        proposal_hooks.register_public_sections(hooks.public_sections)

        from heard.engagement import guards as engagement_guards
        from heard.engagement import hooks as engagement_hooks

        engagement_guards.register(hooks.feedback_guard)
        engagement_hooks.register_feedback_publication(hooks.feedback_publication)
