#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for bench_cluster_quality: scikit-learn's Davies-Bouldin and Calinski-Harabasz scores of
a clustering. usage: metrics_sklearn.py MATRIX.npy LABELS.npy -> one JSON line."""
import json
import sys
import time

import numpy as np
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

x = np.load(sys.argv[1])
labels = np.load(sys.argv[2]).astype(np.int64)
start = time.perf_counter()
db = davies_bouldin_score(x, labels)
db_seconds = time.perf_counter() - start
ch = calinski_harabasz_score(x, labels)
print(json.dumps({"davies_bouldin": float(db), "calinski_harabasz": float(ch), "db_seconds": db_seconds,
                  "seconds": time.perf_counter() - start}))
