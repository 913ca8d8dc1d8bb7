#!/usr/bin/env python3
"""Generates the scikit-learn parity fixtures of proba::multilabel.

Writes tests/fixtures/multilabel/{synthetic,text}.json:

* synthetic.json: `make_multilabel_classification` (dense, small, committed in
  full: X, the label sets, the expected probabilities of the test rows, with
  logistic regression and with RandomForestClassifier(n_estimators=10,
  random_state=0) as the base estimator), plus
  two single-label problems from `make_classification` (4 classes and 2
  classes) for the multiclass mode of OneVsRestClassifier (row normalization,
  single estimator for 2 classes).
* text.json: fortunes.jsonl from the shared data (never copied: only derived
  numbers are written). Label set of a fortune =
  {its category} | {"long" if it has more than 200 code points}
  | {"has_digit" if it contains an ASCII digit 0-9} | {"always"},
  with the explicit classes sorted(all labels) + ["never"], so "always" is in
  every row and "never" in none (constant predictors). Features:
  TfidfVectorizer(min_df=2) fitted on the training rows.

Train/test split everywhere: 0-based row i is a test row iff i % 5 == 0.

Each problem is fitted with OneVsRestClassifier(LogisticRegression(...)) at the
defaults (tol=1e-4, max_iter=100) and at a tight tolerance (tol=1e-10,
max_iter=10000). The "optimum" probabilities come from newton-cg at tol=1e-14,
the same objective solved (almost) exactly, for a Rust solver that converges
fully rather than following scipy's L-BFGS-B path.

Usage: OPENBLAS_NUM_THREADS=1 python3 scripts/make_fixtures_multilabel.py [data_dir]
"""
import json
import os
import re
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "multilabel")
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "data")

SETTINGS = {
    "default": dict(),
    "tight": dict(tol=1e-10, max_iter=10000),
    "optimum": dict(solver="newton-cg", tol=1e-14, max_iter=10000),
}


def versions():
    return {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def split(n):
    test = [i for i in range(n) if i % 5 == 0]
    train = [i for i in range(n) if i % 5 != 0]
    return train, test


def fit_all(x_train, y_train, x_test, rows=None):
    """Probabilities of the test rows (or of `rows` of them) per setting, and
    which estimators were constant."""
    out = {}
    for name, kw in SETTINGS.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ovr = OneVsRestClassifier(LogisticRegression(**kw)).fit(x_train, y_train)
        p = ovr.predict_proba(x_test)
        entry = {"col_sums": p.sum(axis=0).tolist()}
        entry["proba"] = (p if rows is None else p[rows]).tolist()
        entry["n_iter"] = [int(getattr(e, "n_iter_", [0])[0]) for e in ovr.estimators_]
        out[name] = entry
        constant = [j for j, e in enumerate(ovr.estimators_) if not hasattr(e, "coef_")]
    return out, constant


def synthetic():
    x, y = make_multilabel_classification(
        n_samples=150, n_features=12, n_classes=6, n_labels=2, random_state=0
    )
    train, test = split(len(x))
    mlb = MultiLabelBinarizer()
    sets = [[int(j) for j in np.flatnonzero(row)] for row in y]
    ytr = mlb.fit_transform([sets[i] for i in train])
    multilabel, constant = fit_all(x[train], ytr, x[test])
    # Random forests too: every per-label clone keeps random_state=0.
    forest = OneVsRestClassifier(RandomForestClassifier(n_estimators=10, random_state=0))
    forest_proba = forest.fit(x[train], ytr).predict_proba(x[test]).tolist()

    mc = {}
    for k in (4, 2):
        xm, ym = make_classification(
            n_samples=120, n_features=6, n_informative=4, n_redundant=0,
            n_classes=k, random_state=k,
        )
        tr, te = split(len(xm))
        probs, _ = fit_all(xm[tr], ym[tr], xm[te])
        mc[f"classes_{k}"] = {"x": xm.tolist(), "y": ym.tolist(), **probs}
    return {
        "versions": versions(),
        "split": "test iff i % 5 == 0",
        "x": x.tolist(),
        "label_sets": sets,
        "classes": [int(c) for c in mlb.classes_],
        "constant_estimators": constant,
        "multilabel": multilabel,
        "forest_n_estimators_10_seed_0": forest_proba,
        "multiclass": mc,
    }


def label_set(text, category):
    s = {category, "always"}
    if len(text) > 200:
        s.add("long")
    if re.search(r"[0-9]", text):
        s.add("has_digit")
    return sorted(s)


def text():
    path = os.path.join(DATA, "fortunes.jsonl")
    if not os.path.exists(path):
        print(f"SKIPPED text fixture: {path} not found")
        return None
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    texts = [r["text"] for r in rows]
    sets = [label_set(r["text"], r["label"]) for r in rows]
    train, test = split(len(rows))
    classes = sorted({l for s in sets for l in s}) + ["never"]
    vec = TfidfVectorizer(min_df=2)
    x_train = vec.fit_transform([texts[i] for i in train])
    x_test = vec.transform([texts[i] for i in test])
    mlb = MultiLabelBinarizer(classes=classes)
    y_train = mlb.fit_transform([sets[i] for i in train])
    sample = list(range(0, len(test), 15))
    probs, constant = fit_all(x_train, y_train, x_test, rows=sample)
    return {
        "versions": versions(),
        "corpus": "fortunes.jsonl",
        "split": "test iff i % 5 == 0",
        "label_rule": "{category} | {'long' if len(text) > 200 code points} "
        "| {'has_digit' if re.search('[0-9]', text)} | {'always'}; classes = sorted(all) + ['never']",
        "vectorizer": {"min_df": 2, "vocabulary_size": len(vec.vocabulary_)},
        "n_train": len(train),
        "n_test": len(test),
        "classes": classes,
        "train_label_counts": [int(c) for c in y_train.sum(axis=0)],
        "constant_estimators": constant,
        "sampled_test_positions": sample,
        **probs,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, make in (("synthetic", synthetic), ("text", text)):
        data = make()
        if data is None:
            continue
        path = os.path.join(OUT, f"{name}.json")
        with open(path, "w") as f:
            json.dump(data, f, separators=(",", ":"))
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
