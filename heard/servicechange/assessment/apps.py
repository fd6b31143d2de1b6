from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "heard.servicechange.assessment"
    label = "assessment"
    verbose_name = "Options appraisal, significance and assurance"

    def ready(self) -> None:
        from heard.servicechange.assessment import (
            rules,  # noqa: F401
            selectors,
        )
        from heard.servicechange.proposals import hooks

        hooks.register_facts(selectors.facts)
        hooks.register_timeline(selectors.timeline)
        hooks.register_links(selectors.links)
