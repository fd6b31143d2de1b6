from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "heard.involvement"
    label = "involvement"
    verbose_name = "Involvement opportunities"

    def ready(self) -> None:
        from heard.involvement.history import invitation_history
        from heard.people import history

        history.register(invitation_history)
