#!/usr/bin/env python3
"""scikit-learn side of `cargo bench --bench multilabel`: the same problem
(fortunes training rows, TfidfVectorizer(min_df=2), 47 labels: {category} |
long | has_digit | always, plus a declared "never"), timing
OneVsRestClassifier(LogisticRegression()).fit with n_jobs=1 and n_jobs=2
(median of 5 runs) and predict_proba on the training rows.

Usage: OPENBLAS_NUM_THREADS=1 python3 scripts/bench_multilabel_sklearn.py [data_dir]
"""
import json
import os
import re
import statistics
import sys
import time
import warnings

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "data")


def label_set(text, category):
    s = {category, "always"}
    if len(text) > 200:
        s.add("long")
    if re.search(r"[0-9]", text):
        s.add("has_digit")
    return sorted(s)


def median_time(f, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    path = os.path.join(DATA, "fortunes.jsonl")
    if not os.path.exists(path):
        print(f"SKIPPED: {path} not found")
        return
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    train = [r for i, r in enumerate(rows) if i % 5 != 0]
    texts = [r["text"] for r in train]
    sets = [label_set(r["text"], r["label"]) for r in train]
    classes = sorted({l for s in sets for l in s}) + ["never"]
    x = TfidfVectorizer(min_df=2).fit_transform(texts)
    y = MultiLabelBinarizer(classes=classes).fit_transform(sets)
    print(f"fortunes: {x.shape[0]} rows x {x.shape[1]} terms, {len(classes)} labels")
    warnings.simplefilter("ignore")
    for n_jobs in (1, 2):
        ovr = OneVsRestClassifier(LogisticRegression(), n_jobs=n_jobs)
        t = median_time(lambda: ovr.fit(x, y))
        print(f"sklearn OvR(LR) fit, n_jobs={n_jobs}: median {t:.3f} s")
    model = OneVsRestClassifier(LogisticRegression()).fit(x, y)
    t = median_time(lambda: model.predict_proba(x), runs=10)
    print(f"sklearn OvR(LR) predict_proba on the training rows: median {t * 1000:.1f} ms")


if __name__ == "__main__":
    main()
