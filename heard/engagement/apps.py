from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "heard.engagement"
    label = "engagement"
    verbose_name = "Engagement activities"

    def ready(self) -> None:
        from heard.core.jobs import register_cleaner, register_sweeper
        from heard.engagement import personal_data as engagement_personal_data
        from heard.engagement.services_response_imports import (
            response_import_sweep,
            response_imports_cleanup,
        )
        from heard.people import personal_data

        register_sweeper("response imports", response_import_sweep)
        register_cleaner("response imports", lambda days: response_imports_cleanup(keep_days=days))
        personal_data.register(
            "responses",
            export=engagement_personal_data.responses_export,
            erase=engagement_personal_data.responses_erase_for,
        )
        personal_data.register(
            "requests",
            export=engagement_personal_data.requests_export,
            erase=engagement_personal_data.requests_erase_for,
        )
