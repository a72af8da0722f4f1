#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference values for tst_LinearProbe, computed with scikit-learn and SciPy (Debian packages).

  /usr/bin/python3 tests/tools/make_eval_fixture.py tests/fixtures/eval/probe_reference.json

- ap_cases: score matrices (with ties) and multi-label targets, and scikit-learn's macro average
  precision over the classes that have a positive;
- t975: Student's t 97.5% quantiles;
- probe: a small 3-class problem with 5 folds, and the per-fold test accuracy of scikit-learn's
  multinomial LogisticRegression (lbfgs, StandardScaler on the training rows) at a fixed penalty,
  C = 1 / (wd * n_train), which is the probe's objective mean CE + wd/2 * |W|^2.
"""
import json
import sys

import numpy as np
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(7)
out = {"ap_cases": [], "t975": {}, "probe": {}}

for case in range(4):
    n, c = 40 + 10 * case, 5
    scores = np.round(rng.normal(size=(n, c)), 1 if case % 2 else 3)  # case 1, 3: many ties
    y = (rng.random((n, c)) < 0.3).astype(int)
    y[:, c - 1] = 0 if case == 2 else y[:, c - 1]  # a class without positives is skipped
    aps = [average_precision_score(y[:, k], scores[:, k]) for k in range(c) if y[:, k].sum() > 0]
    labels = [[int(k) for k in np.nonzero(row)[0]] for row in y]
    out["ap_cases"].append({"scores": scores.tolist(), "labels": labels, "map": float(np.mean(aps))})

for dof in list(range(1, 41)) + [60, 100, 1000]:
    out["t975"][str(dof)] = float(stats.t.ppf(0.975, dof))

n, d, k = 180, 6, 3
centres = rng.normal(size=(k, d)) * 1.2
y = np.repeat(np.arange(k), n // k)
x = centres[y] + rng.normal(size=(n, d)) * np.linspace(0.5, 3, d)
folds = np.tile(np.arange(5), n // 5)
rng.shuffle(folds)
wd = 0.01
acc = []
for f in range(5):
    tr, te = folds != f, folds == f
    sc = StandardScaler().fit(x[tr])
    clf = LogisticRegression(C=1.0 / (wd * tr.sum()), max_iter=5000, tol=1e-10)
    clf.fit(sc.transform(x[tr]), y[tr])
    acc.append(float((clf.predict(sc.transform(x[te])) == y[te]).mean()))
out["probe"] = {"features": x.tolist(), "labels": y.tolist(), "folds": folds.tolist(), "weight_decay": wd,
                "accuracy": acc}

with open(sys.argv[1], "w") as fh:
    json.dump(out, fh)
print("wrote", sys.argv[1], "probe accuracy", acc)
