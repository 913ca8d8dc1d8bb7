#!/usr/bin/env python3
"""Fit time against corpus size, scikit-learn and proba side by side, and a
log-log plot of it.

For each factor m (default 1, 2, 4, 8, 16), the BBC training rows (the
shared split: i % 5 != 0) repeated m times are vectorized with the default
TfidfVectorizer (fit_transform), then a default LogisticRegression (lbfgs)
and a 100-tree RandomForestClassifier (random_state=0) are fitted on the
matrix. scikit-learn runs here (one BLAS thread, n_jobs=2 for the forest);
proba runs examples/compare_scaling.rs on the same file with rayon's two
threads. Prints the median time of each step per side, the ratios and the
thread counts, and writes the plot (PNG) of time against documents, both
axes logarithmic, so that the growth of each cost is visible as a slope.

Usage (from the crate root):
    python3 scripts/compare_scaling.py [--corpus PATH] [--factors 1,2,4,8,16]
        [--runs 3] [--out docs/scaling.png]
    python3 scripts/compare_scaling.py --replot     (the plot again from the
                                                      saved docs/scaling.json)
The measured times are saved beside the plot (docs/scaling.json).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.environ.get("PROBA_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))


def timed(runs, f):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def sklearn_side(texts, labels, factors, runs):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = []
    for m in factors:
        docs, y = texts * m, labels * m
        tfidf, x = timed(runs, lambda: TfidfVectorizer().fit_transform(docs))
        lr, _ = timed(runs, lambda: LogisticRegression().fit(x, y))
        rf, _ = timed(runs, lambda: RandomForestClassifier(
            n_estimators=100, random_state=0, n_jobs=2).fit(x, y))
        rows.append({"factor": m, "n_docs": len(docs), "tfidf_seconds": tfidf,
                     "lr_seconds": lr, "rf_seconds": rf})
        print(f"  scikit-learn x{m}: {tfidf:.3f} / {lr:.3f} / {rf:.3f} s", file=sys.stderr)
    return rows


def proba_side(corpus, factors, runs):
    subprocess.run(["cargo", "build", "--release", "-q", "--example", "compare_scaling"],
                   cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "compare_scaling")
    out = subprocess.run([exe, corpus, "--factors", ",".join(map(str, factors)),
                          "--runs", str(runs)], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def plot(sk, pr, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    steps = [("tfidf_seconds", "TF-IDF fit_transform", "tab:blue"),
             ("lr_seconds", "LogisticRegression fit", "tab:orange"),
             ("rf_seconds", "RandomForest(100) fit", "tab:green")]
    for key, name, color in steps:
        ax.plot([r["n_docs"] for r in sk], [r[key] for r in sk], "--o", color=color,
                label=f"{name}, scikit-learn")
        ax.plot([r["n_docs"] for r in pr], [r[key] for r in pr], "-s", color=color,
                label=f"{name}, proba")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training documents (BBC rows repeated 1x to 16x)")
    ax.set_ylabel("seconds (median)")
    ax.set_title("Fit time against corpus size, 2-core machine")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(DATA, "bbc.jsonl"))
    ap.add_argument("--factors", default="1,2,4,8,16")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "scaling.png"))
    ap.add_argument("--replot", action="store_true", help="plot the saved times, measure nothing")
    a = ap.parse_args()
    saved = os.path.splitext(a.out)[0] + ".json"
    if a.replot:
        data = json.load(open(saved, encoding="utf-8"))
        plot(data["scikit-learn"], data["proba"], a.out)
        print(f"plot: {a.out}")
        return
    if a.runs < 1:
        ap.error("--runs must be at least 1")
    factors = [int(f) for f in a.factors.split(",")]
    if not os.path.exists(a.corpus):
        sys.exit(f"no corpus at {a.corpus} (set PROBA_DATA_DIR or pass --corpus)")
    rows = [json.loads(line) for line in open(a.corpus, encoding="utf-8") if line.strip()]
    train = [r for i, r in enumerate(rows) if i % 5 != 0]
    texts, labels = [r["text"] for r in train], [str(r["label"]) for r in train]

    pr = proba_side(a.corpus, factors, a.runs)
    sk = sklearn_side(texts, labels, factors, a.runs)
    threads = pr[0]["threads"] if pr else "?"
    print(f"medians of {a.runs} runs; scikit-learn: 1 BLAS thread, forest n_jobs=2; "
          f"proba: {threads} threads")
    print(f"{'docs':>7} | {'TF-IDF sk':>9} {'proba':>7} {'ratio':>6} | {'LR sk':>7} {'proba':>7} "
          f"{'ratio':>6} | {'RF sk':>7} {'proba':>7} {'ratio':>6}")
    for s, p in zip(sk, pr):
        cells = []
        for key in ("tfidf_seconds", "lr_seconds", "rf_seconds"):
            cells.append(f"{s[key]:9.3f} {p[key]:7.3f} {s[key] / p[key]:5.1f}x")
        print(f"{s['n_docs']:7} | " + " | ".join(cells))
    with open(saved, "w", encoding="utf-8") as f:
        json.dump({"scikit-learn": sk, "proba": pr, "runs": a.runs, "corpus": os.path.basename(a.corpus),
                   "date": time.strftime("%Y-%m-%d")}, f, indent=1)
    plot(sk, pr, a.out)
    print(f"plot: {a.out}")


if __name__ == "__main__":
    main()
