from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "heard.people"
    label = "people"
    verbose_name = "People and communities"

    def ready(self) -> None:
        from heard.core.jobs import register_cleaner, register_sweeper
        from heard.people.services.imports import import_sweep, imports_cleanup

        register_sweeper("people imports", import_sweep)
        register_cleaner("people imports", lambda days: imports_cleanup(keep_days=days))
