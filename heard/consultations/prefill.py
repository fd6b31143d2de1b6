"""First drafts of the consultation document, from what the proposal and its assessment
already record. Staff edit every section before publishing; nothing here is published
as it stands."""

from typing import Any

from heard.assessment import selectors as assessment


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

    reasons: list[str] = []
    summary = assessment.appraisal_summary(proposal)
    if summary is not None:
        reasons.append(summary.verdict)
        reasons.append(summary.method)
        if summary.weights_agreed_by:
            reasons.append(
                f"The criteria and weights were agreed with {summary.weights_agreed_by}."
            )
    if reasons:
        drafts["reasons"] = "\n\n".join(r for r in reasons if r)

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
