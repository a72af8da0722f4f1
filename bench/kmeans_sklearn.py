#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for bench_kmeans: scikit-learn's MiniBatchKMeans with the reference implementation's
settings (training_ssondo/cluster_teachers_embeddings/config.py: k-means++, max_iter 100, batch_size
10000, tol 0, max_no_improvement 100, n_init 10, reassignment_ratio 0, seed 42, fit on all rows) on
the same matrix. usage: kmeans_sklearn.py MATRIX.npy K → one JSON line."""
import json
import sys
import time

import numpy as np
from sklearn.cluster import MiniBatchKMeans

x = np.load(sys.argv[1])
k = int(sys.argv[2])
start = time.perf_counter()
km = MiniBatchKMeans(n_clusters=k, init="k-means++", max_iter=100, batch_size=10000, compute_labels=True,
                     random_state=42, tol=0.0, max_no_improvement=100, init_size=None, n_init=10,
                     reassignment_ratio=0.0).fit(x)
seconds = time.perf_counter() - start
d = ((x - km.cluster_centers_[km.labels_]) ** 2).sum()
print(json.dumps({"seconds": seconds, "inertia": float(d)}))
