#!/usr/bin/env python3
"""Side-by-side hashing + SGD speed (issue 16): scikit-learn vs proba, in one go.

  python3 scripts/compare_sgd.py [CORPUS.jsonl ...] [--runs N] [--threads 1,2]

On every text of each corpus (default ../shared/data/bbc.jsonl) it times, as
medians of N runs:

* HashingVectorizer(n_features=2**18, alternate_sign=False).transform
  (scikit-learn: one thread, it has no n_jobs);
* SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=5, tol=None,
  shuffle=False).fit on those hashed features, all rows, with n_jobs=None
  (1 thread) and n_jobs=2 (one-vs-all across classes in threads);

then the same with proba (`cargo run --release --example compare_sgd`, a local
rayon pool per thread count). scikit-learn runs with OPENBLAS_NUM_THREADS=1.
Prints a table of both sides, the ratios at equal thread counts, and checks
that the hashed matrices agree (shape, nnz, checksums) and that the two
models' predict_proba agree on every 10th row (max abs diff; the target is
1e-6). The machine is shared: run it when it is quiet, read medians.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
from sklearn import __version__ as sk_version  # noqa: E402
from sklearn.feature_extraction.text import HashingVectorizer  # noqa: E402
from sklearn.linear_model import SGDClassifier  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SGD = dict(loss="log_loss", alpha=1e-4, max_iter=5, tol=None, shuffle=False)


CPU = {}  # what -> CPU seconds per run (process_time: all threads of this process)


def timed(f, runs, what):
    times, out = [], None
    c = time.process_time()
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    CPU[what] = (time.process_time() - c) / runs
    return statistics.median(times), out


def sklearn_side(texts, labels, runs, threads):
    hv = HashingVectorizer(n_features=2**18, alternate_sign=False)
    t_hash, x = timed(lambda: hv.transform(texts), runs, "hash")
    x = x.tocsr()
    fits = {}
    for th in threads:
        n_jobs = None if th == 1 else th
        fits[th], clf = timed(lambda: SGDClassifier(n_jobs=n_jobs, **SGD).fit(x, labels), runs,
                              ("fit", th))
    check = dict(n_rows=x.shape[0], n_cols=x.shape[1], nnz=x.nnz, sum=float(x.data.sum()),
                 weighted=float((x.data * ((x.indices % 1009) + 1)).sum()))
    return t_hash, fits, clf, x, check


def proba_side(corpus, runs, threads, proba_file):
    out = subprocess.run(
        ["cargo", "run", "--release", "--quiet", "--example", "compare_sgd", "--", corpus, str(runs),
         "--threads", ",".join(map(str, threads)), "--proba", proba_file],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    res = {"hashing": {}, "sgd_fit": {}, "check": None, "same": []}
    for line in out.splitlines():
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        if line.startswith("RESULT "):
            res[line.split()[1]][int(kv["threads"])] = kv
        elif line.startswith("CHECK hashing"):
            res["check"] = kv
        elif line.startswith("CHECK sgd"):
            res["same"].append(kv["same_coef_as_first"] == "true")
    if not res["hashing"]:
        sys.exit(f"proba run failed or skipped:\n{out}")
    return res


def compare(corpus, runs, threads):
    rows = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]
    texts = [r["text"] for r in rows]
    labels = np.array([r["label"] for r in rows])
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"\n== {os.path.basename(corpus)}: {len(texts)} texts, {mb:.2f} MB, "
          f"{len(set(labels.tolist()))} classes; median of {runs} runs; load {os.getloadavg()[0]:.1f}",
          flush=True)
    sk_hash, sk_fit, clf, x, sk_check = sklearn_side(texts, labels, runs, threads)
    with tempfile.TemporaryDirectory(prefix="proba-compare-sgd-") as tmp:
        pfile = os.path.join(tmp, "proba.json")
        pr = proba_side(corpus, runs, threads, pfile)
        got = json.load(open(pfile))
    # Same matrix?
    pc = pr["check"]
    same_shape = all(int(pc[k]) == sk_check[k] for k in ("n_rows", "n_cols", "nnz"))
    dsum = max(abs(float(pc[k]) - sk_check[k]) / max(1.0, abs(sk_check[k])) for k in ("sum", "weighted"))
    # Same probabilities?
    if got["classes"] != clf.classes_.tolist():
        sys.exit(f"class order differs: {got['classes']} vs {clf.classes_.tolist()}")
    sk_p = clf.predict_proba(x)[:: got["stride"]]
    dp = float(np.abs(np.array(got["proba"]) - sk_p).max())

    print(f"{'':36} {'hashing transform':>24} {'SGD fit (log_loss, 5 ep)':>26}")
    table = []
    for th in threads:
        h_sk = sk_hash  # scikit-learn's HashingVectorizer is single-threaded
        h_pr = float(pr["hashing"][th]["median_s"])
        f_sk, f_pr = sk_fit[th], float(pr["sgd_fit"][th]["median_s"])
        sk_name = f"scikit-learn {sk_version}, " + ("n_jobs=None" if th == 1 else f"n_jobs={th}")
        print(f"{sk_name:36} {h_sk * 1e3:9.1f} ms {mb / h_sk:7.1f} MB/s {f_sk * 1e3:16.1f} ms")
        print(f"{f'proba, {th} thread(s)':36} {h_pr * 1e3:9.1f} ms {mb / h_pr:7.1f} MB/s {f_pr * 1e3:16.1f} ms")
        print(f"{f'  ratio at {th} thread(s)':36} {h_sk / h_pr:14.1f}x {'':9} {f_sk / f_pr:16.1f}x")
        table.append(dict(corpus=os.path.basename(corpus), threads=th, sklearn_hash_s=h_sk, proba_hash_s=h_pr,
                          hash_ratio=h_sk / h_pr, sklearn_fit_s=f_sk, proba_fit_s=f_pr, fit_ratio=f_sk / f_pr))
    h1, f1 = pr["hashing"][threads[0]], pr["sgd_fit"][threads[0]]
    print(f"CPU s per run at {threads[0]} thread(s) (robust to a busy machine): hashing scikit-learn "
          f"{CPU['hash'] * 1e3:.1f} ms, proba {float(h1['cpu_s_per_run']) * 1e3:.1f} ms -> "
          f"{CPU['hash'] / float(h1['cpu_s_per_run']):.1f}x; SGD fit scikit-learn "
          f"{CPU[('fit', threads[0])] * 1e3:.1f} ms, proba {float(f1['cpu_s_per_run']) * 1e3:.1f} ms -> "
          f"{CPU[('fit', threads[0])] / float(f1['cpu_s_per_run']):.1f}x")
    print(f"matrix: {'identical shape/nnz' if same_shape else 'SHAPE/NNZ DIFFER'} "
          f"({sk_check['n_rows']} x {sk_check['n_cols']}, nnz {sk_check['nnz']}), "
          f"checksum rel diff {dsum:.1e}")
    print(f"predict_proba, every {got['stride']}th row: max |dp| {dp:.2e} "
          f"({'<= 1e-6' if dp <= 1e-6 else 'ABOVE 1e-6'}); proba's coefficients identical across thread counts: "
          f"{all(pr['same'])}")
    table[-1].update(max_dproba=dp, matrix_same=same_shape, checksum_rel_diff=dsum)
    return table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpora", nargs="*", default=[os.path.join(ROOT, "..", "shared", "data", "bbc.jsonl")])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--threads", default="1,2")
    a = ap.parse_args()
    threads = [int(t) for t in a.threads.split(",")]
    # Build once so that compilation is not timed.
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "compare_sgd"], cwd=ROOT, check=True)
    out = []
    for corpus in a.corpora:
        if not os.path.exists(corpus):
            print(f"SKIPPED: {corpus} not found")
            continue
        out += compare(corpus, a.runs, threads)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
