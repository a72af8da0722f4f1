#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for the t-SNE map: scikit-learn's Barnes-Hut TSNE with the settings of
core/clustering/TSNE.cpp (Debian python3-sklearn 1.2).

Workbench settings mirrored: inputs wider than 50 are first reduced by PCA to 50 (the workbench
computes its affinities on that, here sklearn.decomposition.PCA, timed in `seconds`); perplexity 30,
lowered to (n - 1) / 3 for small sets; k = floor(3 perplexity) + 1 neighbours (sklearn's rule too);
1000 iterations; theta (angle) 0.5; early exaggeration 12 for the first 250 iterations (fixed in
sklearn); momentum 0.5 then 0.8; learning rate max(n / 12 / 4, 50) (sklearn's "auto"); PCA
initialisation scaled to std 1e-4 (sklearn's init="pca"); seed 42. sklearn's early stops are
disabled (n_iter_without_progress = iterations, min_grad_norm = 0) so both run every iteration.

usage: tsne_sklearn.py MATRIX.npy [--threads 2] [--perplexity 30] [--iterations 1000] [--seed 42]
                       [--out COORDS.npy]
Prints one JSON line: seconds (PCA + t-SNE), kl_divergence (sklearn's kl_divergence_),
trustworthiness (k = 10, of the 2-D map against the input matrix) and trust_seconds (timed apart).
"""
import os
import sys

_threads = "2"
for _i, _arg in enumerate(sys.argv):
    if _arg == "--threads" and _i + 1 < len(sys.argv):
        _threads = sys.argv[_i + 1]
    elif _arg.startswith("--threads="):
        _threads = _arg.split("=", 1)[1]
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads  # sklearn's Barnes-Hut gradient uses OpenMP; set before it loads

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.manifold import TSNE, trustworthiness  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("matrix")
    p.add_argument("--threads", type=int, default=2, help="OMP_NUM_THREADS and n_jobs")
    p.add_argument("--perplexity", type=float, default=30.0)
    p.add_argument("--iterations", type=int, default=1000)
    p.add_argument("--pca-dims", type=int, default=50)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", default="")
    p.add_argument("--no-trust", action="store_true", help="skip trustworthiness (a caller measures it)")
    a = p.parse_args()
    x = np.load(a.matrix).astype(np.float32)
    n = x.shape[0]
    perplexity = min(a.perplexity, (n - 1) / 3.0)
    start = time.perf_counter()
    reduced = x
    if x.shape[1] > a.pca_dims:
        reduced = PCA(n_components=min(a.pca_dims, n), random_state=a.seed).fit_transform(x)
    tsne = TSNE(n_components=2, perplexity=perplexity, early_exaggeration=12.0, learning_rate="auto",
                n_iter=a.iterations, n_iter_without_progress=a.iterations, min_grad_norm=0.0, init="pca",
                method="barnes_hut", angle=0.5, random_state=a.seed, n_jobs=a.threads)
    y = tsne.fit_transform(reduced)
    seconds = time.perf_counter() - start
    t0 = time.perf_counter()
    trust = None if a.no_trust else float(trustworthiness(x, y, n_neighbors=10))
    trust_s = time.perf_counter() - t0
    if a.out:
        np.save(a.out, y.astype(np.float32))
    print(json.dumps({"rows": n, "dim": int(x.shape[1]), "seconds": seconds,
                      "kl_divergence": float(tsne.kl_divergence_), "iterations": int(tsne.n_iter_) + 1,
                      "perplexity": perplexity, "learning_rate": float(tsne.learning_rate_),
                      "trustworthiness": trust, "trust_seconds": trust_s, "threads": a.threads,
                      "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
