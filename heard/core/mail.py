"""Sending email: rendered from templates, sent only after the transaction commits.

Use this instead of ``django.core.mail.send_mail`` (ruff bans it): a message about a
change must never go out for a change that then rolls back.
"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def mail_render(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Build a message from ``<template>_subject.txt``, ``<template>.txt`` and, if present,
    ``<template>.html``."""
    ctx = {
        "site_name": settings.HEARD_SITE_NAME,
        "organisation_name": settings.HEARD_ORGANISATION_NAME,
        "contact_email": settings.HEARD_CONTACT_EMAIL,
        **context,
    }
    subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
    body = render_to_string(f"{template}.txt", ctx)
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
