"""Evidence-rich responses: specific evidence or new information worth an analyst's time.

Transparent rules, each giving a named reason, so an analyst sees why a response was
flagged:

* ``figures``: numbers with units or context (waits, distances, money, percentages, counts,
  dates and times);
* ``lived_experience``: first-person accounts of what happened (I/my/we + past-tense
  events, conditions, relatives cared for);
* ``proposal``: concrete suggestions ("should", "could you", "I suggest", "why not",
  "would be better if", "need more");
* ``specifics``: named services, places, roles, medicines or procedures;
* ``comparison``: comparisons with other services, times or places.

A response is flagged when its score (weighted reasons plus a small length term) reaches
``threshold``; short generic praise ("Excellent care") is not evidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["EvidenceFlag", "evidence_score", "flag_evidence"]

_FIGURES = re.compile(
    r"(?i)(?:\b\d+(?:[.,]\d+)?\s*(?:%|per\s*cent|percent|hours?|hrs?|minutes?|mins?|days?|"
    r"weeks?|months?|years?|yrs?|miles?|km|times|am|pm|pounds?|p\b|mg|ml|beds?|patients?|"
    r"people|staff|nurses|calls?|appointments?|visits?)\b|£\s?\d|\b\d{1,2}[:.]\d{2}\s*(?:am|pm)?\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|"
    r"several|a\s+few|many)\s+(?:hours|days|weeks|months|years|times|miles|calls|appointments|"
    r"visits)\b|\b(?:19|20)\d{2}\b)"
)
_LIVED = re.compile(
    r"(?i)\b(?:i|we|my|our)\s+(?:\w+\s+){0,2}?(?:was|were|had|have\s+been|went|waited|"
    r"arrived|rang|called|phoned|asked|told|needed|tried|got|received|found|felt|spent|"
    r"came|saw|lost|fell|missed|suffer(?:ed)?|live[ds]?|care[ds]?\s+for|diagnosed|admitted|"
    r"discharged|referred|been)\b"
    r"|\b(?:my|our)\s+(?:husband|wife|son|daughter|mum|mother|dad|father|partner|baby|child|"
    r"children|grandson|granddaughter|nan|sister|brother|carer)\b"
    r"|\b(?:as\s+a|being\s+a)\s+(?:carer|parent|disabled|wheelchair|diabetic|deaf|blind|"
    r"patient|mother|father|nurse)\b|\bi\s+(?:am|have)\s+(?:a\s+)?(?:disabled|diabetic|deaf|"
    r"blind|autistic|carer|pregnant|asthma|cancer|dementia|epilep)"
)
_PROPOSAL = re.compile(
    r"(?i)\b(?:should|could\s+(?:you|they|we|there)|i\s+(?:would\s+)?suggest|suggestion|"
    r"recommend\s+that|why\s+not|would\s+be\s+(?:better|good|nice|helpful)\s+(?:if|to)|"
    r"it\s+would\s+help|need(?:s)?\s+(?:more|to|a|an)|please\s+(?:can|could|provide|consider|"
    r"make|give|add|bring|open|stop|keep)|instead\s+of|if\s+only|there\s+(?:should|needs?)\s+be|"
    r"more\s+\w+\s+(?:would|needed)|provide\s+(?:more|a|an)|introduce|install|offer\s+(?:a|an|more)|"
    r"if\s+possible|would\s+(?:like|prefer|love)|i\s+wish|better\s+if|it\s+would\s+be|"
    r"(?:^|\.\s*)(?:more|less|better|fewer|quicker|faster|shorter|longer|earlier|clearer)\s+\w+)\b"
)
_SPECIFIC = re.compile(
    r"(?i)\b(?:a&e|a\s*and\s*e|ward\s*\d+|bay\s*\d+|gp|pharmacy|prescription|parking|"
    r"appointment|referral|discharge|ambulance|x-?ray|scan|mri|ct|blood\s+tests?|operation|"
    r"surgery|physio\w*|medication|medicine|insulin|antibiotics?|paracetamol|morphine|"
    r"interpreter|wheelchair|hearing\s+loop|translation|letter|phone\s+line|website|app|"
    r"waiting\s+list|bus|transport|car\s+park|reception|triage|cancelled|rescheduled)\b"
)
_COMPARISON = re.compile(
    r"(?i)\b(?:compared\s+(?:to|with)|than\s+(?:at|in|the|my|last|before|other)|last\s+time|"
    r"previous(?:ly)?|used\s+to|other\s+hospitals?|elsewhere|before\s+covid|since\s+covid)\b"
)
_WEIGHTS = {
    "figures": 1.0,
    "lived_experience": 0.8,
    "proposal": 1.0,
    "specifics": 0.5,
    "comparison": 0.6,
}
_RULES = {
    "figures": _FIGURES,
    "lived_experience": _LIVED,
    "proposal": _PROPOSAL,
    "specifics": _SPECIFIC,
    "comparison": _COMPARISON,
}


@dataclass(frozen=True, slots=True)
class EvidenceFlag:
    flagged: bool
    score: float
    reasons: list[str]


def evidence_score(text: str) -> tuple[float, list[str]]:
    if not text or not text.strip():
        return 0.0, []
    reasons = [name for name, rule in _RULES.items() if rule.search(text)]
    words = len(text.split())
    length = min(1.0, math.log1p(words) / math.log1p(60))
    score = sum(_WEIGHTS[r] for r in reasons) * (0.4 + 0.6 * length)
    if words < 6:
        score *= 0.5
    return round(score, 3), reasons


def flag_evidence(
    texts: Sequence[str],
    threshold: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> list[EvidenceFlag]:
    """Flag responses carrying specific evidence or new information."""
    out: list[EvidenceFlag] = []
    n = len(texts)
    step = max(1, n // 100)
    for i, t in enumerate(texts):
        score, reasons = evidence_score(t)
        out.append(EvidenceFlag(score >= threshold, score, reasons))
        if progress and (i + 1) % step == 0:
            progress(i + 1, n)
    if progress:
        progress(n, n)
    return out
