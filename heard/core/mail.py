"""Sending email: rendered from templates, sent only after the transaction commits.

Use this instead of ``django.core.mail.send_mail`` (ruff bans it): a message about a
change must never go out for a change that then rolls back.
"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string


def render_plain(template_name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered with autoescaping off.

    A text/plain body is not HTML: escaping it turned "O'Brien" into "O&#x27;Brien" and
    "Fish & chips" into "Fish &amp; chips". (No request: context processors never ran for
    mail, so a plain Context gives the same variables.)
    """
    template: Any = get_template(template_name)
    return str(template.template.render(Context(context, autoescape=False)))


def mail_render(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Build a message from ``<template>_subject.txt``, ``<template>.txt`` and, if present,
    ``<template>.html``. The subject and the text body are rendered without HTML
    escaping (render_plain); the HTML part is escaped as usual.

    Never put text a member of the public wrote (a name, an answer) in mail to an
    address nobody has confirmed yet: anyone could make us send their words to anyone.
    """
    ctx = {
        "site_name": settings.HEARD_SITE_NAME,
        "organisation_name": settings.HEARD_ORGANISATION_NAME,
        "contact_email": settings.HEARD_CONTACT_EMAIL,
        **context,
    }
    subject = " ".join(render_plain(f"{template}_subject.txt", ctx).split())
    body = render_plain(f"{template}.txt", ctx)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers=headers or {},
    )
    try:
        html = render_to_string(f"{template}.html", ctx)
    except TemplateDoesNotExist:
        return message  # the HTML part is optional
    message.attach_alternative(html, "text/html")
    return message


def mail_send_on_commit(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    """Queue a templated message to be sent when the current transaction commits."""
    message = mail_render(to=to, template=template, context=context, headers=headers)
    transaction.on_commit(message.send)
