"""All row-level stages in one pass: redaction, duplicates, sentiment, evidence and
(optionally) theme assignment with a trained classifier.

Redaction comes first; every later stage sees only the redacted text. The row-local
stages (redaction, sentiment, evidence) run on chunks spread over ``n_jobs`` processes;
duplicates need every response at once and run in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from joblib import Parallel, delayed

from heard_analysis.classify import Assignment, ThemeClassifier
from heard_analysis.duplicates import DuplicateResult, find_duplicates
from heard_analysis.evidence import EvidenceFlag, flag_evidence
from heard_analysis.redact import redact_many
from heard_analysis.sentiment import Sentiment, sentiment

__all__ = ["PipelineResult", "run_pipeline"]

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class PipelineResult:
    redacted: list[str]
    duplicates: DuplicateResult
    sentiments: list[Sentiment]
    evidence: list[EvidenceFlag]
    assignments: list[Assignment] | None


def _row_stages(texts: list[str]) -> tuple[list[str], list[Sentiment], list[EvidenceFlag]]:
    red = redact_many(texts)
    return red, sentiment(red), flag_evidence(red)


def run_pipeline(
    texts: Sequence[str],
    classifier: ThemeClassifier | None = None,
    progress: Progress | None = None,
    n_jobs: int = 2,
    chunk_size: int = 25_000,
) -> PipelineResult:
    """Run every row-level stage; ``progress(done, total)`` counts response-stages."""
    n = len(texts)
    stages = 3 if classifier is not None else 2
    total = max(1, n * stages)

    def report(done: int) -> None:
        if progress is not None:
            progress(min(done, total), total)

    report(0)
    chunks = [list(texts[i : i + chunk_size]) for i in range(0, n, chunk_size)]
    redacted: list[str] = []
    sents: list[Sentiment] = []
    evidence: list[EvidenceFlag] = []
    if n_jobs > 1 and len(chunks) > 1:
        results = Parallel(n_jobs=n_jobs, backend="loky", return_as="generator")(
            delayed(_row_stages)(c) for c in chunks
        )
    else:
        results = (_row_stages(c) for c in chunks)
    for red, sen, evi in results:
        redacted += red
        sents += sen
        evidence += evi
        report(len(redacted))
    dups = find_duplicates(redacted)
    report(2 * n)
    assignments = None
    if classifier is not None:
        classifier.n_jobs = n_jobs
        assignments = classifier.predict(
            redacted, progress=lambda done, _t: report(2 * n + done) if progress else None
        )
    report(total)
    return PipelineResult(redacted, dups, sents, evidence, assignments)
