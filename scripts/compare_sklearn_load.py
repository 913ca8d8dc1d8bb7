#!/usr/bin/env python3
"""Loading scikit-learn pickles: Python's pickle.load against proba::sklearn,
on the same files, in one run, with parity of the probabilities.

Trains, on the shared split (test rows i % 5 == 0), the text pipelines
    bbc-lr       make_pipeline(TfidfVectorizer(), LogisticRegression())
    bbc-rf       make_pipeline(TfidfVectorizer(), RandomForestClassifier(100, random_state=0))
    bbc-ovr      make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LogisticRegression()))
    fortunes-rf  make_pipeline(TfidfVectorizer(), RandomForestClassifier(100, random_state=0))
pickles each (protocol 5) to a scratch directory, then for each file runs,
each in a fresh process under /usr/bin/time -v:
    python: pickle.load(open(f, 'rb'))        (timed inside the process)
    proba:  examples/sklearn_load              (timed inside the process)
and prints both load times, their ratio, both peak RSS, the file size, and
the largest |difference| of predict_proba on the held-out texts.

Usage (from the crate root; the example is built first):
    python3 scripts/compare_sklearn_load.py [bbc-lr bbc-rf bbc-ovr fortunes-rf] [--tmp DIR]
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.multiclass import OneVsRestClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.environ.get("PROBA_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))
EXAMPLE = os.path.join(ROOT, "target", "release", "examples", "sklearn_load")

PY_LOAD = """
import pickle, sys, time
t = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    m = pickle.load(f)
print('LOAD', time.perf_counter() - t)
"""


def corpus(name):
    rows = [json.loads(line) for line in open(os.path.join(DATA, f"{name}.jsonl"), encoding="utf-8")]
    train = [r for i, r in enumerate(rows) if i % 5 != 0]
    test = [r for i, r in enumerate(rows) if i % 5 == 0]
    return [r["text"] for r in train], [r["label"] for r in train], [r["text"] for r in test]


def model(name):
    clf = {
        "lr": LogisticRegression(),
        "rf": RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2),
        "ovr": OneVsRestClassifier(LogisticRegression()),
    }[name.split("-")[1]]
    return make_pipeline(TfidfVectorizer(), clf)


def timed(cmd):
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, check=True)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    return r.stdout, rss * 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", default=["bbc-lr", "bbc-rf", "bbc-ovr", "fortunes-rf"])
    ap.add_argument("--tmp", default="/tmp/proba_sklearn_load")
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--example", "sklearn_load"], cwd=ROOT, check=True)
    print(f"{'model':12} {'file MB':>8} {'python s':>9} {'proba s':>8} {'ratio':>6} "
          f"{'py RSS MB':>9} {'proba RSS MB':>12} {'max |dp|':>9}")
    for name in a.names:
        tx, ty, qx = corpus(name.split("-")[0])
        m = model(name).fit(tx, ty)
        path = os.path.join(a.tmp, f"{name}.pkl")
        with open(path, "wb") as f:
            pickle.dump(m, f, protocol=5)
        want = m.predict_proba(qx)
        texts = os.path.join(a.tmp, f"{name}.texts.json")
        with open(texts, "w", encoding="utf-8") as f:
            json.dump(qx, f)
        del m
        out, py_rss = timed([sys.executable, "-c", PY_LOAD, path])
        py_s = float(out.split()[-1])
        res = os.path.join(a.tmp, f"{name}.proba.json")
        _, rs_rss = timed([EXAMPLE, name.split("-")[1], path, texts, res])
        got = json.load(open(res, encoding="utf-8"))
        diff = float(np.max(np.abs(np.array(got["proba"]) - want)))
        rs_s = got["load_seconds"]
        print(f"{name:12} {os.path.getsize(path) / 1e6:8.1f} {py_s:9.3f} {rs_s:8.3f} "
              f"{py_s / rs_s:6.2f} {py_rss / 1e6:9.0f} {rs_rss / 1e6:12.0f} {diff:9.2e}")


if __name__ == "__main__":
    main()
