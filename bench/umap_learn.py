#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for a UMAP map: umap-learn 0.5 (Debian) with its usual settings, n_neighbors 15,
min_dist 0.1, two components, Euclidean, random_state = seed (which makes umap-learn run its
optimisation single-threaded; --parallel drops random_state for the multi-threaded, non-deterministic
path).

usage: umap_learn.py MATRIX.npy [--threads 2] [--seed 42] [--parallel] [--out COORDS.npy] [--also MAP.npy]
Prints one JSON line: seconds (fit_transform, after numba's first-call compilation has been
triggered on a small random warm-up set taking the same
neighbour path, and excluded), warmup_seconds, trustworthiness (k = 10, against the
input matrix) and trust_seconds (timed apart); with --also, trustworthiness_also: the same measure
of another map of the matrix (ours, in bench_umap).
"""
import os
import sys

_threads = "2"
for _i, _arg in enumerate(sys.argv):
    if _arg == "--threads" and _i + 1 < len(sys.argv):
        _threads = sys.argv[_i + 1]
    elif _arg.startswith("--threads="):
        _threads = _arg.split("=", 1)[1]
for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads  # numba reads NUMBA_NUM_THREADS when it loads

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.manifold import trustworthiness  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("matrix")
    p.add_argument("--threads", type=int, default=2, help="NUMBA_NUM_THREADS / OMP_NUM_THREADS")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--parallel", action="store_true", help="no random_state: multi-threaded, not reproducible")
    p.add_argument("--out", default="")
    p.add_argument("--also", default="", help="another map of MATRIX to measure the same way")
    a = p.parse_args()
    t0 = time.perf_counter()
    import umap  # numba compiles lazily: import and a tiny fit below absorb the compilation
    warnings.filterwarnings("ignore", message=".*n_jobs.*")
    kwargs = dict(n_neighbors=15, min_dist=0.1, n_components=2, metric="euclidean")
    if not a.parallel:
        kwargs["random_state"] = a.seed
    x = np.load(a.matrix).astype(np.float32)
    # umap-learn switches from exact neighbours to pynndescent at 4096 rows: warm up the same path.
    warm_rows = 4200 if x.shape[0] >= 4096 else 64
    umap.UMAP(**kwargs).fit_transform(np.random.default_rng(0).standard_normal((warm_rows, 8)).astype(np.float32))
    warmup_s = time.perf_counter() - t0
    start = time.perf_counter()
    y = umap.UMAP(**kwargs).fit_transform(x)
    seconds = time.perf_counter() - start
    t0 = time.perf_counter()
    trust = trustworthiness(x, y, n_neighbors=10)
    trust_s = time.perf_counter() - t0
    also = float(trustworthiness(x, np.load(a.also), n_neighbors=10)) if a.also else None
    if a.out:
        np.save(a.out, y.astype(np.float32))
    import numba
    print(json.dumps({"rows": int(x.shape[0]), "dim": int(x.shape[1]), "seconds": seconds,
                      "warmup_seconds": warmup_s, "trustworthiness": float(trust), "trust_seconds": trust_s, "trustworthiness_also": also,
                      "threads": numba.get_num_threads(),
                      "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
                      "seeded": not a.parallel, "umap": umap.__version__}))


if __name__ == "__main__":
    main()
