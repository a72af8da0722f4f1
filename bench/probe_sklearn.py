#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for bench_probe: the same linear-probe protocol with scikit-learn (Debian python3-sklearn):
per test fold, StandardScaler on the training rows, multinomial LogisticRegression (lbfgs, the same
iteration cap) for each penalty of the grid fitted on the training folds and scored on the validation
fold, the best refitted on train + validation and scored on the test fold.
usage: probe_sklearn.py X.npy Y.npy FOLDS.npy GRID MAX_ITER → one JSON line; GRID: the weight decays,
comma-separated (the workbench's, as bench_probe passes them)."""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)
x = np.load(sys.argv[1])
y = np.load(sys.argv[2]).astype(int).ravel()
folds = np.load(sys.argv[3]).astype(int).ravel()
grid = [float(v) for v in sys.argv[4].split(",")]  # wd, strongest first; C = 1 / (wd * n)
max_iter = int(sys.argv[5])
k = folds.max() + 1
start = time.perf_counter()
scores = []
for f in range(k):
    v = (f + 1) % k
    tr, va, te = (folds != f) & (folds != v), folds == v, folds == f
    sc = StandardScaler().fit(x[tr])
    best, best_wd = -1, grid[0]
    for wd in grid:
        c = 1e12 if wd == 0 else 1.0 / (wd * tr.sum())
        m = LogisticRegression(C=c, max_iter=max_iter).fit(sc.transform(x[tr]), y[tr])
        s = (m.predict(sc.transform(x[va])) == y[va]).mean()
        if s > best + 1e-12:
            best, best_wd = s, wd
    fit = folds != f
    sc = StandardScaler().fit(x[fit])
    c = 1e12 if best_wd == 0 else 1.0 / (best_wd * fit.sum())
    m = LogisticRegression(C=c, max_iter=max_iter).fit(sc.transform(x[fit]), y[fit])
    scores.append(float((m.predict(sc.transform(x[te])) == y[te]).mean()))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "accuracy": float(np.mean(scores))}))
