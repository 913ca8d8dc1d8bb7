#!/usr/bin/env python3
"""Writes tests/fixtures/metrics/sklearn_metrics.json: scikit-learn's metrics on
small random cases, which tests/api/metrics.rs compares proba::metrics against.

Run from the crate root: python3 scripts/make_fixtures_metrics.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import metrics

warnings.simplefilter("ignore")
rng = np.random.RandomState(0)
cases = []
for case in range(8):
    n = int(rng.randint(5, 60))
    k = int(rng.randint(2, 6))
    labels = [f"c{i}" for i in range(k)]
    y_true = [labels[i] for i in rng.randint(0, k, n)]
    # Predictions that are often right, sometimes a class never seen in y_true.
    pred_pool = labels + (["zz"] if case % 3 == 0 else [])
    y_pred = [t if rng.rand() < 0.6 else pred_pool[rng.randint(len(pred_pool))] for t in y_true]
    classes = sorted(set(y_true) | set(labels))
    proba = rng.dirichlet(np.ones(len(classes)), n)
    if case == 1:
        proba[0, :] = 0.0
        proba[0, (classes.index(y_true[0]) + 1) % len(classes)] = 1.0  # true class gets 0
    if case == 2:
        proba = proba * 0.9  # rows not summing to 1: sklearn does not renormalise
    prf = {}
    for avg in [None, "macro", "micro", "weighted"]:
        p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, average=avg)
        key = avg or "per_class"
        prf[key] = {
            "precision": np.atleast_1d(p).tolist(),
            "recall": np.atleast_1d(r).tolist(),
            "f1": np.atleast_1d(f).tolist(),
        }
        if avg is None:
            prf[key]["support"] = s.tolist()
    cm_labels = sorted(set(y_true) | set(y_pred))
    # Multilabel indicators for hamming loss.
    yt = rng.randint(0, 2, (n, k))
    yp = np.where(rng.rand(n, k) < 0.8, yt, 1 - yt)
    cases.append({
        "y_true": y_true,
        "y_pred": y_pred,
        "classes": classes,
        "proba": proba.tolist(),
        "accuracy": metrics.accuracy_score(y_true, y_pred),
        "log_loss": metrics.log_loss(y_true, proba, labels=classes),
        "labels": cm_labels,
        "confusion_matrix": metrics.confusion_matrix(y_true, y_pred, labels=cm_labels).tolist(),
        "prf": prf,
        "ml_true": yt.tolist(),
        "ml_pred": yp.tolist(),
        "hamming_loss": metrics.hamming_loss(yt, yp),
    })

out = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "metrics", "sklearn_metrics.json")
with open(out, "w") as f:
    json.dump({"sklearn_version": sklearn.__version__, "cases": cases}, f)
print("wrote", out)
