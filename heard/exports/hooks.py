"""What exports add to an activity's staff page and a question's analysis page."""

from typing import Any

from django.urls import reverse

from heard.engagement.hooks import ActivityLink


def activity_links(activity: Any, user: Any) -> list[ActivityLink]:
    if not user.has_perm("exports.view_exports"):
        return []
    if user.has_perm("exports.export_responses"):
        title, summary = "Export responses and results", "CSV, Excel or JSON; open data"
    else:
        title, summary = "Export results and open data", ""
    return [
        ActivityLink(
            title=title, url=reverse("exports:activity", args=[activity.pk]), summary=summary
        )
    ]


def question_links(question: Any, user: Any) -> list[ActivityLink]:
    if not user.has_perm("exports.export_analysis"):
        return []
    return [
        ActivityLink(
            title="Export the themes and codings",
            url=reverse("exports:question", args=[question.pk]),
            summary="CSV, Excel or JSON",
        )
    ]
