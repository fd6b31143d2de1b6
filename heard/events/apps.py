from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "heard.events"
    label = "events"
    verbose_name = "Events and booking"

    def ready(self) -> None:
        from heard.engagement import hooks
        from heard.events import links_hooks
        from heard.events import personal_data as events_personal_data
        from heard.events.history import booking_history
        from heard.people import history, personal_data

        history.register(booking_history)
        personal_data.register(
            "event_bookings",
            export=events_personal_data.bookings_export,
            erase=events_personal_data.bookings_erase_for,
        )

        hooks.register_activity_links(links_hooks.staff_links)
        hooks.register_public_activity_actions(links_hooks.public_actions)
