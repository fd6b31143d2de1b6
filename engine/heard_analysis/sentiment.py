"""Sentiment: negative / neutral / positive with a score from -1 to 1.

Two parts, both shipped in the package and rebuilt reproducibly:

* a hand-written lexicon of positive and negative words and phrases (below), with
  negation handling ("not helpful", "never rude", "couldn't be better");
* a small linear model (multinomial logistic regression over hashed word 1-2 grams with
  negation marking, plus the lexicon features), trained by
  ``python -m heard_analysis.train_sentiment`` on the 75% training split of the
  development data and stored as ``data/sentiment_model.npz`` (float16, < 2 MB).

When the model file is missing the lexicon alone is used. The score is
P(positive) - P(negative).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["LABELS", "Sentiment", "lexicon_score", "sentiment"]

LABELS = ("negative", "neutral", "positive")
N_FEATURES = 1 << 18
# The lexicon features are scaled up so that the regularised model leans on them (they
# generalise beyond the training data) more than on any single hashed n-gram.
LEXICON_SCALE = 3.0
# Final probabilities blend the model with the lexicon alone, for robustness on text
# unlike the training data.
LEXICON_BLEND = 0.25

POSITIVE = frozenset(
    [
        "good",
        "great",
        "excellent",
        "brilliant",
        "fantastic",
        "amazing",
        "wonderful",
        "lovely",
        "kind",
        "caring",
        "helpful",
        "friendly",
        "polite",
        "professional",
        "efficient",
        "outstanding",
        "superb",
        "perfect",
        "pleasant",
        "nice",
        "happy",
        "pleased",
        "satisfied",
        "grateful",
        "thankful",
        "thanks",
        "thank",
        "reassuring",
        "reassured",
        "supportive",
        "compassionate",
        "patient",
        "attentive",
        "understanding",
        "informative",
        "clear",
        "clean",
        "tidy",
        "quick",
        "prompt",
        "fast",
        "smooth",
        "comfortable",
        "calm",
        "welcoming",
        "warm",
        "respectful",
        "dignity",
        "listened",
        "listening",
        "understood",
        "helped",
        "best",
        "better",
        "fab",
        "fabulous",
        "exceptional",
        "marvellous",
        "incredible",
        "superb",
        "impressed",
        "impressive",
        "easy",
        "safe",
        "well",
        "positive",
        "recommend",
        "recommended",
        "love",
        "loved",
        "loving",
        "appreciated",
        "appreciate",
        "gentle",
        "considerate",
        "thorough",
        "knowledgeable",
        "competent",
        "skilled",
        "cheerful",
        "smiling",
        "smile",
        "smiles",
        "delighted",
        "glad",
        "enjoyed",
        "enjoy",
        "spotless",
        "efficiently",
        "beautifully",
        "nicely",
        "kindly",
        "promptly",
        "quickly",
        "brilliantly",
        "faultless",
        "first-class",
        "first-rate",
        "top-notch",
        "stars",
        "star",
        "angel",
        "angels",
        "heroes",
        "hero",
        "credit",
        "welcome",
        "excellently",
        "lifesaver",
        "saved",
        "relaxed",
        "relaxing",
        "informed",
        "organised",
        "improved",
    ]
)
NEGATIVE = frozenset(
    [
        "bad",
        "poor",
        "terrible",
        "awful",
        "horrible",
        "dreadful",
        "appalling",
        "disgusting",
        "rude",
        "unhelpful",
        "unprofessional",
        "dirty",
        "slow",
        "late",
        "delay",
        "delayed",
        "delays",
        "waiting",
        "wait",
        "waited",
        "long",
        "longer",
        "cold",
        "uncomfortable",
        "unclean",
        "noisy",
        "noise",
        "lost",
        "cancelled",
        "cancellation",
        "confused",
        "confusing",
        "worried",
        "worry",
        "anxious",
        "scared",
        "frightened",
        "upset",
        "angry",
        "annoyed",
        "frustrated",
        "frustrating",
        "disappointed",
        "disappointing",
        "unhappy",
        "ignored",
        "ignoring",
        "dismissive",
        "dismissed",
        "neglect",
        "neglected",
        "abrupt",
        "arrogant",
        "uncaring",
        "careless",
        "incompetent",
        "inadequate",
        "unacceptable",
        "shocking",
        "disgrace",
        "disgraceful",
        "rushed",
        "rush",
        "chaotic",
        "chaos",
        "disorganised",
        "mess",
        "messy",
        "smelly",
        "smell",
        "pain",
        "painful",
        "hurt",
        "hurting",
        "struggle",
        "struggled",
        "struggling",
        "difficult",
        "hard",
        "problem",
        "problems",
        "issue",
        "issues",
        "complaint",
        "complain",
        "complained",
        "wrong",
        "mistake",
        "mistakes",
        "error",
        "failed",
        "fail",
        "failure",
        "lack",
        "lacking",
        "lacked",
        "short-staffed",
        "understaffed",
        "overworked",
        "stressed",
        "stressful",
        "stress",
        "boring",
        "bored",
        "hungry",
        "thirsty",
        "forgot",
        "forgotten",
        "forgetting",
        "missed",
        "missing",
        "never",
        "nobody",
        "worse",
        "worst",
        "horrendous",
        "unsafe",
        "insufficient",
        "inconsistent",
        "unable",
        "impossible",
        "useless",
        "pointless",
        "waste",
        "wasted",
        "shame",
        "shameful",
        "sad",
        "lonely",
        "crowded",
        "overcrowded",
        "cramped",
        "expensive",
        "filthy",
        "broken",
        "unanswered",
        "unavailable",
        "inaccessible",
        "unfriendly",
        "impatient",
        "condescending",
        "patronising",
        "patronizing",
        "disrespectful",
        "disgusted",
        "shouted",
        "shouting",
        "filthy",
        "blocked",
        "oppose",
        "opposed",
        "object",
        "objection",
        "closure",
        "closing",
        "cuts",
        "lied",
        "lying",
        "ignorant",
        "incompetence",
        "neglectful",
        "dangerous",
        "unsafe",
        "unfair",
        "discriminated",
    ]
)
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "cannot",
        "cant",
        "can't",
        "couldn't",
        "couldnt",
        "wouldn't",
        "wouldnt",
        "didn't",
        "didnt",
        "don't",
        "dont",
        "doesn't",
        "doesnt",
        "isn't",
        "isnt",
        "wasn't",
        "wasnt",
        "weren't",
        "werent",
        "aren't",
        "arent",
        "won't",
        "wont",
        "hardly",
        "barely",
        "without",
        "lack",
        "lacking",
    ]
)
# Phrases where a negator makes the whole thing positive (FFT "could anything improve?")
_POS_PHRASES = re.compile(
    r"(?i)\b(?:(?:could|can)(?:n['’]?t| ?not) (?:have )?(?:been |be |ask for |have asked for |wish for |fault|improve)"
    r"|nothing (?:to|needs? to|should|could|i would|at all)|no complaints?|not (?:a|one) (?:thing|single thing)"
    r"|(?:nothing|no)\W*$|^\W*(?:nothing|none|no|n/?a|nil|not really)\b|faultless|keep it up|keep up the good work"
    r"|second to none|above and beyond|can['’]?t fault|couldn['’]?t fault|no problems?)"
)
_NEG_PHRASES = re.compile(
    r"(?i)\b(?:(?:nobody|no\s+one|no-one)\s+(?:told|answered|came|explained|listened|called|"
    r"rang|helped|cared|bothered|checked)|left\s+(?:in\s+pain|alone|waiting|on\s+a\s+trolley)|"
    r"too\s+(?:long|expensive|slow|busy|hot|cold|noisy|late|far|few|little)|not\s+enough|"
    r"far\s+too|had\s+to\s+wait|waited\s+(?:for\s+)?(?:\d+|hours|ages|weeks|months)|"
    r"no\s+(?:information|communication|explanation|help|support|updates?|reply|response|"
    r"answer|care|compassion|empathy|dignity)|never\s+again|(?:strongly\s+)?(?:oppose|object)|"
    r"against\s+the\s+(?:closure|plan|proposal)|lost\s+my|shouted\s+at|"
    r"(?:could|should)\s+(?:be|have\s+been)\s+better)\b"
)
_TOKEN = re.compile(r"[a-z][a-z'’-]*")
_CLAUSE_END = re.compile(r"[.,;:!?\n]|\bbut\b")


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str  # negative, neutral or positive
    score: float  # -1 (very negative) .. 1 (very positive)


def _mark_negation(text: str) -> tuple[str, int, int]:
    """Lowercase text with NOT_ prefixed to words after a negator within the clause,
    and the lexicon counts (positive, negative) after negation."""
    low = text.lower()
    out: list[str] = []
    pos = neg = 0
    for clause in _CLAUSE_END.split(low):
        negate = False
        for w in _TOKEN.findall(clause):
            w = w.replace("’", "'")
            if w in _NEGATORS:
                negate = True
                out.append(w)
                continue
            token = "NOT_" + w if negate else w
            out.append(token)
            if w in POSITIVE:
                if negate:
                    neg += 1
                else:
                    pos += 1
            elif w in NEGATIVE and w not in _NEGATORS:
                if negate:
                    pos += 1
                else:
                    neg += 1
        out.append("|")
    return " ".join(out), pos, neg


def _lexicon_counts(text: str) -> tuple[str, int, int]:
    marked, pos, neg = _mark_negation(text)
    if _POS_PHRASES.search(text):
        pos += 2
    neg += 2 * len(_NEG_PHRASES.findall(text))
    return marked, pos, neg


def lexicon_score(text: str) -> float:
    """Lexicon-only score in [-1, 1]."""
    _, pos, neg = _lexicon_counts(text)
    total = pos + neg
    return 0.0 if total == 0 else (pos - neg) / (total + 1)


def _features(
    texts: Sequence[str], counts: list[tuple[str, int, int]] | None = None
) -> sparse.csr_matrix:
    counts = counts if counts is not None else [_lexicon_counts(t) for t in texts]
    marked: list[str] = []
    lex = np.zeros((len(texts), 7), dtype=np.float64)
    for i, (t, (m, pos, neg)) in enumerate(zip(texts, counts, strict=True)):
        marked.append(m)
        lex[i] = (
            np.log1p(pos),
            np.log1p(neg),
            (pos - neg) / (pos + neg + 1),
            1.0 if pos == neg == 0 else 0.0,
            np.log1p(len(m.split())) / 5,
            1.0 if "?" in t else 0.0,
            1.0 if _POS_PHRASES.search(t) else 0.0,
        )
    lex *= LEXICON_SCALE
    words = _HASHER.transform(marked)
    return sparse.hstack([words, sparse.csr_matrix(lex)], format="csr")


_HASHER = HashingVectorizer(
    n_features=N_FEATURES,
    ngram_range=(1, 2),
    token_pattern=r"\S+",  # noqa: S106 - a regex, not a password
    lowercase=False,
    alternate_sign=False,
    norm="l2",
    dtype=np.float64,
)


@lru_cache(maxsize=1)
def _model() -> tuple[np.ndarray, np.ndarray] | None:
    ref = resources.files("heard_analysis").joinpath("data", "sentiment_model.npz")
    if not ref.is_file():
        return None
    with ref.open("rb") as fh, np.load(fh) as npz:
        coef = npz["coef"].astype(np.float32)
        intercept = npz["intercept"].astype(np.float32)
    return coef, intercept


def _lexicon_proba(counts: list[tuple[str, int, int]]) -> np.ndarray:
    scores = np.array(
        [0.0 if pos + neg == 0 else (pos - neg) / (pos + neg + 1) for _, pos, neg in counts],
        dtype=np.float64,
    ).reshape(-1)
    p_pos = np.clip(scores, 0, 1)
    p_neg = np.clip(-scores, 0, 1)
    return np.column_stack([p_neg, 1 - p_pos - p_neg, p_pos])


def predict_proba(
    texts: Sequence[str],
    blend: float = LEXICON_BLEND,
    model: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Probabilities (n, 3) in LABELS order (``model``: coefficients and intercepts to
    use instead of the shipped ones, for measurement)."""
    counts = [_lexicon_counts(t) for t in texts]
    model = model if model is not None else _model()
    if model is None:
        return _lexicon_proba(counts)
    coef, intercept = model
    x = _features(texts, counts)
    z = np.asarray(x @ coef.T) + intercept
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    if blend > 0:
        p = (1 - blend) * p + blend * _lexicon_proba(counts)
    return np.asarray(p)


def sentiment(
    texts: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 20_000,
) -> list[Sentiment]:
    """Label and score every text (blank text: neutral, 0)."""
    n = len(texts)
    out: list[Sentiment] = []
    for start in range(0, n, batch_size):
        batch = list(texts[start : start + batch_size])
        proba = predict_proba([t or "" for t in batch])
        for t, p in zip(batch, proba, strict=True):
            if not t or not t.strip():
                out.append(Sentiment("neutral", 0.0))
                continue
            out.append(Sentiment(LABELS[int(np.argmax(p))], round(float(p[2] - p[0]), 4)))
        if progress:
            progress(min(n, start + batch_size), n)
    return out
