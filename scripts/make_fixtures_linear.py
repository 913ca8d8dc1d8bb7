#!/usr/bin/env python3
"""Writes tests/fixtures/linear/*.json: scikit-learn LogisticRegression outputs
that the Rust parity tests (tests/linear/logistic_parity.rs, tests/linear/logistic_parity_corpora.rs)
compare against.

    python3 scripts/make_fixtures_linear.py [--corpora] [--dump DIR]

* iris.json      the iris data (public domain, shipped with scikit-learn) and fits on it
* digits.json    fits on ../shared/data/digits.csv (data not copied), split i % 5 == 0
* newton_cg.json solver="newton-cg" with default tol/max_iter on iris and digits
                 (and, with --corpora, BBC and fortunes TF-IDF): n_iter, objective and
                 probabilities, for Solver::NewtonCg
* corpora.json   (--corpora) TF-IDF (TfidfVectorizer defaults, fitted on the training
                 rows) of BBC and fortunes: shapes, default-settings and tight-tol fits,
                 probabilities of every 10th test row. No text is written.
* --dump DIR     also writes the TF-IDF matrices as raw little-endian arrays
                 (indptr u64, indices u64, data f64) plus labels, for
                 examples/compare_logistic.rs. Never commit these (BBC is research-use only).

Standardization is done with plain sequential Python sums (not StandardScaler) so the
Rust tests can reproduce the standardized features bit for bit:
mean = sum/n, std = sqrt(sum((x - mean)^2)/n), scale 1 where std == 0.
"""
import argparse
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "tests", "fixtures", "linear")
DATA = os.environ.get("PROBA_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))
TIGHT = dict(tol=1e-10, max_iter=20000)


def standardize(train, test):
    """Sequential-sum standardization (see module doc)."""
    n, p = train.shape
    mean = np.zeros(p)
    std = np.zeros(p)
    for j in range(p):
        s = 0.0
        for i in range(n):
            s += float(train[i, j])
        m = s / n
        v = 0.0
        for i in range(n):
            d = float(train[i, j]) - m
            v += d * d
        sd = math.sqrt(v / n)
        mean[j] = m
        std[j] = sd if sd != 0.0 else 1.0
    return (train - mean) / std, (test - mean) / std


def objective(model, X, y, sample_weight=None):
    """f of src/parity.md section 2.2, with the model's class weights applied."""
    classes = model.classes_
    n = X.shape[0]
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float).copy()
    cw = model.class_weight
    if cw == "balanced":
        w = np.array([s.sum() / (len(classes) * s[y == c].sum()) for c in classes])
        s = s * w[np.searchsorted(classes, y)]
    elif isinstance(cw, dict):
        s = s * np.array([cw.get(c, 1.0) for c in y])
    S = s.sum()
    z = X @ model.coef_.T + model.intercept_
    if len(classes) == 2:
        z = z[:, 0]
        t = (y == classes[1]).astype(float)
        loss = np.logaddexp(0, z) - t * z
    else:
        m = z.max(1, keepdims=True)
        lse = (m[:, 0] + np.log(np.exp(z - m).sum(1)))
        loss = lse - z[np.arange(n), np.searchsorted(classes, y)]
    return float((s * loss).sum() / S + (model.coef_ ** 2).sum() / (2 * model.C * S))


def fit(X, y, sample_weight=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        m = LogisticRegression(**kw).fit(X, y, sample_weight=sample_weight)
        dt = time.perf_counter() - t0
    return m, dt


def case_record(name, m, X, y, Xte, sw=None, settings=None, rows=None, newton=False):
    """One fixture case. With `newton`, the probabilities are those of the exact
    optimum (solver='newton-cholesky', tol=1e-12): a tight-tol lbfgs run stops on
    its relative-decrease test (64 eps) slightly short of it, so the lbfgs
    probabilities are not a 1e-6 reference. The lbfgs objective is kept in
    `objective` (the bar proba must reach), the optimum's in `objective_optimum`."""
    p = m.predict_proba(Xte)
    extra = {}
    if newton:
        kw = {k: v for k, v in m.get_params().items() if k in ("C", "class_weight", "fit_intercept")}
        opt, _ = fit(X, y, sample_weight=sw, solver="newton-cholesky", tol=1e-12, max_iter=1000, **kw)
        p = opt.predict_proba(Xte)
        extra = {"objective_optimum": objective(opt, X, y, sw),
                 "lbfgs_proba_vs_optimum": float(np.abs(m.predict_proba(Xte) - p).max())}
    if rows is not None:
        p = p[rows]
    return extra | {
        "name": name,
        "settings": settings,
        "n_iter": int(m.n_iter_[0]),
        "objective": objective(m, X, y, sw),
        "coef": m.coef_.tolist(),
        "intercept": m.intercept_.tolist(),
        "proba": p.tolist(),
    }


def iris_fixture():
    iris = load_iris()
    X, y = iris.data.astype(float), iris.target.astype(int)
    Xs, _ = standardize(X, X)
    cases = []
    specs = [
        # name, features, binary?, settings
        ("multiclass_std_default", "std", False, {}),
        ("binary_raw_default", "raw", True, {}),
        ("multiclass_std_tight", "std", False, TIGHT),
        ("binary_raw_tight", "raw", True, TIGHT),
        ("multiclass_raw_c0.05_tight", "raw", False, dict(C=0.05, **TIGHT)),
    ]
    for name, feats, binary, settings in specs:
        A = Xs if feats == "std" else X
        t = (y == 2).astype(int) if binary else y
        m, _ = fit(A, t, **settings)
        rec = case_record(name, m, A, t, A, settings=settings, newton=bool(settings))
        rec.update({"features": feats, "binary": binary})
        cases.append(rec)
    return {
        "sklearn_version": sklearn.__version__,
        "note": "iris (Fisher 1936, public domain) as shipped with scikit-learn; "
        "'binary' means y == 2; 'std' is sequential-sum standardization on all rows",
        "x": X.tolist(),
        "y": y.tolist(),
        "cases": cases,
    }


def load_digits_csv():
    rows = np.loadtxt(os.path.join(DATA, "digits.csv"), delimiter=",", skiprows=1)
    return rows[:, :-1], rows[:, -1].astype(int)


def digits_fixture():
    X, y = load_digits_csv()
    idx = np.arange(len(y))
    te, tr = idx % 5 == 0, idx % 5 != 0
    Xtr, Xte = standardize(X[tr], X[te])
    ytr = y[tr]
    sub = np.isin(ytr, [3, 8])
    sub_te = np.isin(y[te], [3, 8])
    sw = np.array([1.0 + (i % 3) for i in range(len(ytr))])
    specs = [
        # name, rows, sample weights, settings
        ("default", None, None, {}),
        ("default_binary_3_8", "sub", None, {}),
        ("tight_c1", None, None, dict(C=1.0, **TIGHT)),
        ("tight_c0.01", None, None, dict(C=0.01, **TIGHT)),
        ("tight_c100", None, None, dict(C=100.0, **TIGHT)),
        ("tight_binary_3_8", "sub", None, TIGHT),
        ("tight_balanced", None, None, dict(class_weight="balanced", **TIGHT)),
        ("tight_no_intercept", None, None, dict(fit_intercept=False, **TIGHT)),
        ("tight_sample_weight", None, "sw", TIGHT),
        ("tight_class_weight_map", None, None, dict(class_weight={0: 2.0, 3: 0.5}, **TIGHT)),
    ]
    cases = []
    for name, rows, w, settings in specs:
        A, t, B = Xtr, ytr, Xte
        if rows == "sub":
            A, t, B = Xtr[sub], ytr[sub], Xte[sub_te]
        s = sw if w == "sw" else None
        m, _ = fit(A, t, sample_weight=s, **settings)
        rec = case_record(name, m, A, t, B, sw=s, settings=settings, newton=bool(settings.get("tol")))
        rec.update({"subset": [3, 8] if rows == "sub" else None, "sample_weight": w})
        cases.append(rec)
        print(f"digits {name}: n_iter={rec['n_iter']} f={rec['objective']:.15f} "
              f"opt={rec.get('objective_optimum')} lbfgs-vs-opt={rec.get('lbfgs_proba_vs_optimum')}",
              file=sys.stderr)
    return {
        "sklearn_version": sklearn.__version__,
        "note": "digits.csv from ../shared/data; test rows i % 5 == 0; features standardized "
        "on the training rows (sequential sums); sample_weight 'sw' = 1 + (train index % 3); "
        "proba is for every test row (of the subset, if any)",
        "cases": cases,
    }


def read_corpus(name):
    texts, labels = [], []
    with open(os.path.join(DATA, name + ".jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                texts.append(d["text"])
                labels.append(d["label"])
    return texts, np.array(labels)


def tfidf_split(name):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts, labels = read_corpus(name)
    idx = np.arange(len(texts))
    tr, te = idx[idx % 5 != 0], idx[idx % 5 == 0]
    vec = TfidfVectorizer().fit([texts[i] for i in tr])
    Xtr = vec.transform([texts[i] for i in tr])
    Xte = vec.transform([texts[i] for i in te])
    Xtr.sort_indices()
    Xte.sort_indices()
    return Xtr, labels[tr], Xte, labels[te]


def dump_csr(path, X, labels):
    os.makedirs(path, exist_ok=True)
    X = X.tocsr()
    X.indptr.astype("<u8").tofile(os.path.join(path, "indptr.bin"))
    X.indices.astype("<u8").tofile(os.path.join(path, "indices.bin"))
    X.data.astype("<f8").tofile(os.path.join(path, "data.bin"))
    with open(os.path.join(path, "meta.json"), "w") as f:
        json.dump({"n_rows": X.shape[0], "n_cols": X.shape[1], "labels": list(map(str, labels))}, f)


def corpora_fixture(dump):
    out = {"sklearn_version": sklearn.__version__,
           "note": "TfidfVectorizer() fitted on the training rows (i % 5 != 0); "
           "proba rows are test rows 0, 10, 20, ... (in test order)",
           "corpora": {}}
    for name in ["bbc", "fortunes"]:
        Xtr, ytr, Xte, yte = tfidf_split(name)
        if dump:
            dump_csr(os.path.join(dump, name, "train"), Xtr, ytr)
            dump_csr(os.path.join(dump, name, "test"), Xte, yte)
        rows = np.arange(0, Xte.shape[0], 10)
        rec = {"n_train": Xtr.shape[0], "n_test": Xte.shape[0], "n_features": Xtr.shape[1],
               "nnz_train": int(Xtr.nnz), "classes": sorted(set(ytr.tolist())), "rows": rows.tolist()}
        for label, settings in [("default", {}), ("tight", TIGHT)]:
            m, dt = fit(Xtr, ytr, **settings)
            r = case_record(label, m, Xtr, ytr, Xte, settings=settings, rows=rows)
            if label == "tight":
                # A tight-tol lbfgs run stops on its relative-decrease test short
                # of the optimum (Newton is too big here). Refine with warm-started
                # refits until the objective stops decreasing; the probabilities
                # are those of the refined fit, `objective` stays the first fit's
                # (the bar proba must reach).
                best = r["objective"]
                ref = LogisticRegression(warm_start=True, **settings)
                ref.coef_, ref.intercept_ = m.coef_.copy(), m.intercept_.copy()
                ref.classes_ = m.classes_
                for _ in range(4):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", ConvergenceWarning)
                        ref.fit(Xtr, ytr)
                    f = objective(ref, Xtr, ytr)
                    if f >= best:
                        break
                    best = f
                    r["proba"] = ref.predict_proba(Xte)[rows].tolist()
                r["objective_refined"] = best
            del r["coef"]
            r["intercept"] = m.intercept_.tolist()
            r["fit_seconds"] = dt
            r["test_accuracy"] = float(m.score(Xte, yte))
            rec[label] = r
            print(f"{name} {label}: n_iter={r['n_iter']} f={r['objective']:.15f} "
                  f"time={dt:.1f}s", file=sys.stderr)
        out["corpora"][name] = rec
    return out


def newton_cg_fixture(corpora):
    """scikit-learn's newton-cg at its defaults (tol 1e-4, max_iter 100): the
    same algorithm as proba's Solver::NewtonCg, so same n_iter and (nearly) the
    same point."""
    iris = load_iris()
    X, y = iris.data.astype(float), iris.target.astype(int)
    Xs, _ = standardize(X, X)
    out = {"sklearn_version": sklearn.__version__,
           "note": "solver='newton-cg', default tol and max_iter unless settings say otherwise; "
           "iris data as in iris.json; digits split and standardization as in digits.json; "
           "corpora as in corpora.json (proba rows: every 10th test row)",
           "iris": [], "digits": [], "corpora": {}}
    for name, feats, binary, settings in [
        ("multiclass_std", "std", False, {}),
        ("binary_raw", "raw", True, {}),
        ("multiclass_raw_c0.05", "raw", False, dict(C=0.05)),
        ("multiclass_raw_c100", "raw", False, dict(C=100.0)),
    ]:
        A = Xs if feats == "std" else X
        t = (y == 2).astype(int) if binary else y
        m, _ = fit(A, t, solver="newton-cg", **settings)
        rec = case_record(name, m, A, t, A, settings=settings)
        rec.update({"features": feats, "binary": binary})
        del rec["coef"]
        out["iris"].append(rec)
    X, y = load_digits_csv()
    idx = np.arange(len(y))
    te, tr = idx % 5 == 0, idx % 5 != 0
    Xtr, Xte = standardize(X[tr], X[te])
    ytr = y[tr]
    sub, sub_te = np.isin(ytr, [3, 8]), np.isin(y[te], [3, 8])
    sw = np.array([1.0 + (i % 3) for i in range(len(ytr))])
    for name, rows, w, settings in [
        ("default", None, None, {}),
        ("binary_3_8", "sub", None, {}),
        ("c0.01", None, None, dict(C=0.01)),
        ("c100", None, None, dict(C=100.0)),
        ("balanced", None, None, dict(class_weight="balanced")),
        ("no_intercept", None, None, dict(fit_intercept=False)),
        ("sample_weight", None, "sw", {}),
        ("tol_1e-8", None, None, dict(tol=1e-8)),
    ]:
        A, t, B = Xtr, ytr, Xte
        if rows == "sub":
            A, t, B = Xtr[sub], ytr[sub], Xte[sub_te]
        s_ = sw if w == "sw" else None
        m, _ = fit(A, t, sample_weight=s_, solver="newton-cg", **settings)
        rec = case_record(name, m, A, t, B, sw=s_, settings=settings)
        rec.update({"subset": [3, 8] if rows == "sub" else None, "sample_weight": w})
        del rec["coef"]
        out["digits"].append(rec)
        print(f"newton-cg digits {name}: n_iter={rec['n_iter']} f={rec['objective']:.15f}", file=sys.stderr)
    if corpora:
        for name in ["bbc", "fortunes"]:
            Xtr, ytr, Xte, yte = tfidf_split(name)
            rows = np.arange(0, Xte.shape[0], 10)
            m, dt = fit(Xtr, ytr, solver="newton-cg")
            r = case_record("default", m, Xtr, ytr, Xte, settings={}, rows=rows)
            del r["coef"]
            r["fit_seconds"] = dt
            out["corpora"][name] = r
            print(f"newton-cg {name}: n_iter={r['n_iter']} f={r['objective']:.15f} time={dt:.1f}s",
                  file=sys.stderr)
    return out


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", action="store_true")
    ap.add_argument("--skip-small", action="store_true")
    ap.add_argument("--dump")
    ap.add_argument("--newton-cg-only", action="store_true",
                    help="write only newton_cg.json (with --corpora: its corpus cases too)")
    a = ap.parse_args()
    if a.newton_cg_only:
        write("newton_cg.json", newton_cg_fixture(a.corpora))
        return
    if not a.skip_small:
        write("iris.json", iris_fixture())
        write("digits.json", digits_fixture())
    if a.corpora:
        write("corpora.json", corpora_fixture(a.dump))
    write("newton_cg.json", newton_cg_fixture(a.corpora))


if __name__ == "__main__":
    main()
