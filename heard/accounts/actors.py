"""The type of the person a service acts for: a signed-in user, or nobody signed in
(what ``request.user`` is). Services take ``actor: Actor`` and check the permission
themselves (``heard.core.actors.require``), so an anonymous caller is refused there."""

from django.contrib.auth.models import AnonymousUser

from heard.accounts.models import User

Actor = User | AnonymousUser

__all__ = ["Actor", "User"]
