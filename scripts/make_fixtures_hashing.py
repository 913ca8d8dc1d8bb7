#!/usr/bin/env python3
"""Generate tests/fixtures/hashing/*.json with scikit-learn's HashingVectorizer
and TfidfTransformer (the parity reference).

  python3 scripts/make_fixtures_hashing.py        (from the crate root)

* unit.json: the hard-case corpus of make_fixtures_text.py (accents, CJK,
  emoji, whitespace runs, ...) hashed with many configurations; the exact
  CSR (indptr, indices, data, explicit zeros included) of each. Small
  n_features so collisions (and +1/-1 cancellations) happen. Also
  TfidfTransformer outputs on hashed counts.
* bbc.json, fortunes.json: derived numbers only (never the text): for each
  configuration, nnz and every row's nnz, sum of values and sum of
  column * value (to 13 significant digits) of every
  `row_stride`-th row.
"""
import importlib.util
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "hashing")
DATA = os.environ.get("PROBA_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))

spec = importlib.util.spec_from_file_location("mft", os.path.join(ROOT, "scripts", "make_fixtures_text.py"))
mft = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mft)
UNIT = mft.UNIT_TRAIN + mft.UNIT_TEST

UNIT_CONFIGS = [
    {},
    {"n_features": 16},
    {"n_features": 7, "norm": None},
    {"n_features": 64, "alternate_sign": False, "norm": "l1"},
    {"n_features": 32, "binary": True},
    {"n_features": 32, "binary": True, "norm": None},
    {"n_features": 1 << 18, "alternate_sign": False, "ngram_range": [1, 2]},
    {"n_features": 128, "ngram_range": [2, 3], "stop_words": "english", "norm": None},
    {"n_features": 256, "analyzer": "char", "ngram_range": [1, 3], "norm": None},
    {"n_features": 256, "analyzer": "char_wb", "ngram_range": [2, 4]},
    {"n_features": 1000, "lowercase": False, "strip_accents": "unicode"},
    {"n_features": 1000, "strip_accents": "ascii", "token_pattern": r"(?u)\b\w+\b", "norm": None},
    {"n_features": 2147483647, "norm": None},
]

CORPUS_CONFIGS = [
    {},
    {"n_features": 1 << 18, "alternate_sign": False, "ngram_range": [1, 2]},
    {"n_features": 4096, "norm": None, "stop_words": "english"},
    {"n_features": 1 << 16, "analyzer": "char_wb", "ngram_range": [2, 4]},
]

TFIDF_CONFIGS = [
    {},
    {"norm": None, "smooth_idf": False},
    {"sublinear_tf": True, "norm": "l1"},
    {"use_idf": False},
]


def sk(p):
    q = dict(p)
    if "ngram_range" in q:
        q["ngram_range"] = tuple(q["ngram_range"])
    return q


def csr(X):
    X = X.tocsr()
    return {"shape": list(X.shape), "indptr": X.indptr.tolist(), "indices": X.indices.tolist(), "data": X.data.tolist()}


def unit():
    cases = []
    for p in UNIT_CONFIGS:
        X = HashingVectorizer(**sk(p)).transform(UNIT)
        cases.append({"params": p, "matrix": csr(X)})
    counts = HashingVectorizer(n_features=64, alternate_sign=False, norm=None).transform(UNIT)
    tfidf = []
    for p in TFIDF_CONFIGS:
        t = TfidfTransformer(**p).fit(counts)
        idf = [v if np.isfinite(v) else None for v in t.idf_.tolist()] if p.get("use_idf", True) else None
        tfidf.append({"params": p, "idf": idf,
                      "matrix": csr(t.transform(counts))})
    # TfidfTransformer on CountVectorizer counts equals TfidfVectorizer.
    return {"cases": cases, "tfidf_counts": {"n_features": 64}, "tfidf": tfidf}


def row_digest(X, stride):
    X = X.tocsr()
    nnz, s, cs = [], [], []
    for i in range(0, X.shape[0], stride):
        a, b = X.indptr[i], X.indptr[i + 1]
        nnz.append(int(b - a))
        s.append(float(np.sum(X.data[a:b])))
        cs.append(float(np.sum(X.indices[a:b].astype(np.float64) * X.data[a:b])))
    r = lambda v: float("%.13g" % v)
    return {"nnz": int(X.nnz), "row_nnz": nnz, "row_sum": [r(v) for v in s], "row_col_sum": [r(v) for v in cs]}


def corpus(name):
    path = os.path.join(DATA, name + ".jsonl")
    texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8") if l.strip()]
    stride = 1 if len(texts) < 3000 else 5
    cases = []
    for p in CORPUS_CONFIGS:
        X = HashingVectorizer(**sk(p)).transform(texts)
        cases.append({"params": p, **row_digest(X, stride)})
    return {"n_docs": len(texts), "row_stride": stride, "cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}
    out = {"versions": versions, **unit()}
    json.dump(out, open(os.path.join(OUT, "unit.json"), "w"))
    for name in ["bbc", "fortunes"]:
        json.dump({"versions": versions, **corpus(name)}, open(os.path.join(OUT, name + ".json"), "w"))


if __name__ == "__main__":
    main()
