#!/usr/bin/python3
"""Baseline for bench_kmeans: scikit-learn's MiniBatchKMeans with the reference settings (k, seed 42,
k-means++ initialisation) on the same matrix. usage: kmeans_sklearn.py MATRIX.npy K → one JSON line."""
import json
import sys
import time

import numpy as np
from sklearn.cluster import MiniBatchKMeans

x = np.load(sys.argv[1])
k = int(sys.argv[2])
start = time.perf_counter()
km = MiniBatchKMeans(n_clusters=k, random_state=42, init="k-means++", n_init=3, batch_size=4096).fit(x)
seconds = time.perf_counter() - start
d = ((x - km.cluster_centers_[km.labels_]) ** 2).sum()
print(json.dumps({"seconds": seconds, "inertia": float(d)}))
