#!/usr/bin/env python3
"""Fixtures for tests/forest/*.rs, computed with scikit-learn (needs sklearn 1.9.x).

Writes tests/fixtures/forest/:
  digits_exact.json  RandomForestClassifier(random_state=0) and DecisionTreeClassifier(random_state=0)
                     on digits (train rows i % 5 != 0): test-row probabilities, node counts,
                     OOB score, importances -- proba reproduces these bit for bit.
  digits_variants.json  10-tree forests with non-default options (criterion, depth, leaf sizes,
                     max_features, bootstrap, max_samples, class weights) on the same split:
                     test-row probabilities, node counts, OOB scores.
  parity.json        accuracy and log loss on the test rows (i % 5 == 0) of a 100-tree forest,
                     per seed 0..4 and their mean, on digits (dense), BBC TF-IDF and fortunes
                     TF-IDF (TfidfVectorizer() defaults fitted on the training texts).
No corpus text is written, only derived numbers.

Usage: OPENBLAS_NUM_THREADS=1 python3 scripts/make_fixtures_forest.py [--data ../shared/data]
           [--parts exact,variants,parity] [--skip-fortunes]
"""
import argparse
import json
import os
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "forest")
SEEDS = [0, 1, 2, 3, 4]


def log_loss(y_idx, proba):
    """sklearn.metrics.log_loss: clip to [eps, 1 - eps] (float64 eps), mean of -log p_true."""
    eps = np.finfo(np.float64).eps
    p = np.clip(proba[np.arange(len(y_idx)), y_idx], eps, 1 - eps)
    return float(-np.mean(np.log(p)))


def digits(data):
    d = np.loadtxt(os.path.join(data, "digits.csv"), delimiter=",", skiprows=1)
    return d[:, :-1], d[:, -1].astype(np.int64)


def corpus(data, name):
    texts, labels = [], []
    with open(os.path.join(data, name)) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                texts.append(r["text"])
                labels.append(r["label"])
    return texts, np.array(labels)


def split(n):
    te = np.arange(n) % 5 == 0
    return ~te, te


def parity(X, y, name):
    tr, te = split(len(y))
    rows = []
    for s in SEEDS:
        t0 = time.time()
        rf = RandomForestClassifier(n_estimators=100, random_state=s, n_jobs=2).fit(X[tr], y[tr])
        fit = time.time() - t0
        p = rf.predict_proba(X[te])
        y_idx = np.searchsorted(rf.classes_, y[te])
        rows.append({"seed": s, "accuracy": float(np.mean(rf.classes_[p.argmax(1)] == y[te])),
                     "log_loss": log_loss(y_idx, p), "fit_seconds": fit,
                     "node_count": int(sum(e.tree_.node_count for e in rf.estimators_))})
        print(name, rows[-1], flush=True)
    return {"n_train": int(tr.sum()), "n_test": int(te.sum()), "n_features": int(X.shape[1]),
            "n_classes": int(len(np.unique(y[tr]))), "per_seed": rows,
            "mean_accuracy": float(np.mean([r["accuracy"] for r in rows])),
            "mean_log_loss": float(np.mean([r["log_loss"] for r in rows]))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data"))
    ap.add_argument("--skip-fortunes", action="store_true")
    ap.add_argument("--parts", default="exact,variants,parity")
    a = ap.parse_args()
    parts = a.parts.split(",")
    os.makedirs(OUT, exist_ok=True)

    X, y = digits(a.data)
    tr, te = split(len(y))
    if "exact" in parts:
        exact_part(X, y, tr, te)
    if "variants" in parts:
        variants_part(X, y, tr, te)
    if "parity" in parts:
        parity_part(a, X, y)


# name -> RandomForestClassifier keyword arguments (n_estimators=10, random_state=3 added).
VARIANTS = {
    "entropy": dict(criterion="entropy"),
    "max_depth_5": dict(max_depth=5),
    "leaf_3_split_10": dict(min_samples_leaf=3, min_samples_split=10),
    "leaf_frac_0.01_split_frac_0.05": dict(min_samples_leaf=0.01, min_samples_split=0.05),
    "log2": dict(max_features="log2"),
    "features_0.3": dict(max_features=0.3),
    "features_20": dict(max_features=20),
    "no_bootstrap": dict(bootstrap=False),
    "max_samples_0.5_oob": dict(max_samples=0.5, oob_score=True),
    "max_samples_500": dict(max_samples=500),
    "balanced": dict(class_weight="balanced"),
    "balanced_subsample": dict(class_weight="balanced_subsample"),
    "weights_0:2_3:0.5_oob": dict(class_weight={0: 2.0, 3: 0.5}, oob_score=True),
    "balanced_no_bootstrap": dict(class_weight="balanced", bootstrap=False),
    "min_impurity_decrease_0.01": dict(min_impurity_decrease=0.01),
}


def variants_part(X, y, tr, te):
    # An imbalanced training set makes class weights matter: drop most rows of classes 1 and 7.
    keep = tr & ~(np.isin(y, [1, 7]) & (np.arange(len(y)) % 3 != 0))
    out = {"sklearn_version": sklearn.__version__,
           "what": "digits.csv; training rows: i % 5 != 0, minus rows of classes 1 and 7 with i % 3 != 0; "
                   "test rows i % 5 == 0; RandomForestClassifier(n_estimators=10, random_state=3, **kwargs)",
           "variants": {}}
    for name, kw in VARIANTS.items():
        rf = RandomForestClassifier(n_estimators=10, random_state=3, **kw).fit(X[keep], y[keep])
        out["variants"][name] = {
            "kwargs": repr(kw),
            "node_count": int(sum(e.tree_.node_count for e in rf.estimators_)),
            "oob_score": float(rf.oob_score_) if kw.get("oob_score") else None,
            "test_proba": rf.predict_proba(X[te]).tolist(),
        }
        print(name, out["variants"][name]["node_count"], flush=True)
    with open(os.path.join(OUT, "digits_variants.json"), "w") as f:
        json.dump(out, f)


def exact_part(X, y, tr, te):
    rf = RandomForestClassifier(random_state=0, oob_score=True).fit(X[tr], y[tr])
    dt = DecisionTreeClassifier(random_state=0).fit(X[tr], y[tr])
    exact = {
        "sklearn_version": sklearn.__version__,
        "what": "digits.csv, train rows i % 5 != 0, test rows i % 5 == 0",
        "forest": {"params": "RandomForestClassifier(random_state=0, oob_score=True)",
                   "node_count": int(sum(e.tree_.node_count for e in rf.estimators_)),
                   "max_depth": int(max(e.tree_.max_depth for e in rf.estimators_)),
                   "oob_score": float(rf.oob_score_),
                   "feature_importances": rf.feature_importances_.tolist(),
                   "test_proba": rf.predict_proba(X[te]).tolist()},
        "tree": {"params": "DecisionTreeClassifier(random_state=0)",
                 "node_count": int(dt.tree_.node_count), "max_depth": int(dt.tree_.max_depth),
                 "feature_importances": dt.feature_importances_.tolist(),
                 "test_proba": dt.predict_proba(X[te]).tolist()},
    }
    with open(os.path.join(OUT, "digits_exact.json"), "w") as f:
        json.dump(exact, f)


def parity_part(a, X, y):
    out = {"sklearn_version": sklearn.__version__,
           "what": "RandomForestClassifier(n_estimators=100, random_state=seed), seeds 0..4; "
                   "test rows i % 5 == 0; log loss clipped at float64 eps as sklearn.metrics.log_loss; "
                   "text features: TfidfVectorizer() fitted on the training texts",
           "digits": parity(X, y, "digits")}
    for key, name in [("bbc", "bbc.jsonl"), ("fortunes", "fortunes.jsonl")]:
        if key == "fortunes" and a.skip_fortunes:
            continue
        texts, labels = corpus(a.data, name)
        tr, te = split(len(labels))
        vec = TfidfVectorizer().fit([t for t, m in zip(texts, tr) if m])
        Xt = vec.transform(texts).tocsr()
        out[key] = parity(Xt, labels, key)
        out[key]["nnz"] = int(Xt.nnz)
    with open(os.path.join(OUT, "parity.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
