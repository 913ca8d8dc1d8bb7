#!/usr/bin/env python3
"""Writes tests/fixtures/pipeline/bbc_tfidf_lr.json: scikit-learn's
TfidfVectorizer() + LogisticRegression() trained on the BBC train rows
(i % 5 != 0), and the probabilities it gives the first 40 test rows
(i % 5 == 0). Only derived numbers are stored, never the text (BBC is
research-use only). tests/api/pipeline.rs compares proba's Pipeline with it.

Run from the crate root: python3 scripts/make_fixtures_pipeline.py
"""
import json
import os

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
data = os.environ.get("PROBA_DATA_DIR", os.path.join(root, "..", "shared", "data"))
rows = [json.loads(l) for l in open(os.path.join(data, "bbc.jsonl"), encoding="utf-8")]
train = [r for i, r in enumerate(rows) if i % 5 != 0]
test = [r for i, r in enumerate(rows) if i % 5 == 0]

vec = TfidfVectorizer()
x = vec.fit_transform([r["text"] for r in train])
lr = LogisticRegression().fit(x, [r["label"] for r in train])
n = 40
p = lr.predict_proba(vec.transform([r["text"] for r in test[:n]]))
out = {
    "sklearn_version": sklearn.__version__,
    "n_train": len(train),
    "vocabulary_size": len(vec.vocabulary_),
    "classes": lr.classes_.tolist(),
    "test_rows": n,
    "proba": p.tolist(),
    "test_accuracy": float((lr.predict(vec.transform([r["text"] for r in test])) == [r["label"] for r in test]).mean()),
}
path = os.path.join(root, "tests", "fixtures", "pipeline", "bbc_tfidf_lr.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, out["vocabulary_size"], out["test_accuracy"])
