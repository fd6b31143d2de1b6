from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "heard.events"
    label = "events"
    verbose_name = "Events and booking"

    def ready(self) -> None:
        from heard.engagement import hooks
        from heard.events import links_hooks
        from heard.events.history import booking_history
        from heard.people import history

        history.register(booking_history)

        hooks.register_activity_links(links_hooks.staff_links)
        hooks.register_public_activity_actions(links_hooks.public_actions)
