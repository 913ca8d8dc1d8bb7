#!/usr/bin/env python3
"""Out-of-core training, side by side on the same JSONL file: scikit-learn's
recipe (HashingVectorizer + SGDClassifier.partial_fit, chunk by chunk)
against `cargo run --release --example train -- --stream`.

  python3 scripts/compare_stream.py FILE.jsonl [EPOCHS]     (default 1)

Both sides: a first pass for the classes, then EPOCHS passes of
partial_fit over chunks of 10,000 lines, 2^20 hashed features
(alternate_sign=False, l2 norm), log loss, alpha 1e-4, shuffling with seed 0;
a line is held out iff crc32(line) % 1000 < 200, and held-out accuracy is
computed in a last pass. Prints wall time, MB/s (bytes read over all passes
/ time) and peak RSS of each, and their ratio. scikit-learn runs with
OPENBLAS_NUM_THREADS=1; proba uses the machine's cores (printed).
"""
import json
import os
import resource
import subprocess
import sys
import time
import zlib

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.feature_extraction.text import HashingVectorizer  # noqa: E402
from sklearn.linear_model import SGDClassifier  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHUNK = 10_000


def chunks(path):
    texts, labels, test = [], [], []
    with open(path, "rb") as f:
        for raw in f:
            line = raw.rstrip(b"\n")
            if not line.strip():
                continue
            r = json.loads(line)
            texts.append(r["text"])
            labels.append(str(r["label"]))
            test.append(zlib.crc32(line) % 1000 < 200)
            if len(texts) == CHUNK:
                yield texts, labels, np.array(test)
                texts, labels, test = [], [], []
    if texts:
        yield texts, labels, np.array(test)


def sklearn_side(path, epochs):
    start = time.time()
    classes = set()
    for _, labels, _ in chunks(path):
        classes.update(labels)
    classes = np.array(sorted(classes))
    hv = HashingVectorizer(n_features=1 << 20, alternate_sign=False)
    clf = SGDClassifier(loss="log_loss", alpha=1e-4, shuffle=True, random_state=0)
    for _ in range(epochs):
        for texts, labels, test in chunks(path):
            train = ~test
            if not train.any():
                continue
            x = hv.transform([t for t, k in zip(texts, train) if k])
            y = np.array(labels)[train]
            clf.partial_fit(x, y, classes=classes)
    train_time = time.time() - start
    n = correct = 0
    for texts, labels, test in chunks(path):
        if not test.any():
            continue
        x = hv.transform([t for t, k in zip(texts, test) if k])
        pred = clf.predict(x)
        truth = np.array(labels)[test]
        correct += int((pred == truth).sum())
        n += len(truth)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return train_time, correct / max(n, 1), rss


def proba_side(path, epochs):
    subprocess.run(["cargo", "build", "--release", "--example", "train"], cwd=ROOT, check=True,
                   stderr=subprocess.DEVNULL)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    exe = os.path.join(target, "release", "examples", "train")
    cmd = ["/usr/bin/time", "-v", exe, "--data", path, "--stream", "--epochs", str(epochs),
           "--seed", "0", "--test-size", "0.2"]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    out = p.stdout
    train_time = float(out.split(" in ")[1].split(" s ")[0])
    acc = float(out.split("accuracy: ")[1].split()[0])
    rss = [l for l in p.stderr.splitlines() if "Maximum resident set size" in l]
    rss = int(rss[0].split(":")[1]) / 1024 if rss else float("nan")
    return train_time, acc, rss


def main():
    path = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    mb = os.path.getsize(path) / 1e6
    passes = epochs + 1
    print("file %s: %.0f MB; %d epoch(s), so %d passes for training" % (path, mb, epochs, passes))
    print("scikit-learn %s (1 thread); proba on %d cores" % (sklearn.__version__, os.cpu_count()))
    p = proba_side(path, epochs)
    s = sklearn_side(path, epochs)
    print("%-14s %10s %10s %12s %10s" % ("", "train s", "MB/s", "peak RSS MB", "held-out acc"))
    for name, (t, acc, rss) in (("scikit-learn", s), ("proba", p)):
        print("%-14s %10.1f %10.1f %12.0f %10.4f" % (name, t, mb * passes / t, rss, acc))
    print("speed ratio (proba / scikit-learn): %.1fx" % (s[0] / p[0]))


if __name__ == "__main__":
    main()
