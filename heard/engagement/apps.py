from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "heard.engagement"
    label = "engagement"
    verbose_name = "Engagement activities"

    def ready(self) -> None:
        from heard.core.jobs import register_cleaner, register_sweeper
        from heard.engagement.services_response_imports import (
            response_import_sweep,
            response_imports_cleanup,
        )

        register_sweeper("response imports", response_import_sweep)
        register_cleaner("response imports", lambda days: response_imports_cleanup(keep_days=days))
