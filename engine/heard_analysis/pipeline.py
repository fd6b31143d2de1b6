"""All row-level stages in one pass: redaction, duplicates, sentiment, evidence and
(optionally) theme assignment with a trained classifier."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from heard_analysis.classify import Assignment, ThemeClassifier
from heard_analysis.duplicates import DuplicateResult, find_duplicates
from heard_analysis.evidence import EvidenceFlag, flag_evidence
from heard_analysis.redact import redact_many
from heard_analysis.sentiment import Sentiment, sentiment

__all__ = ["PipelineResult", "run_pipeline"]


@dataclass(slots=True)
class PipelineResult:
    redacted: list[str]
    duplicates: DuplicateResult
    sentiments: list[Sentiment]
    evidence: list[EvidenceFlag]
    assignments: list[Assignment] | None


def run_pipeline(
    texts: Sequence[str],
    classifier: ThemeClassifier | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PipelineResult:
    """Redact first; every later stage sees only the redacted text."""
    n = len(texts)
    stages = 5 if classifier is not None else 4
    total = n * stages

    def stage(k: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        report = progress
        return lambda done, _tot: report(k * n + done, total)

    redacted = redact_many(texts, progress=stage(0))
    dups = find_duplicates(redacted, progress=stage(1))
    sents = sentiment(redacted, progress=stage(2))
    evidence = flag_evidence(redacted, progress=stage(3))
    assignments = classifier.predict(redacted, progress=stage(4)) if classifier else None
    if progress:
        progress(total, total)
    return PipelineResult(redacted, dups, sents, evidence, assignments)
