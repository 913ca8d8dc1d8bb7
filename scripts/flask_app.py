"""The reference being replaced: Flask + scikit-learn serving TF-IDF + logistic
regression trained on BBC (rows with i % 5 != 0), as scripts/compare_serving.sh
runs it under gunicorn. POST /predict {"text": ...} -> {"probabilities": {...}}.

Data: $PROBA_DATA_DIR/bbc.jsonl (default ../shared/data beside the crate).
"""
import json
import os

from flask import Flask, jsonify, request
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("PROBA_DATA_DIR", os.path.join(HERE, "..", "..", "shared", "data"))

texts, labels = [], []
with open(os.path.join(DATA, "bbc.jsonl"), encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i % 5 != 0:
            row = json.loads(line)
            texts.append(row["text"])
            labels.append(row["label"])

vectorizer = TfidfVectorizer()
model = LogisticRegression().fit(vectorizer.fit_transform(texts), labels)

app = Flask(__name__)


@app.route("/predict", methods=["POST"])
def predict():
    text = request.get_json()["text"]
    proba = model.predict_proba(vectorizer.transform([text]))[0]
    return jsonify({"probabilities": {c: float(p) for c, p in zip(model.classes_, proba)}})


@app.route("/health")
def health():
    return jsonify({"status": "ok"})
