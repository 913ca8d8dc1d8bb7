#!/usr/bin/env python3
"""Side-by-side random forest comparison: scikit-learn vs proba, same data, same run.

For digits (dense), BBC TF-IDF and fortunes TF-IDF (TfidfVectorizer() defaults fitted on the
training texts; shared split, test rows i % 5 == 0), fits a 100-tree forest with 1 and 2 jobs in
scikit-learn (n_jobs) and in proba (n_jobs, a local rayon pool), and prints the median fit time of
each, the speed ratio, the CPU time of each (less sensitive to machine load), both test accuracies and log losses, and the saved model size (pickle vs
proba::io JSON).

Usage (from the crate root):
    python3 scripts/compare_forest.py [digits] [bbc] [fortunes] [--repeat 3]
The proba side is `cargo run --release --example compare_forest`. Timings on a shared machine are
noisy: the figures are medians of --repeat runs (fortunes: 1 run).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
DATA = os.environ.get("PROBA_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))


def load(name):
    if name == "digits":
        d = np.loadtxt(os.path.join(DATA, "digits.csv"), delimiter=",", skiprows=1)
        X, y = d[:, :-1], d[:, -1].astype(np.int64)
        te = np.arange(len(y)) % 5 == 0
        return X[~te], y[~te], X[te], y[te]
    texts, labels = [], []
    with open(os.path.join(DATA, name + ".jsonl")) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                texts.append(r["text"])
                labels.append(r["label"])
    labels = np.array(labels)
    te = np.arange(len(labels)) % 5 == 0
    train = [t for t, m in zip(texts, te) if not m]
    test = [t for t, m in zip(texts, te) if m]
    vec = TfidfVectorizer().fit(train)
    return vec.transform(train), labels[~te], vec.transform(test), labels[te]


def log_loss(classes, proba, y):
    eps = np.finfo(np.float64).eps
    idx = np.searchsorted(classes, y)
    return float(-np.mean(np.log(np.clip(proba[np.arange(len(y)), idx], eps, 1 - eps))))


def sklearn_side(name, repeat):
    Xtr, ytr, Xte, yte = load(name)
    out = {}
    for jobs in (1, 2):
        times, cpu, rf = [], [], None
        for _ in range(repeat):
            c0, t0 = time.process_time(), time.perf_counter()
            rf = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=jobs).fit(Xtr, ytr)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        p = rf.predict_proba(Xte)
        out[jobs] = {"fit_seconds": float(np.median(times)), "fit_all": times,
                     "fit_cpu_seconds": float(np.median(cpu)),
                     "accuracy": float(np.mean(rf.classes_[p.argmax(1)] == yte)),
                     "log_loss": log_loss(rf.classes_, p, yte),
                     "saved_bytes": len(pickle.dumps(rf, protocol=pickle.HIGHEST_PROTOCOL)),
                     "node_count": int(sum(e.tree_.node_count for e in rf.estimators_))}
    return out


def proba_side(sets, repeat):
    cmd = ["cargo", "run", "--quiet", "--release", "--example", "compare_forest", "--",
           *sets, "--repeat", str(repeat)]
    res = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    return {(r["dataset"], r["threads"]): r for r in rows}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="*", default=["digits", "bbc", "fortunes"])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(f"{'dataset':9} {'jobs':>4} {'sklearn fit s':>13} {'proba fit s':>11} {'speedup':>7}  "
          f"{'cpu s sk/proba':>15}  {'acc sk/proba':>15}  {'logloss sk/proba':>17}  {'pickle MB':>9} {'proba MB':>8} {'size':>5}")
    for name in a.sets:
        reps = 1 if name == "fortunes" else a.repeat
        # One dataset at a time, proba then scikit-learn, so both see similar machine load.
        ours = proba_side([name], a.repeat)
        sk = sklearn_side(name, reps)
        for jobs in (1, 2):
            s, o = sk[jobs], ours.get((name, jobs))
            if o is None:
                print(f"{name:9} {jobs:>4} proba side missing")
                continue
            print(f"{name:9} {jobs:>4} {s['fit_seconds']:13.3f} {o['fit_seconds']:11.3f} "
                  f"{s['fit_seconds'] / o['fit_seconds']:6.1f}x  "
                  f"{s['fit_cpu_seconds']:7.2f}/{o['fit_cpu_seconds']:<7.2f}  "
                  f"{s['accuracy']:.4f}/{o['accuracy']:.4f}  "
                  f"{s['log_loss']:8.4f}/{o['log_loss']:.4f}  "
                  f"{s['saved_bytes'] / 1e6:9.2f} {o['saved_bytes'] / 1e6:8.2f} "
                  f"{o['saved_bytes'] / s['saved_bytes']:5.2f}", flush=True)
        print(f"{name:9} proba predict_proba(1 row, 100 trees): "
              f"{ours.get((name, 2), {}).get('predict_one_row_us', float('nan')):.1f} us", flush=True)


if __name__ == "__main__":
    main()
