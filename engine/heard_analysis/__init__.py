"""Heard's analysis engine: a plain Python package (no Django) for consultation responses.

Pure functions on lists of strings, returning dataclasses:

>>> from heard_analysis import redact
>>> redact("Call Sarah on 07700 900123")
'Call [NAME] on [PHONE]'

* ``redact(text)`` / ``redact_many(texts)`` / ``find_pii(text)``: personal data -> [NAME],
  [PHONE], [EMAIL], [NHS_NUMBER], [POSTCODE], [URL], [DOB].
* ``find_duplicates(texts) -> DuplicateResult``: identical and near-identical responses,
  campaign groups with their size and template text; nothing is dropped.
* ``sentiment(texts) -> list[Sentiment]``: negative / neutral / positive, score -1..1.
* ``discover_themes(texts, n_themes=None, seed=0) -> Codeframe``: proposed codeframe.
* ``train_classifier(texts, labels) -> ThemeClassifier``: ``.predict(texts)`` gives an
  ``Assignment`` per text (themes, confidence per theme, needs_review);
  ``.suggest_next(texts, k)`` proposes what to code next.
* ``flag_evidence(texts) -> list[EvidenceFlag]``: responses with figures, lived
  experience, concrete proposals.
* ``run_pipeline(texts, classifier=None) -> PipelineResult``: all row-level stages.

Long-running functions take ``progress=callable(done, total)``.
"""

from heard_analysis.classify import Assignment, ThemeClassifier, train_classifier
from heard_analysis.duplicates import DuplicateGroup, DuplicateResult, find_duplicates
from heard_analysis.evidence import EvidenceFlag, flag_evidence
from heard_analysis.pipeline import PipelineResult, run_pipeline
from heard_analysis.redact import PiiSpan, find_pii, redact, redact_many
from heard_analysis.sentiment import Sentiment, sentiment
from heard_analysis.themes import Codeframe, Theme, discover_themes

__version__ = "0.1.0"

__all__ = [
    "Assignment",
    "Codeframe",
    "DuplicateGroup",
    "DuplicateResult",
    "EvidenceFlag",
    "PiiSpan",
    "PipelineResult",
    "Sentiment",
    "Theme",
    "ThemeClassifier",
    "discover_themes",
    "find_duplicates",
    "find_pii",
    "flag_evidence",
    "redact",
    "redact_many",
    "run_pipeline",
    "sentiment",
    "train_classifier",
]
