"""First drafts of the consultation document, from what the proposal and its assessment
already record. Staff edit every section before publishing; nothing here is published
as it stands."""

from typing import Any

from heard.servicechange.assessment import selectors as assessment


def preferred(proposal: Any) -> str:
    options = assessment.options_for(proposal)
    chosen = [o.title for o in options if o.is_preferred]
    return chosen[0] if chosen else ""


def _option_line(option: Any) -> str:
    text = f"- {option.title}"
    if option.is_do_nothing:
        text += " (doing nothing)"
    if option.is_preferred:
        text += " (our preferred option)"
    if option.description:
        text += f": {option.description.strip()}"
    return text


def _in_sentence(name: str) -> str:
    """A criterion's name inside a sentence: "Travel time" -> "travel time", "GP access"
    stays as it is."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def plain_reasons(summary: Any) -> str:
    """Why we prefer an option, written for the public from the options appraisal: what
    we compared the options on, which came out best, and whether that result depended on
    how much each thing counted – not the appraisal's own working."""
    criteria = [c.name for c, _share in sorted(summary.criteria, key=lambda cw: -cw[1])]
    top = [o.title for o in summary.top]
    paragraphs = []
    who = f" with {summary.weights_agreed_by}" if summary.weights_agreed_by else ""
    paragraphs.append(
        f"We compared the options on what matters most, agreed{who}: "
        f"{_and([_in_sentence(c) for c in criteria])}."
        if criteria
        else "We compared the options against what matters most to patients and staff."
    )
    if len(top) == 1:
        paragraphs.append(f"{top[0]} came out best overall.")
    elif top:
        paragraphs.append(f"{_and(top)} came out equally best overall.")
    if summary.top_robust:
        paragraphs.append(
            "We checked whether this depended on how much each of these things counted: "
            "it did not. Giving any one of them a fifth more or less weight would not "
            "change which option came out best."
        )
    else:
        paragraphs.append(
            "The result is close: giving some of these things more or less weight would "
            "change which option comes out best. We want to hear what you think matters "
            "most."
        )
    return "\n\n".join(paragraphs)


def sections(proposal: Any) -> dict[str, str]:
    """Drafts by section key (see gunning.SECTIONS); a section with nothing known is ''."""
    drafts: dict[str, str] = {}
    parts = [proposal.description.strip()]
    if proposal.services.strip():
        parts.append(f"Services: {proposal.services.strip()}")
    if proposal.localities:
        parts.append("Places: " + ", ".join(proposal.localities))
    if proposal.people_affected:
        parts.append(f"About {proposal.people_affected:,} people would be affected.")
    drafts["proposal"] = "\n\n".join(p for p in parts if p)

    options = assessment.options_for(proposal)
    kept = [o for o in options if not o.set_aside]
    if kept:
        drafts["options"] = "\n".join(_option_line(o) for o in kept)
    set_aside = [o for o in options if o.set_aside]
    if set_aside:
        drafts["alternatives"] = "\n".join(
            f"- {o.title}: {o.set_aside_reason.strip() or '(reason to be written)'}"
            for o in set_aside
        )
    costs = [f"- {o.title}: {o.estimated_cost}" for o in options if o.estimated_cost]
    if costs:
        drafts["costs"] = "\n".join(costs)

    summary = assessment.appraisal_summary(proposal)
    if summary is not None:
        drafts["reasons"] = plain_reasons(summary)

    view = assessment.significance_for(proposal)
    if view is not None:
        lines = [view.determination]
        for area in view.areas:
            line = f"- {area.get_area_display()}: {area.get_impact_display()}"
            if area.who_affected:
                line += f" – {area.who_affected.strip()}"
            lines.append(line)
        drafts["impacts"] = "\n".join(lines)

    eqia = assessment.eqia_for(proposal)
    if eqia is not None:
        drafts["eqia"] = (
            f"Our equality impact assessment, \u201c{eqia.title}\u201d, looks at how the "
            "options would affect people with protected characteristics and other groups "
            "who experience health inequalities."
        )
    return drafts
