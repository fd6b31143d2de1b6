"""The demo's annual involvement report: the financial year the demo's activities ran in
(the current one: the demo is built around today), with its narrative, approved by the
demo board member and published by the demo engagement officer."""

from typing import Any

from django.utils import timezone

from heard.accounts.models import User
from heard.reports import domain, services
from heard.reports.models import AnnualReport

NARRATIVE = {
    "introduction": (
        "NHS Norfolk and Waveney Integrated Care Board must involve the people who use, or "
        "may use, its services in planning them, in developing and considering proposals "
        "for change, and in the decisions it takes (NHS Act 2006 s.14Z45). This report "
        "explains how we did that this year.\n\nWe kept relationships going all year – "
        "with our members, patient participation groups and reference groups – rather "
        "than starting again for each project."
    ),
    "planning": (
        "We asked people about GP access, cancer care and community nursing before planning "
        "next year's services, and kept everyone informed through the winter newsletter. "
        "What people told us about morning appointments changed how practices release "
        "same-day appointments."
    ),
    "proposals": (
        "The proposal to move the Eastbrook minor injuries unit was developed with the "
        "people it affects: listening events and drop-ins came before the options, and a "
        "twelve-week formal consultation followed. A reference group and a young people's "
        "health panel worked with us on stroke rehabilitation and services for young people."
    ),
    "decisions": (
        "The board took its decision on the minor injuries unit only after considering a "
        "response to every theme people raised. Travel and parking changed the proposal: a "
        "shuttle bus and more parking were added, and outpatient clinics stay at the "
        "cottage hospital."
    ),
    "reach": (
        "Younger adults (18 to 24) answered more than their share of the population, and "
        "people aged 55 to 74 a little less. Among respondents who answered the ethnicity "
        "question, White people were under-represented against the Census, partly because "
        "fewer of them answered it. Next year we will go to older people in Great Yarmouth "
        "and Waveney, where our membership is thinnest, with Healthwatch and local "
        "voluntary groups."
    ),
    "groups": (
        "The Stroke Services Reference Group met through the year, published its minutes and "
        "raised points that went into our insight bank and the stroke rehabilitation work."
    ),
    "next_year": (
        "We will record the limb and principles of every activity from the start, publish "
        "every “you said, we did” within eight weeks of an activity closing, and report "
        "progress on reaching seldom-heard groups to the board each quarter."
    ),
}


def load(out: Any = None) -> dict[str, int]:
    year = domain.financial_year_of(timezone.localdate())
    if AnnualReport.objects.filter(year=year).exists():
        return {}
    officer = User.objects.get(email="officer@demo.heard.example")
    board = User.objects.get(email="board@demo.heard.example")
    report = services.annual_report_create(year=year, actor=officer)
    services.annual_report_narrative_update(report=report, actor=officer, texts=NARRATIVE)
    services.annual_report_approve(
        report=report,
        actor=board,
        approved_on=timezone.localdate(),
        meeting="ICB board meeting in public, item 7",
    )
    services.annual_report_publish(report=report, actor=officer)
    return {"annual involvement reports": 1}
