"""The report as a document: one template (``reports/_body.html``) for the staff page,
the public page and the tagged PDF (``heard.core.pdf``), and the CSV annex of the same
figures."""

import csv
import hashlib
import io
import json
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from heard.core.pdf import html_to_pdf
from heard.reports import domain


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def content_sha256(narrative: dict[str, str], figures: dict[str, Any]) -> str:
    """What the board approved: the narrative and the figures, canonically."""
    return sha256(json.dumps({"narrative": narrative, "figures": figures}, sort_keys=True))


def context(
    *, narrative: dict[str, str], figures: dict[str, Any], meta: dict[str, Any]
) -> dict[str, Any]:
    sections = [
        {"key": key, "heading": heading, "text": narrative.get(key, "")}
        for key, heading, _ in domain.SECTIONS
    ]
    return {
        "narrative": {s["key"]: s for s in sections},
        "f": figures,
        "limbs": {limb["key"]: limb for limb in figures["limbs"]},
        "meta": {"organisation": settings.HEARD_ORGANISATION_NAME, **meta},
    }


def body_html(ctx: dict[str, Any]) -> str:
    return render_to_string("reports/_body.html", ctx)


def document_html(ctx: dict[str, Any]) -> str:
    return render_to_string("reports/document.html", ctx)


def pdf(html: str) -> bytes:
    return html_to_pdf(html)


_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(_DANGEROUS) else text


def annex_csv(figures: dict[str, Any]) -> str:
    """Every figure of the report, one a line: section, item, measure, figure as printed
    (suppressed figures as their label, never their value) and where it came from."""
    src = {k: v["text"] for k, v in figures["sources"].items()}
    rows: list[list[Any]] = [["section", "item", "measure", "figure", "source"]]
    add = rows.append
    add(["Period", figures["label"], "from", figures["start"], ""])
    add(["Period", figures["label"], "to", figures["end"], ""])
    add(["Period", figures["label"], "figures as at", figures["as_at"], ""])
    total_source = {"publications": "changes", "meetings": "groups"}
    for key, value in figures["totals"].items():
        add(["Totals", "", key, value, src.get(total_source.get(key, key), src["activities"])])
    for row in figures["spectrum"]:
        add(["Spectrum", "All activities", row["label"], row["activities"], src["activities"]])
    for limb in figures["limbs"]:
        name = limb["label"]
        add([name, "", "activities", limb["activity_count"], src["activities"]])
        add([name, "", "responses", limb["responses"], src["responses"]])
        for row in limb["by_level"]:
            add([name, "Spectrum", row["label"], row["activities"], src["activities"]])
        for g in limb["audiences"]:
            add([name, "With whom", "group", g, src["activities"]])
        for place in limb["places"]:
            add([name, "With whom", "place", place, src["activities"]])
        for a in limb["activities"]:
            add(
                [
                    name,
                    a["title"],
                    f"responses ({a['level_label']})",
                    a["responses"],
                    src["responses"],
                ]
            )
        for p in limb["proposals"]:
            add([name, p["title"], "proposal stage", p["status_label"], src["proposals"]])
        for d in limb["decisions"]:
            add([name, d["title"], "decided on", d["decided_on"], src["decisions"]])
            for c in d["changed"]:
                add(
                    [
                        name,
                        d["title"],
                        f"themes changed the recommendation: {c['label']}",
                        c["themes"],
                        src["decisions"],
                    ]
                )
        for c in limb["changes"]:
            add([name, c["title"], "you said, we did published", c["published_on"], src["changes"]])
    for a in figures["unmapped"]:
        add(["No limb recorded", a["title"], "responses", a["responses"], src["activities"]])
    for c in figures["consultations"]:
        add(["Consultations", c["title"], "responses", c["responses"], src["consultations"]])
        add(
            [
                "Consultations",
                c["title"],
                "decided on",
                c["decided_on"] or "not yet",
                src["consultations"],
            ]
        )
    for g in figures["groups"]:
        for measure in ("meetings", "minutes_published", "decisions", "heard"):
            add(["Groups", g["name"], measure.replace("_", " "), g[measure], src["groups"]])
    for row in figures["reach"]["by_channel"]:
        add(["Reach", "Responses by channel", row["label"], row["figure"], src["responses"]])
    for row in figures["reach"]["members_by_place"]["rows"]:
        add(["Reach", "Members by locality", row["label"], row["figure"], src["reach"]])
    for table in figures["equality"]:
        add(["Equality", table["title"], "answered", table["answered"], src["equality"]])
        for row in table["rows"]:
            add(["Equality", table["title"], row["label"], row["figure"], src["equality"]])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
