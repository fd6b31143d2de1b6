"""Links apps above analysis add to a question's analysis page (registered in their
``AppConfig.ready``; exports adds "Export the themes and codings")."""

from collections.abc import Callable
from typing import Any

from heard.engagement.hooks import ActivityLink

QuestionLinksProvider = Callable[[Any, Any], list[ActivityLink]]
_question_links: list[QuestionLinksProvider] = []


def register_question_links(provider: QuestionLinksProvider) -> None:
    if provider not in _question_links:
        _question_links.append(provider)


def question_links(question: Any, user: Any) -> list[ActivityLink]:
    return [link for provider in _question_links for link in provider(question, user)]
