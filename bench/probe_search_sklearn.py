#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for bench_probe_search: the search a scikit-learn user makes on stored embeddings and a
train/valid/test split: StandardScaler on train, LogisticRegression (lbfgs, 1,000 iterations) for
C in 1e-3 ... 100 (11 values, log-spaced) scored on valid, the best C refitted on train + valid
(scaler refitted too) and scored on test.
usage: probe_search_sklearn.py X.npy LABELS.txt SPLITS.txt -> one JSON line {"score", "C", "seconds"}."""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)
x = np.load(sys.argv[1]).astype(np.float64)
labels = open(sys.argv[2]).read().split("\n")[: len(x)]
splits = np.array(open(sys.argv[3]).read().split("\n")[: len(x)])
classes = {c: i for i, c in enumerate(sorted(set(labels)))}
y = np.array([classes[c] for c in labels])
tr, va, te = splits == "train", splits == "valid", splits == "test"
start = time.perf_counter()
best, best_c = -1.0, None
for c in np.logspace(-3, 2, 11):
    sc = StandardScaler().fit(x[tr])
    m = LogisticRegression(C=c, max_iter=1000).fit(sc.transform(x[tr]), y[tr])
    s = m.score(sc.transform(x[va]), y[va])
    if s > best:
        best, best_c = s, c
fit = tr | va
sc = StandardScaler().fit(x[fit])
m = LogisticRegression(C=best_c, max_iter=1000).fit(sc.transform(x[fit]), y[fit])
score = m.score(sc.transform(x[te]), y[te])
print(json.dumps({"score": score, "C": best_c, "seconds": time.perf_counter() - start}))
