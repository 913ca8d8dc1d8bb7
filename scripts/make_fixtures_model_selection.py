#!/usr/bin/env python3
"""Writes tests/fixtures/model_selection/sklearn_splits.json: scikit-learn's
StratifiedKFold (no shuffle: deterministic, so proba must give the same folds)
and the per-class sizes of stratified train_test_split (proba's RNG differs,
so only the sizes are compared), on small random label vectors.

Run from the crate root: python3 scripts/make_fixtures_model_selection.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold, train_test_split

warnings.simplefilter("ignore")
rng = np.random.RandomState(0)
kfold, split = [], []
for case in range(10):
    k = int(rng.randint(2, 6))
    n_splits = int(rng.randint(2, 6))
    counts = rng.randint(n_splits, 40, k)
    y = np.repeat(np.arange(k), counts)
    rng.shuffle(y)
    folds = [te.tolist() for _, te in StratifiedKFold(n_splits).split(np.zeros(len(y)), y)]
    kfold.append({"y": y.tolist(), "n_splits": n_splits, "test_folds": folds})
    for test_size in [0.2, 0.33, 7]:
        if isinstance(test_size, int) and test_size < k:
            continue
        tr, te = train_test_split(np.arange(len(y)), test_size=test_size, stratify=y, random_state=case)
        split.append({
            "y": y.tolist(),
            "test_size": test_size,
            "train_counts": np.bincount(y[tr], minlength=k).tolist(),
            "test_counts": np.bincount(y[te], minlength=k).tolist(),
        })
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures",
                   "model_selection", "sklearn_splits.json")
with open(out, "w") as f:
    json.dump({"sklearn_version": sklearn.__version__, "kfold": kfold, "split": split}, f)
print("wrote", out)
