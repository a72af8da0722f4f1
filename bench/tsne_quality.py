#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Quality of 2-D maps of one matrix, measured the same way for every map (for bench_tsne):
the exact KL(P || Q) of each map against one P (scikit-learn's perplexity-calibrated nearest-neighbour
affinities on the 50-d PCA of the matrix, perplexity 30: what both t-SNE implementations optimise),
Q computed exactly over all pairs in blocks; and trustworthiness (k = 10, scikit-learn) of each map
against the matrix.

usage: tsne_quality.py MATRIX.npy MAP.npy [MAP.npy ...] -> one JSON line {"kl": [...], "trustworthiness": [...]}
"""
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.manifold import _t_sne, trustworthiness  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402


def joint_p(x, perplexity=30.0):
    n = x.shape[0]
    perplexity = min(perplexity, (n - 1) / 3.0)
    k = min(n - 1, int(3.0 * perplexity + 1))
    nn = NearestNeighbors(n_neighbors=k).fit(x)
    d = nn.kneighbors_graph(mode="distance")
    d.data **= 2  # squared distances, as sklearn's TSNE
    return _t_sne._joint_probabilities_nn(d, perplexity, 0).tocsr()


def exact_kl(p, y, block=1000):
    y = y.astype(np.float64)
    n = y.shape[0]
    sq = (y * y).sum(1)
    z = 0.0
    for s in range(0, n, block):
        d2 = np.maximum(sq[s:s + block, None] + sq[None, :] - 2 * y[s:s + block] @ y.T, 0.0)
        w = 1.0 / (1.0 + d2)
        w[np.arange(min(block, n - s)), np.arange(s, min(n, s + block))] = 0.0
        z += w.sum()
    coo = p.tocoo()
    d2 = ((y[coo.row] - y[coo.col]) ** 2).sum(1)
    q = (1.0 / (1.0 + d2)) / z
    pv = coo.data
    keep = pv > 0
    return float((pv[keep] * np.log(pv[keep] / np.maximum(q[keep], 1e-300))).sum())


def main():
    x = np.load(sys.argv[1]).astype(np.float32)
    maps = [np.load(m) for m in sys.argv[2:]]
    xp = PCA(n_components=50, random_state=0).fit_transform(x) if x.shape[1] > 50 else x
    p = joint_p(xp)
    print(json.dumps({"kl": [exact_kl(p, m) for m in maps],
                      "trustworthiness": [float(trustworthiness(x, m, n_neighbors=10)) for m in maps]}))


if __name__ == "__main__":
    main()
