#!/usr/bin/env python3
"""Generate tests/fixtures/sgd/*.json with scikit-learn's SGDClassifier
(the parity reference for proba::linear::SgdClassifier).

  python3 scripts/make_fixtures_sgd.py        (from the crate root)

* unit.json: small dense and sparse (hashed text) datasets, written out in
  full, and one case per option combination: the parameters, how it was
  trained (`fit`, `fit` with sample weights, or a sequence of `partial_fit`
  chunks), and scikit-learn's coef_, intercept_, n_iter_, t_ and
  predict_proba (when the loss has one) on the whole dataset.
* bbc.json (when ../shared/data/bbc.jsonl is present): derived numbers only
  (never the text) for SGD on BBC hashed features: the same per-class
  coefficient sums and probabilities of every 50th row.
"""
import json
import os
import platform

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "sgd")
DATA = os.environ.get("PROBA_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))

VERSIONS = {
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "python": platform.python_version(),
}

WORDS = ("apple banana cherry delta echo fox golf hotel india juliet kilo lima "
         "mike nectar oscar papa quebec romeo sierra tango").split()


def dense_data(n_classes, seed):
    rng = np.random.RandomState(seed)
    n, p = 60, 6
    centers = rng.normal(scale=2.0, size=(n_classes, p))
    y = rng.randint(n_classes, size=n)
    x = centers[y] + rng.normal(size=(n, p))
    names = np.array(["c%d" % k for k in range(n_classes)])
    return x, names[y]


def sparse_data(n_classes, seed):
    rng = np.random.RandomState(seed)
    docs, labels = [], []
    for i in range(80):
        k = rng.randint(n_classes)
        own = WORDS[k * 4:(k + 1) * 4]
        words = [own[rng.randint(4)] if rng.rand() < 0.6 else WORDS[rng.randint(len(WORDS))]
                 for _ in range(rng.randint(1, 12))]
        docs.append(" ".join(words))
        labels.append("topic%d" % k)
    hv = HashingVectorizer(n_features=64, alternate_sign=False)
    return hv.transform(docs).tocsr(), np.array(labels)


def encode_x(x):
    if sp.issparse(x):
        x = x.tocsr()
        x.sort_indices()
        return {"kind": "csr", "shape": list(x.shape), "indptr": x.indptr.tolist(),
                "indices": x.indices.tolist(), "data": x.data.tolist()}
    return {"kind": "dense", "shape": list(x.shape), "data": x.ravel().tolist()}


DATASETS = {
    "dense2": dense_data(2, 1),
    "dense3": dense_data(3, 2),
    "sparse2": sparse_data(2, 3),
    "sparse4": sparse_data(4, 4),
}

BASE = {"max_iter": 5, "tol": None, "shuffle": False}

CASES = [
    # name, dataset, params, mode
    ("log_l2_optimal", "sparse4", {"loss": "log_loss"}, "fit"),
    ("log_l2_optimal_bin", "sparse2", {"loss": "log_loss"}, "fit"),
    ("log_dense", "dense3", {"loss": "log_loss", "alpha": 1e-3}, "fit"),
    ("log_dense_bin", "dense2", {"loss": "log_loss"}, "fit"),
    ("hinge_default", "sparse4", {}, "fit"),
    ("hinge_dense_bin", "dense2", {"loss": "hinge"}, "fit"),
    ("huber_sparse", "sparse4", {"loss": "modified_huber"}, "fit"),
    ("huber_dense_bin", "dense2", {"loss": "modified_huber", "alpha": 0.01}, "fit"),
    ("huber_dense3", "dense3", {"loss": "modified_huber"}, "fit"),
    ("l1_sparse", "sparse4", {"loss": "log_loss", "penalty": "l1", "alpha": 1e-3}, "fit"),
    ("l1_dense", "dense3", {"loss": "log_loss", "penalty": "l1", "alpha": 1e-2}, "fit"),
    ("elastic_sparse", "sparse4", {"loss": "modified_huber", "penalty": "elasticnet", "l1_ratio": 0.5, "alpha": 1e-3}, "fit"),
    ("elastic_dense", "dense2", {"loss": "log_loss", "penalty": "elasticnet", "alpha": 1e-2}, "fit"),
    ("no_penalty", "sparse4", {"loss": "log_loss", "penalty": None, "learning_rate": "constant", "eta0": 0.1}, "fit"),
    ("constant", "dense3", {"loss": "log_loss", "learning_rate": "constant", "eta0": 0.05}, "fit"),
    ("invscaling", "sparse4", {"loss": "log_loss", "learning_rate": "invscaling", "eta0": 0.5, "power_t": 0.3}, "fit"),
    ("adaptive_tol", "dense3", {"loss": "log_loss", "learning_rate": "adaptive", "eta0": 0.1, "max_iter": 60, "tol": 1e-3}, "fit"),
    ("optimal_tol", "sparse4", {"loss": "log_loss", "max_iter": 200, "tol": 1e-3}, "fit"),
    ("hinge_tol_dense", "dense2", {"max_iter": 200, "tol": 1e-4, "n_iter_no_change": 3}, "fit"),
    ("no_intercept", "sparse4", {"loss": "log_loss", "fit_intercept": False}, "fit"),
    ("shuffled", "sparse4", {"loss": "log_loss", "shuffle": True, "random_state": 42}, "fit"),
    ("shuffled_bin", "dense2", {"loss": "log_loss", "shuffle": True, "random_state": 7}, "fit"),
    ("shuffled_tol", "dense3", {"loss": "modified_huber", "shuffle": True, "random_state": 0, "max_iter": 100, "tol": 1e-3}, "fit"),
    ("balanced", "sparse4", {"loss": "log_loss", "class_weight": "balanced"}, "fit"),
    ("class_weight_map", "dense3", {"loss": "log_loss", "class_weight": {"c0": 2.0, "c2": 0.5}}, "fit"),
    ("class_weight_bin", "sparse2", {"loss": "hinge", "class_weight": {"topic1": 3.0}}, "fit"),
    ("sample_weight", "sparse4", {"loss": "log_loss"}, "fit_weighted"),
    ("sample_weight_dense", "dense2", {"loss": "modified_huber"}, "fit_weighted"),
    ("partial", "sparse4", {"loss": "log_loss"}, "partial"),
    ("partial_shuffled", "sparse4", {"loss": "log_loss", "shuffle": True, "random_state": 3}, "partial"),
    ("partial_dense_bin", "dense2", {"loss": "log_loss", "learning_rate": "invscaling", "eta0": 0.1}, "partial"),
    ("partial_after_fit", "dense3", {"loss": "log_loss"}, "fit_then_partial"),
]


def sample_weight(n):
    return (np.arange(n) % 3 + 0.5).astype(float)


def chunks(n):
    a, b = n // 3, 2 * n // 3
    return [(0, a), (a, b), (b, n), (0, a)]


def run(name, ds, params, mode):
    x, y = DATASETS[ds]
    p = dict(BASE)
    p.update(params)
    clf = SGDClassifier(**p)
    record = {"name": name, "dataset": ds, "params": p, "mode": mode}
    if mode == "fit":
        clf.fit(x, y)
    elif mode == "fit_weighted":
        clf.fit(x, y, sample_weight=sample_weight(len(y)))
    elif mode == "partial":
        classes = np.unique(y)
        record["chunks"] = chunks(len(y))
        for a, b in record["chunks"]:
            clf.partial_fit(x[a:b], y[a:b], classes=classes)
    elif mode == "fit_then_partial":
        clf.fit(x, y)
        record["chunks"] = chunks(len(y))[:2]
        for a, b in record["chunks"]:
            clf.partial_fit(x[a:b], y[a:b])
    record["classes"] = clf.classes_.tolist()
    record["coef"] = clf.coef_.tolist()
    record["intercept"] = clf.intercept_.tolist()
    record["n_iter"] = int(clf.n_iter_)
    record["t"] = float(clf.t_)
    if p.get("loss", "hinge") in ("log_loss", "modified_huber"):
        record["proba"] = clf.predict_proba(x).tolist()
    record["predict"] = clf.predict(x).tolist()
    return record


def bbc():
    path = os.path.join(DATA, "bbc.jsonl")
    if not os.path.exists(path):
        print("skipping bbc.json: %s not found" % path)
        return
    rows = [json.loads(l) for l in open(path, encoding="utf-8")]
    texts = [r["text"] for r in rows]
    labels = np.array([r["label"] for r in rows])
    x = HashingVectorizer(n_features=1 << 18, alternate_sign=False).transform(texts)
    out = {"versions": VERSIONS, "n_features": 1 << 18, "alternate_sign": False, "cases": []}
    for params in [
        {"loss": "log_loss", "alpha": 1e-4, "max_iter": 5, "tol": None, "shuffle": False},
        {"loss": "modified_huber", "alpha": 1e-5, "max_iter": 5, "tol": None, "shuffle": True, "random_state": 1},
        {"loss": "log_loss", "penalty": "elasticnet", "alpha": 1e-5, "max_iter": 3, "tol": None, "shuffle": False},
    ]:
        clf = SGDClassifier(**params).fit(x, labels)
        proba = clf.predict_proba(x)
        stride = 50
        out["cases"].append({
            "params": params,
            "classes": clf.classes_.tolist(),
            "coef_sum": clf.coef_.sum(axis=1).tolist(),
            "coef_abs_sum": np.abs(clf.coef_).sum(axis=1).tolist(),
            "coef_nnz": (clf.coef_ != 0).sum(axis=1).tolist(),
            "intercept": clf.intercept_.tolist(),
            "n_iter": int(clf.n_iter_),
            "stride": stride,
            "proba": proba[::stride].tolist(),
        })
    with open(os.path.join(OUT, "bbc.json"), "w") as f:
        json.dump(out, f)
    print("wrote bbc.json")


def main():
    os.makedirs(OUT, exist_ok=True)
    unit = {
        "versions": VERSIONS,
        "datasets": {k: {"x": encode_x(x), "y": y.tolist()} for k, (x, y) in DATASETS.items()},
        "cases": [run(*c) for c in CASES],
    }
    with open(os.path.join(OUT, "unit.json"), "w") as f:
        json.dump(unit, f)
    print("wrote unit.json with %d cases" % len(unit["cases"]))
    bbc()


if __name__ == "__main__":
    main()
