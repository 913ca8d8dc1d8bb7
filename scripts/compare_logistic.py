#!/usr/bin/env python3
"""Side-by-side LogisticRegression fit: scikit-learn (1 BLAS thread) vs proba.

    python3 scripts/compare_logistic.py [--c 1.0] [--tol 1e-4] [--max-iter 100]
                                        [--solvers lbfgs,newton-cg] [--threads 1,2]
                                        [--repeat 1] [bbc fortunes]

Both fit the *same* matrix: the TF-IDF (TfidfVectorizer defaults, fitted on the
training rows i % 5 != 0) of each corpus in ../shared/data is computed here and
exported to a temporary directory (deleted at the end; BBC is research-use only),
then `examples/compare_logistic.rs` reads it. For each solver (scikit-learn's
`solver=`, proba's `Solver`) and each proba thread count (RAYON_NUM_THREADS) it
prints both fit times (medians of --repeat runs), both objective values
(src/parity.md 2.2), iteration counts, the speed ratio against scikit-learn
with the same solver and against scikit-learn's default lbfgs, and the largest
probability difference on every 10th test row.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures_linear import dump_csr, fit, objective, tfidf_split  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--max-iter", type=int, default=100)
    ap.add_argument("--solvers", default="lbfgs,newton-cg")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the median time is shown")
    ap.add_argument("corpora", nargs="*", default=["bbc", "fortunes"])
    a = ap.parse_args()
    solvers = a.solvers.split(",")

    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "compare_logistic"],
                   cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "compare_logistic")
    tmp = tempfile.mkdtemp(prefix="proba-compare-")
    rows = []
    try:
        for name in a.corpora:
            Xtr, ytr, Xte, yte = tfidf_split(name)
            dump_csr(os.path.join(tmp, name, "train"), Xtr, ytr)
            dump_csr(os.path.join(tmp, name, "test"), Xte, yte)
            print(f"{name}: {Xtr.shape[0]} x {Xtr.shape[1]} (nnz {Xtr.nnz}), "
                  f"{len(set(ytr.tolist()))} classes", flush=True)
            sk = {}
            for solver in solvers:
                times = []
                for _ in range(a.repeat):
                    m, dt = fit(Xtr, ytr, C=a.c, tol=a.tol, max_iter=a.max_iter, solver=solver)
                    times.append(dt)
                sk[solver] = dict(t=float(np.median(times)), f=objective(m, Xtr, ytr),
                                  p=m.predict_proba(Xte)[::10], n_iter=int(m.n_iter_[0]))
                print(f"  sklearn {solver}: {sk[solver]['t']:.3f} s, n_iter {sk[solver]['n_iter']}, "
                      f"f {sk[solver]['f']:.12f}", flush=True)
            base = sk.get("lbfgs")
            for solver in solvers:
                ref = sk[solver]
                for th in [int(t) for t in a.threads.split(",")]:
                    env = dict(os.environ, RAYON_NUM_THREADS=str(th))
                    out = []
                    proba_file = os.path.join(tmp, "proba.json")
                    for _ in range(a.repeat):
                        r = subprocess.run([exe, tmp, "--c", str(a.c), "--tol", str(a.tol),
                                            "--max-iter", str(a.max_iter), "--solver", solver,
                                            "--proba", proba_file, name],
                                           env=env, check=True, capture_output=True, text=True)
                        out.append(json.loads(r.stdout.strip().splitlines()[-1]))
                    rs = sorted(out, key=lambda o: o["fit_seconds"])[len(out) // 2]
                    rs_p = np.array(json.load(open(proba_file))[name])
                    dp = float(np.abs(rs_p - ref["p"]).max())
                    t = rs["fit_seconds"]
                    row = dict(corpus=name, solver=solver, threads=th, sklearn_s=ref["t"], proba_s=t,
                               ratio=ref["t"] / t, sklearn_f=ref["f"], proba_f=rs["objective"],
                               sklearn_iter=ref["n_iter"], proba_iter=rs["n_iter"], max_dproba=dp,
                               predict_one_us=rs["predict_one_us"])
                    vs_lbfgs = ""
                    if base is not None and solver != "lbfgs":
                        row["ratio_vs_sklearn_lbfgs"] = base["t"] / t
                        row["sklearn_lbfgs_f"] = base["f"]
                        vs_lbfgs = (f"; vs sklearn lbfgs {base['t'] / t:.1f}x, "
                                    f"f {'<=' if rs['objective'] <= base['f'] else '>'} its "
                                    f"({rs['objective'] - base['f']:+.2e})")
                    rows.append(row)
                    print(f"  proba {solver} {th} thread(s): {t:.3f} s, n_iter {rs['n_iter']}, "
                          f"f {rs['objective']:.12f} ({'<=' if rs['objective'] <= ref['f'] else '>'} "
                          f"sklearn {solver}, diff {rs['objective'] - ref['f']:+.2e}), "
                          f"{ref['t'] / t:.1f}x sklearn {solver}, max |dp| {dp:.1e}{vs_lbfgs}; "
                          f"predict_proba(1 doc) {rs['predict_one_us']:.1f} us", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
