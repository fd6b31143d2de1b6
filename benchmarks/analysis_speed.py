"""Speed and memory of the analysis engine (never run as a unit test).

    .venv/bin/python benchmarks/analysis_speed.py [--sizes 100000 1000000] [--repeats 3]

* classify (train + predict) on the development data's fixed 75/25 split, for the major
  ``label`` and the ``subcategory`` codes: median over ``--repeats`` runs, in this
  process and through ``heard-analyse classify`` in a new one (import, CSV in and out);
* the whole pipeline (redact, duplicates, sentiment, evidence, theme assignment with a
  classifier trained on the development data) over synthetic corpora of each size, each
  run in a fresh child process so that its peak RSS (ru_maxrss) is its own.

The corpus generator draws real comments from the development data, joins some of them
for longer responses (length distribution close to the real one, with a long tail),
sprinkles personal data (names, phones, emails, NHS numbers) into 2% of them and adds
template campaigns (3% of rows from 6 templates with small personal edits).
Environment: HEARD_SHARED_DATA overrides the folder holding nhs-patient-feedback/.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from heard_analysis import devdata
from joblib.externals.loky import get_reusable_executor

TEMPLATES = [
    "I strongly object to the proposed closure of the minor injuries unit at Newark because "
    "patients will have to travel over twenty miles to get urgent care and there is no bus.",
    "Please keep the maternity unit open. Mothers and babies deserve safe care close to home "
    "and the extra journey will put lives at risk.",
    "As a member of Save Our Hospital I ask the board to reverse the decision to move stroke "
    "services and to publish the full travel time analysis.",
    "The changes to GP appointment booking are unfair to older people who cannot use apps "
    "and I want a phone line kept open every morning.",
    "We the undersigned oppose cuts to community mental health teams and call for more "
    "funding for crisis support in our area.",
    "I support the new diagnostic centre but parking must be free for patients and carers "
    "attending appointments.",
]
EDITS = [
    "",
    " My mother relies on it.",
    " This matters to my family.",
    "I agree. ",
    " Please listen to us!",
    " I live in the town.",
]
PII = [
    "Nurse {n} was brilliant.",
    "Call me on 07700 9{d:05d}.",
    "My email is someone{d}@example.com.",
    "NHS number 943 476 5919.",
    "Thanks to Dr {n}.",
]
NAMES = ["Sarah", "Patel", "Okafor", "Jones", "Emma", "Kowalczyk"]


def make_corpus(n: int, seed: int = 0) -> list[str]:
    """``n`` synthetic responses: each copies the sentence count of a random real comment
    and fills it with random real sentences, lightly edited (a word dropped or swapped),
    so lengths follow the real distribution while most responses are unique."""
    rng = random.Random(seed)
    base = devdata.load()["feedback"].tolist()
    split = re.compile(r"(?<=[.!?])\s+")
    per_comment = [max(1, len(split.split(t.strip()))) for t in base]
    pool = [s for t in base for s in split.split(t.strip()) if s]
    vocab = sorted({w for s in pool[:5000] for w in s.split() if w.isalpha()})
    out: list[str] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.03:
            t = TEMPLATES[rng.randrange(len(TEMPLATES))]
            e = rng.choice(EDITS)
            out.append(e + t if e.endswith(" ") else t + e)
            continue
        k = per_comment[rng.randrange(len(per_comment))]
        sentences = []
        for _ in range(k):
            words = rng.choice(pool).split()
            if len(words) > 3 and rng.random() < 0.5:
                del words[rng.randrange(len(words))]
            if len(words) > 3 and rng.random() < 0.3:
                words[rng.randrange(len(words))] = rng.choice(vocab)
            sentences.append(" ".join(words))
        t = " ".join(sentences)
        if rng.random() < 0.02:
            t = t + " " + rng.choice(PII).format(n=rng.choice(NAMES), d=rng.randrange(99999))
        out.append(t)
    return out


def _cpu() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _child(n: int) -> None:
    from heard_analysis import run_pipeline, train_classifier

    train, _ = devdata.split(devdata.load())
    texts = make_corpus(n)
    t0 = time.perf_counter()
    model = train_classifier(train["feedback"].tolist(), [[v] for v in train["label"]])
    t_train = time.perf_counter() - t0
    get_reusable_executor().shutdown(wait=True)  # so that worker CPU time is counted
    c0 = _cpu()
    t0 = time.perf_counter()
    res = run_pipeline(texts, classifier=model)
    total = time.perf_counter() - t0
    get_reusable_executor().shutdown(wait=True)
    cpu_s = _cpu() - c0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "n": n,
                "train_s": round(t_train, 2),
                "pipeline_s": round(total, 2),
                "peak_rss_mb": round(rss_mb),
                "worker_peak_rss_mb": round(worker_mb),
                "cpu_s": round(cpu_s, 1),
                "campaign_rows": res.duplicates.campaign_rows,
                "groups": len(res.duplicates.groups),
                "redacted_changed": sum(a != b for a, b in zip(texts, res.redacted, strict=True)),
            }
        )
    )


def _stage_times(n: int) -> None:
    """Per-stage timings for one corpus size (in this process)."""
    from heard_analysis import (
        find_duplicates,
        flag_evidence,
        redact_many,
        sentiment,
        train_classifier,
    )

    train, _ = devdata.split(devdata.load())
    model = train_classifier(train["feedback"].tolist(), [[v] for v in train["label"]])
    texts = make_corpus(n)
    for name, fn in [
        ("redact", redact_many),
        ("duplicates", find_duplicates),
        ("sentiment", sentiment),
        ("evidence", flag_evidence),
        ("assign", model.predict),
    ]:
        t0 = time.perf_counter()
        fn(texts)
        print(f"  stage {name:<10} {time.perf_counter() - t0:7.2f} s  (n={n})")


def bench_classify(repeats: int) -> None:
    from heard_analysis import train_classifier

    train, test = devdata.split(devdata.load())
    for col in ["label", "subcategory"]:
        times = []
        cpus = []
        for _ in range(repeats):
            get_reusable_executor().shutdown(wait=True)
            c0 = _cpu()
            t0 = time.perf_counter()
            model = train_classifier(train["feedback"].tolist(), [[v] for v in train[col]])
            model.predict(test["feedback"].tolist())
            times.append(time.perf_counter() - t0)
            get_reusable_executor().shutdown(wait=True)
            cpus.append(_cpu() - c0)
        print(
            f"classify {col:<12} train {len(train)} + predict {len(test)}: "
            f"median {statistics.median(times):.2f} s wall over {repeats} "
            f"(min {min(times):.2f}, max {max(times):.2f}); median CPU {statistics.median(cpus):.2f} s "
            f"(load {os.getloadavg()[0]:.1f})"
        )


def bench_classify_cli(repeats: int) -> None:
    """The command line end to end, as a user runs it: a new process that imports the
    engine, reads the coded and the new CSV, trains, predicts and writes the output."""
    import shutil
    import tempfile

    cli = shutil.which("heard-analyse", path=str(Path(sys.executable).parent))
    if cli is None:
        print("classify CLI: heard-analyse is not installed beside this Python; skipped")
        return
    train, test = devdata.split(devdata.load())
    with tempfile.TemporaryDirectory() as tmp:
        train.to_csv(f"{tmp}/coded.csv", index=False)
        test.to_csv(f"{tmp}/new.csv", index=False)
        for col in ["label", "subcategory"]:
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                subprocess.run(
                    [cli, "classify", "--train", f"{tmp}/coded.csv", "--predict", f"{tmp}/new.csv",
                     "--text-column", "feedback", "--labels-column", col,
                     "--out", f"{tmp}/out.csv"],
                    check=True,
                    capture_output=True,
                )  # fmt: skip
                times.append(time.perf_counter() - t0)
            print(
                f"classify CLI {col:<12} (new process, CSV in and out): median "
                f"{statistics.median(times):.2f} s wall over {repeats} (min {min(times):.2f}, "
                f"max {max(times):.2f}; load {os.getloadavg()[0]:.1f})"
            )


def bench_classify_multilabel_cli(repeats: int, n: int = 7_400) -> None:
    """The command line on multi-label codes of the size the issue names (about 7,400
    comments, 44 themes, 1.1 a comment): the development data's subcategories with a
    fifth of the comments joined in pairs (``analysis_quality.fft_pairs``), trained on
    75% and predicting 25%. This is the path that cross-validates its cuts."""
    import shutil
    import tempfile

    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from analysis_quality import fft_pairs

    cli = shutil.which("heard-analyse", path=str(Path(sys.executable).parent))
    if cli is None:
        print("classify CLI: heard-analyse is not installed beside this Python; skipped")
        return
    texts, labels = fft_pairs()
    order = random.Random(0).sample(range(len(texts)), n)
    df = pd.DataFrame(
        {"feedback": [texts[i] for i in order], "codes": [";".join(labels[i]) for i in order]}
    )
    cut = int(0.75 * n)
    with tempfile.TemporaryDirectory() as tmp:
        df[:cut].to_csv(f"{tmp}/coded.csv", index=False)
        df[cut:].to_csv(f"{tmp}/new.csv", index=False)
        times = []
        cpus = []
        for _ in range(repeats):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(
                [cli, "classify", "--train", f"{tmp}/coded.csv", "--predict", f"{tmp}/new.csv",
                 "--text-column", "feedback", "--labels-column", "codes",
                 "--out", f"{tmp}/out.csv"],
                check=True,
                capture_output=True,
            )  # fmt: skip
            times.append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
        print(
            f"classify CLI multi-label ({n} comments, {len({s for ls in labels for s in ls})} "
            f"themes; train {cut} + predict {n - cut}, new process): median "
            f"{statistics.median(times):.2f} s wall over {repeats} (min {min(times):.2f}, "
            f"max {max(times):.2f}; load {os.getloadavg()[0]:.1f}); median CPU "
            f"{statistics.median(cpus):.2f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pipeline-repeats", type=int, default=1)
    ap.add_argument("--stages", type=int, default=0, help="also time each stage at this size")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--only-multilabel", action="store_true", help="only the multi-label CLI")
    args = ap.parse_args()
    if args.child:
        _child(args.child)
        return
    if args.only_multilabel:
        print(f"load average before: {os.getloadavg()} on {os.cpu_count()} cores")
        bench_classify_multilabel_cli(args.repeats)
        return
    load = os.getloadavg()
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    bench_classify(args.repeats)
    bench_classify_cli(args.repeats)
    bench_classify_multilabel_cli(args.repeats)
    if args.stages:
        _stage_times(args.stages)
    results: dict[int, list[dict[str, float]]] = {}
    for n in args.sizes:
        for _ in range(args.pipeline_repeats):
            proc = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--child", str(n)],
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            results.setdefault(n, []).append(row)
            load_now = os.getloadavg()[0]
            print(
                f"pipeline n={n:>9,} (load {load_now:.1f}): {row['pipeline_s']:8.2f} s wall, "
                f"{row['cpu_s']:.0f} s CPU; peak RSS {row['peak_rss_mb']:.0f} MB "
                f"(+ largest worker {row['worker_peak_rss_mb']:.0f} MB)"
                f"  (classifier training {row['train_s']:.2f} s not included; "
                f"{row['groups']} duplicate groups, {row['campaign_rows']} campaign rows, "
                f"{row['redacted_changed']} responses redacted)"
            )
    med = {n: statistics.median(r["pipeline_s"] for r in rows) for n, rows in results.items()}
    sizes = sorted(med)
    for small, big in itertools.pairwise(sizes):
        ratio = med[big] / med[small]
        print(
            f"time ratio {big:,}/{small:,} = {ratio:.2f} for a size ratio of {big / small:.0f} "
            f"(per-response {1e6 * med[small] / small:.0f} us vs {1e6 * med[big] / big:.0f} us)"
        )


if __name__ == "__main__":
    main()
