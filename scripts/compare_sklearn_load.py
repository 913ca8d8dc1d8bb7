#!/usr/bin/env python3
"""Loading scikit-learn pickles: Python's pickle.load against proba::sklearn,
on the same files, in one run, with parity of the probabilities.

Trains, on the shared split (test rows i % 5 == 0), the text pipelines
    bbc-lr       make_pipeline(TfidfVectorizer(), LogisticRegression())
    bbc-rf       make_pipeline(TfidfVectorizer(), RandomForestClassifier(100, random_state=0))
    bbc-ovr      make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LogisticRegression()))
    fortunes-rf  make_pipeline(TfidfVectorizer(), RandomForestClassifier(100, random_state=0))
pickles each (protocol 5) to a scratch directory, then for each file runs,
each in a fresh process under /usr/bin/time -v, --runs times (default 7),
the two sides taking turns:
    python: pickle.load(open(f, 'rb'))        (timed inside the process)
    proba:  examples/sklearn_load              (timed inside the process)
and prints the median load times (Python's after importing scikit-learn, so
the time is pickle.load's own: file read and unpickling), their ratio, the memory the loaded model takes
on each side (resident set after the load minus before it), each side's
peak RSS, proba's peak over its model (peak minus the process's RSS before
the load, divided by the model's), the file size, and the largest
|difference| of predict_proba on the held-out texts.

Usage (from the crate root; the example is built first):
    python3 scripts/compare_sklearn_load.py [bbc-lr bbc-rf bbc-ovr fortunes-rf] [--runs N] [--tmp DIR]
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
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
# The modules the file names, imported first: the time is pickle.load's own.
import sklearn.pipeline, sklearn.linear_model, sklearn.ensemble, sklearn.multiclass
import sklearn.feature_extraction.text
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * 4096
before = rss()
t = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    m = pickle.load(f)
print('LOAD', time.perf_counter() - t, rss() - before)
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
    ap.add_argument("--runs", type=int, default=7, help="fresh processes per side (>= 1)")
    a = ap.parse_args()
    if a.runs < 1:
        ap.error("--runs must be at least 1")
    os.makedirs(a.tmp, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--example", "sklearn_load"], cwd=ROOT, check=True)
    print(f"medians of {a.runs} fresh processes per side; proba's threads: "
          f"{os.environ.get('RAYON_NUM_THREADS', os.cpu_count())}")
    print(f"{'model':12} {'file MB':>8} {'python s':>9} {'proba s':>8} {'ratio':>6} "
          f"{'py model MB':>11} {'py peak MB':>10} {'proba model MB':>14} {'proba peak MB':>13} "
          f"{'peak/model':>10} {'max |dp|':>9}")
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
        res = os.path.join(a.tmp, f"{name}.proba.json")
        py, rs = [], []
        for _ in range(a.runs):
            out, peak = timed([sys.executable, "-c", PY_LOAD, path])
            py.append((float(out.split()[-2]), int(out.split()[-1]), peak))
            _, peak = timed([EXAMPLE, name.split("-")[1], path, texts, res])
            got = json.load(open(res, encoding="utf-8"))
            rs.append((got["load_seconds"], got["model_rss"], peak, got["base_rss"]))
        diff = float(np.max(np.abs(np.array(got["proba"]) - want)))
        med = lambda rows, i: statistics.median(r[i] for r in rows)  # noqa: E731
        py_s, py_model, py_rss = med(py, 0), med(py, 1), med(py, 2)
        rs_s, rs_model, rs_rss, rs_base = med(rs, 0), med(rs, 1), med(rs, 2), med(rs, 3)
        print(f"{name:12} {os.path.getsize(path) / 1e6:8.1f} {py_s:9.3f} {rs_s:8.3f} "
              f"{py_s / rs_s:6.2f} {py_model / 1e6:11.0f} {py_rss / 1e6:10.0f} "
              f"{rs_model / 1e6:14.0f} {rs_rss / 1e6:13.0f} "
              f"{(rs_rss - rs_base) / max(rs_model, 1):10.2f} {diff:9.2e}")


if __name__ == "__main__":
    main()
