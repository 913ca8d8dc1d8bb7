#!/usr/bin/env python3
"""Side-by-side TF-IDF speed: scikit-learn vs proba on the same corpus, in one go.

  python3 scripts/compare_tfidf.py [CORPUS.jsonl ...] [--runs N] [--settings default,ngrams]

Without a corpus: BBC (../shared/data/bbc.jsonl), then the multilingual
fortunes corpus when `scripts/make_multilingual_corpus.py` has written it
(target/corpora/multilingual.jsonl, or $PROBA_MULTILINGUAL).

Times TfidfVectorizer fit_transform (and transform) on every text of the
corpus, with the default options and with the n-gram setting
(ngram_range=(1, 2), min_df=2, max_df=0.9, sublinear_tf=True): scikit-learn in this process (one thread,
OPENBLAS_NUM_THREADS=1), then proba via
`cargo run --release --example compare_tfidf` with RAYON_NUM_THREADS=1 and
=2. Prints median wall times over N runs, MB/s of text and the ratios. Also
checks that both produce the same vocabulary size and nnz. The machine is
shared: run it when it is quiet, and read medians, not single runs.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from sklearn import __version__ as sk_version  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


SETTINGS = {
    "default": {},
    "ngrams": {"ngram_range": (1, 2), "min_df": 2, "max_df": 0.9, "sublinear_tf": True},
}


def sklearn_times(texts, runs, setting):
    fit, tr = [], []
    vec = X = None
    cpu0 = time.process_time()
    for _ in range(runs):
        t = time.perf_counter()
        vec = TfidfVectorizer(**SETTINGS[setting])
        X = vec.fit_transform(texts)
        fit.append(time.perf_counter() - t)
    global SK_FIT_CPU
    SK_FIT_CPU = (time.process_time() - cpu0) / runs
    for _ in range(runs):
        t = time.perf_counter()
        vec.transform(texts)
        tr.append(time.perf_counter() - t)
    return statistics.median(fit), statistics.median(tr), len(vec.vocabulary_), X.nnz


SK_FIT_CPU = float("nan")


def proba_times(corpus, runs, threads, setting):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    out = subprocess.run(
        ["cargo", "run", "--release", "--quiet", "--example", "compare_tfidf", "--", corpus, str(runs),
         setting],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout
    res = {}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            kind = line.split()[1]
            res[kind] = {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}
    if "fit_transform" not in res:
        sys.exit(f"proba run failed or skipped:\n{out}")
    return res


MULTILINGUAL = os.environ.get("PROBA_MULTILINGUAL", os.path.join(ROOT, "target", "corpora", "multilingual.jsonl"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="*", help="JSONL corpora (default: BBC, and the multilingual "
                    "corpus of scripts/make_multilingual_corpus.py when it is present)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--settings", default="default,ngrams",
                    help="comma-separated: default (TfidfVectorizer()) and/or ngrams")
    a = ap.parse_args()
    if a.runs < 2:
        ap.error("--runs must be at least 2 (a median of timed runs)")
    settings = a.settings.split(",")
    for s in settings:
        if s not in SETTINGS:
            ap.error(f"unknown setting {s!r} (choose from {', '.join(SETTINGS)})")
    corpora = a.corpus or [os.path.join(ROOT, "..", "shared", "data", "bbc.jsonl")] + (
        [MULTILINGUAL] if os.path.exists(MULTILINGUAL) else [])
    missing = [c for c in a.corpus if not os.path.exists(c)]
    if missing:
        sys.exit(f"not found: {', '.join(missing)}")
    first = True
    for corpus in corpora:
        for setting in settings:
            if not first:
                print()
            first = False
            compare(argparse.Namespace(corpus=corpus, runs=a.runs, setting=setting))


def compare(a):
    if not os.path.exists(a.corpus):
        print(f"SKIPPED: {a.corpus} not found")
        return
    texts = [json.loads(l)["text"] for l in open(a.corpus, encoding="utf-8") if l.strip()]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus {a.corpus}: {len(texts)} texts, {mb:.2f} MB; {a.setting} options; "
          f"median of {a.runs} runs; load {os.getloadavg()[0]:.1f}")
    # Build once so that compilation is not timed.
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "compare_tfidf"], cwd=ROOT, check=True)
    sk_fit, sk_tr, sk_vocab, sk_nnz = sklearn_times(texts, a.runs, a.setting)
    p1 = proba_times(a.corpus, a.runs, 1, a.setting)
    p2 = proba_times(a.corpus, a.runs, 2, a.setting)
    for p in (p1, p2):
        got = (int(p["fit_transform"]["n_features"]), int(p["fit_transform"]["nnz"]))
        if got != (sk_vocab, sk_nnz):
            sys.exit(f"mismatch: proba {got} vs scikit-learn {(sk_vocab, sk_nnz)}")
    f1, f2 = float(p1["fit_transform"]["median_s"]), float(p2["fit_transform"]["median_s"])
    t1, t2 = float(p1["transform"]["median_s"]), float(p2["transform"]["median_s"])
    rows = [
        (f"scikit-learn {sk_version} (1 thread)", sk_fit, sk_tr),
        ("proba, 1 thread", f1, t1),
        ("proba, 2 threads", f2, t2),
    ]
    print(f"{'':34} {'fit_transform':>22} {'transform':>22}")
    for name, f, t in rows:
        print(f"{name:34} {f * 1e3:9.1f} ms {mb / f:7.1f} MB/s {t * 1e3:9.1f} ms {mb / t:7.1f} MB/s")
    print(f"fit_transform: proba 1 thread is {sk_fit / f1:.1f}x scikit-learn; 2 threads {f1 / f2:.2f}x 1 thread "
          f"({sk_fit / f2:.1f}x scikit-learn)")
    print(f"transform:     proba 1 thread is {sk_tr / t1:.1f}x scikit-learn; 2 threads {t1 / t2:.2f}x 1 thread")
    c1 = float(p1["fit_transform"].get("cpu_s_per_run", "nan"))
    print(f"CPU time per fit_transform (robust to a busy machine): scikit-learn {SK_FIT_CPU * 1e3:.1f} ms, "
          f"proba 1 thread {c1 * 1e3:.1f} ms -> {SK_FIT_CPU / c1:.1f}x")
    print(f"vocabulary {sk_vocab} terms, nnz {sk_nnz} (identical in both)")


if __name__ == "__main__":
    main()
