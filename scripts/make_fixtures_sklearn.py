#!/usr/bin/env python3
"""Generates the fixtures of proba::sklearn: fitted scikit-learn models
written with pickle and joblib, and their predict_proba on held-out texts.

Writes tests/fixtures/sklearn/<tag>/ with, for every model below,
<model>.<format> for the formats
    p2.pkl, p4.pkl, p5.pkl   pickle.dump(model, f, protocol=2/4/5)
    joblib                   joblib.dump(model, f)
    z3.joblib                joblib.dump(model, f, compress=3)          (zlib)
    gz3.joblib               joblib.dump(model, f, compress=('gzip', 3))
and expected.json: the versions, the held-out texts and, per model, its
classes and predict_proba on those texts (for a bare classifier, on the
TF-IDF features of the `tfidf` vectorizer; for a vectorizer, its transform
as dense rows of the first 5 texts; for `tfidf_transformer`, its transform
of the `count` vectorizer's counts of those texts).

Corpus: data/fortunes-demo.jsonl (BSD, vendored in the repo), every 5th of
its lines (250 at most); 0-based line i is a test line iff i % 5 == 0.

With `refused` as the tag (run with scikit-learn 1.3, which still has
`multi_class`), writes tests/fixtures/sklearn/refused/: small files proba
must refuse with an error naming the cause (a callable tokenizer, a
preprocessor, input='filename', multi_class='ovr' over 3 classes, float32
dtype, bz2/xz/lzma compression).

Run once per scikit-learn/numpy version, each in its own environment:
    python3 scripts/make_fixtures_sklearn.py sk19          # system: 1.9.1 / numpy 2.x
    /tmp/sk13/bin/python scripts/make_fixtures_sklearn.py sk13   # 1.3.* / numpy<2
"""

import json
import os
import pickle
import sys

import joblib
import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N_LINES = 250


def my_tokenizer(doc):
    """A custom callable: pickled by reference as __main__.my_tokenizer."""
    return doc.split()


def refused(out, tx, ty):
    small = tx[:60], ty[:60]
    files = {
        "tokenizer.pkl": TfidfVectorizer(tokenizer=my_tokenizer, token_pattern=None).fit(small[0]),
        "preprocessor.pkl": TfidfVectorizer(preprocessor=str.lower).fit(small[0]),
        "input_filename.pkl": CountVectorizer(input="filename"),
        "float32.pkl": TfidfVectorizer(dtype=np.float32).fit(small[0]),
    }
    v = TfidfVectorizer().fit(small[0])
    files["ovr3.pkl"] = LogisticRegression(multi_class="ovr").fit(v.transform(small[0]), small[1])
    for name, m in files.items():
        with open(os.path.join(out, name), "wb") as f:
            pickle.dump(m, f, protocol=4)
    for comp in ("bz2", "xz", "lzma"):
        joblib.dump(v, os.path.join(out, f"tfidf.{comp}.joblib"), compress=(comp, 3))
    assert len(set(small[1])) >= 3


def main():
    tag = sys.argv[1]
    if tag == "refused":
        out = os.path.join(ROOT, "tests", "fixtures", "sklearn", "refused")
        os.makedirs(out, exist_ok=True)
        rows = []
        with open(os.path.join(ROOT, "data", "fortunes-demo.jsonl"), encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        # Lines spread over the categories (the file is grouped by category).
        rows = rows[::20]
        refused(out, [r["text"] for r in rows], [r["label"] for r in rows])
        return
    out = os.path.join(ROOT, "tests", "fixtures", "sklearn", tag)
    os.makedirs(out, exist_ok=True)
    rows = []
    with open(os.path.join(ROOT, "data", "fortunes-demo.jsonl"), encoding="utf-8") as f:
        # Every 5th line: the file is grouped by category, so this spreads
        # the rows over all of them (multiclass models).
        rows = [json.loads(line) for line in f][::5][:N_LINES]
    train = [r for i, r in enumerate(rows) if i % 5 != 0]
    test = [r for i, r in enumerate(rows) if i % 5 == 0]
    tx, ty = [r["text"] for r in train], [r["label"] for r in train]
    qx = [r["text"] for r in test]
    cats = sorted(set(ty))
    ty_int = [cats.index(c) * 10 + 3 for c in ty]  # integer classes 3, 13, 23...
    ty_bin = [7 if c == cats[0] else 2 for c in ty]  # binary integer classes
    sets = [{r["label"]} | ({"long"} if len(r["text"]) > 200 else set()) | {"always"} for r in train]

    tfidf = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, max_df=0.9, sublinear_tf=True,
        stop_words="english", strip_accents="unicode", max_features=1500,
    ).fit(tx)
    X, Q = tfidf.transform(tx), tfidf.transform(qx)
    count = CountVectorizer(
        analyzer="char_wb", ngram_range=(2, 3), min_df=3, max_features=800,
        binary=True, lowercase=False,
    ).fit(tx)
    mlb = MultiLabelBinarizer().fit(sets)
    Y = mlb.transform(sets)
    tt = TfidfTransformer(smooth_idf=False, sublinear_tf=True).fit(count.transform(tx))

    models = {
        "tfidf": tfidf,
        "count": count,
        "mlb": mlb,
        "lr_str": LogisticRegression(C=4.0, max_iter=500).fit(X, ty),
        "lr_bin_int": LogisticRegression(C=0.5, fit_intercept=False).fit(X, ty_bin),
        "dt_int": DecisionTreeClassifier(max_depth=8, random_state=0).fit(X, ty_int),
        "dt_best_first": DecisionTreeClassifier(max_leaf_nodes=25, random_state=0).fit(X, ty),
        "rf_str": RandomForestClassifier(n_estimators=8, max_depth=10, min_samples_leaf=2,
                                         random_state=0).fit(X, ty),
        "ovr_lr": OneVsRestClassifier(LogisticRegression(C=2.0)).fit(X, Y),
        "ovr_rf": OneVsRestClassifier(
            RandomForestClassifier(n_estimators=4, max_depth=6, random_state=0)).fit(X, Y),
        "pipe_lr": make_pipeline(TfidfVectorizer(min_df=2, norm="l1", smooth_idf=False),
                                 LogisticRegression(max_iter=300)).fit(tx, ty),
        "pipe_rf": Pipeline([("words", TfidfVectorizer(use_idf=False, binary=True)),
                             ("forest", RandomForestClassifier(n_estimators=6, max_depth=8,
                                                               random_state=1))]).fit(tx, ty_int),
        # Raw counts into the classifier, and counts then a TfidfTransformer
        # (which together are a TfidfVectorizer).
        "pipe_count_lr": make_pipeline(CountVectorizer(ngram_range=(1, 2), min_df=2, max_features=600),
                                       LogisticRegression(max_iter=2000)).fit(tx, ty),
        "pipe_count_tfidf_lr": Pipeline([
            ("counts", CountVectorizer(stop_words="english", binary=True, max_features=700)),
            ("weights", TfidfTransformer(norm="l1", sublinear_tf=True)),
            ("model", LogisticRegression(C=3.0, max_iter=1000)),
        ]).fit(tx, ty_int),
        "pipe_dt": make_pipeline(TfidfVectorizer(max_features=400),
                                 DecisionTreeClassifier(max_depth=6, random_state=0)).fit(tx, ty),
        # Label sets: classes_ are the indicator columns 0..n, whose names
        # are the `mlb` binarizer's classes.
        "pipe_ovr": make_pipeline(TfidfVectorizer(sublinear_tf=True, max_features=500),
                                  OneVsRestClassifier(LogisticRegression())).fit(tx, Y),
        "tfidf_transformer": tt,
    }
    expected = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "joblib": joblib.__version__,
        "texts": qx,
        "models": {},
    }
    for name, m in models.items():
        rec = {"type": type(m).__name__}
        if name in ("tfidf", "count"):
            rec["dense"] = m.transform(qx[:5]).toarray().tolist()
            rec["n_features"] = len(m.vocabulary_)
        elif name == "tfidf_transformer":
            # On the `count` vectorizer's counts of the first 5 texts.
            rec["dense"] = m.transform(count.transform(qx[:5])).toarray().tolist()
            rec["n_features"] = int(m.n_features_in_)
        elif name == "mlb":
            rec["classes"] = [str(c) for c in m.classes_]
        else:
            inputs = qx if name.startswith("pipe") else Q
            rec["classes"] = [c.item() if hasattr(c, "item") else c for c in m.classes_]
            rec["proba"] = m.predict_proba(inputs).tolist()
        expected["models"][name] = rec
        for proto in (2, 4, 5):
            with open(os.path.join(out, f"{name}.p{proto}.pkl"), "wb") as f:
                pickle.dump(m, f, protocol=proto)
        joblib.dump(m, os.path.join(out, f"{name}.joblib"))
        joblib.dump(m, os.path.join(out, f"{name}.z3.joblib"), compress=3)
        joblib.dump(m, os.path.join(out, f"{name}.gz3.joblib"), compress=("gzip", 3))
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f)
    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"{tag}: sklearn {sklearn.__version__}, numpy {np.__version__}: {total} bytes")


if __name__ == "__main__":
    main()
