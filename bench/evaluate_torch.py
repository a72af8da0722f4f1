#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for student evaluation: what a Python user writes to do `ssondo evaluate --run N` on a
labelled task with a student exported by `ssondo export` (Debian python3-torch 1.13, torchaudio
0.13, scikit-learn).

Embedding: for each clip of LIST.csv (path,label,fold; a header row is skipped; relative paths are
taken from the CSV's folder): torchaudio.load, mean of channels, resample to 32 kHz, 10 s segments
with the workbench's Segmenter rule (shorter clips zero-padded to one segment; a remainder becomes
a padded last segment only when >= 1 s), the S-SONDO log-mel (torchaudio MelSpectrogram: n_fft =
win 1024, hop 512, periodic Hann, power 2, 128 Slaney mels 50-16000 Hz with Slaney normalisation,
center False, then ln(x + 0.001)) → [S, 1, 128, 624], the mn student of tests/tools/roundtrip_mn.py
(EfficientAT key names, state dict loaded strictly) in eval mode, segments batched across clips
(--batch-size, 16 as `ssondo evaluate`), the clip's segment embeddings averaged.

Probe, as core/eval/LinearProbe.cpp: folds renumbered in sorted order; for test fold f the
validation fold is (f + 1) mod k, training the others. StandardScaler on the training rows, one
multinomial LogisticRegression (lbfgs) per weight decay of the workbench's grid (--grid, as
`ssondo evaluate` reports it), tried strongest first, best validation accuracy kept (ties keep the
stronger penalty); refit (new scaler) on train + validation, accuracy on the test fold.
Weight decay → C: the workbench minimises mean(CE) + wd/2 |W|^2 (bias unpenalised); scikit-learn
minimises C * sum(CE) + 1/2 |W|^2 (intercept unpenalised), the same optimum for C = 1 / (wd * n),
n = rows of that fit (training rows for the search, train + validation rows for the refit);
wd = 0 → C = 1e12. max_iter defaults to 1000 (the workbench runs 100 L-BFGS iterations: --max-iter 100).

usage: evaluate_torch.py --clips LIST.csv --student-state backbone.pt [--width 1.0] [--threads 2]
                         --grid WD,WD,... [--batch-size 16] [--max-iter 1000]
Prints one JSON line: seconds (total, after loading the model), embed_seconds (decode + front end +
forward), forward_seconds (front end + student only), probe_seconds, per-fold accuracy, mean, ci95.
"""
import argparse
import csv
import json
import os
import sys

_threads = "2"
for _i, _arg in enumerate(sys.argv):
    if _arg == "--threads" and _i + 1 < len(sys.argv):
        _threads = sys.argv[_i + 1]
    elif _arg.startswith("--threads="):
        _threads = _arg.split("=", 1)[1]
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads  # BLAS threads of scikit-learn's lbfgs; set before numpy loads

import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torchaudio  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "tools"))
from roundtrip_mn import MN  # noqa: E402

SR, SEGMENT_SECONDS, MIN_TAIL_SECONDS = 32000, 10.0, 1.0
T975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281]


def segment(wav, window, min_tail):
    n = wav.shape[0]
    count = 1 if n <= window else n // window + (1 if 0 < n % window and n % window >= min_tail else 0)
    out = torch.zeros(count, window)
    for s in range(count):
        piece = wav[s * window:(s + 1) * window]
        out[s, :piece.shape[0]] = piece
    return out


def read_clips(path):
    base = os.path.dirname(os.path.abspath(path))
    rows = []
    with open(path, newline="") as f:
        for i, r in enumerate(csv.reader(f)):
            if not r or (i == 0 and r[0].strip().lower() == "path"):
                continue
            p = r[0].strip()
            rows.append((p if os.path.isabs(p) else os.path.join(base, p), r[1].strip(), r[2].strip()))
    return rows


def c_of(wd, n):
    return 1e12 if wd == 0 else 1.0 / (wd * n)


def fit(x, y, wd, max_iter):
    return LogisticRegression(C=c_of(wd, len(y)), max_iter=max_iter).fit(x, y)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clips", required=True, help="CSV: path,label,fold")
    p.add_argument("--student-state", required=True, help="state dict with EfficientAT mn key names")
    p.add_argument("--width", type=float, default=1.0, help="mn width multiplier (0.4, 1.0)")
    p.add_argument("--threads", type=int, default=2, help="torch and BLAS threads (Debian torch defaults to 1)")
    p.add_argument("--batch-size", type=int, default=16, help="segments per student forward")
    p.add_argument("--max-iter", type=int, default=1000, help="LogisticRegression max_iter")
    p.add_argument("--grid", required=True, help="weight decays, comma-separated (the workbench's)")
    a = p.parse_args()
    grid = sorted((float(v) for v in a.grid.split(",")), reverse=True)  # strongest first
    torch.set_num_threads(a.threads)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    clips = read_clips(a.clips)
    model = MN(a.width)
    model.load_state_dict(torch.load(a.student_state, map_location="cpu"), strict=True)
    model.eval()
    params = sum(q.numel() for q in model.parameters())
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=SR, n_fft=1024, win_length=1024, hop_length=512, f_min=50.0, f_max=16000.0, n_mels=128,
        window_fn=torch.hann_window, power=2.0, center=False, norm="slaney", mel_scale="slaney")
    window, min_tail = int(SR * SEGMENT_SECONDS), int(SR * MIN_TAIL_SECONDS)

    start = time.perf_counter()
    forward_s = 0.0
    sums, counts, pending, owners = [], [], [], []
    pending_n = segments = 0

    def flush(take_all):
        nonlocal pending, owners, pending_n, forward_s
        while pending_n >= a.batch_size or (take_all and pending_n > 0):
            batch, owner = torch.cat(pending, 0), torch.cat(owners, 0)
            n = min(a.batch_size, batch.shape[0])
            t0 = time.perf_counter()
            with torch.inference_mode():
                emb = model(torch.log(mel(batch[:n]) + 0.001).unsqueeze(1))
            forward_s += time.perf_counter() - t0
            for row in range(n):
                sums[int(owner[row])] += emb[row].numpy().astype(np.float64)
            pending, owners = [batch[n:]], [owner[n:]]
            pending_n = batch.shape[0] - n

    for clip, (path, _, _) in enumerate(clips):
        wav, sr = torchaudio.load(path)
        wav = wav.mean(0)
        if sr != SR:
            wav = torchaudio.functional.resample(wav, sr, SR)
        segs = segment(wav, window, min_tail)
        sums.append(np.zeros(model.features[-1][0].out_channels))
        counts.append(segs.shape[0])
        pending.append(segs)
        owners.append(torch.full((segs.shape[0],), clip, dtype=torch.long))
        pending_n += segs.shape[0]
        segments += segs.shape[0]
        flush(False)
    flush(True)
    x = np.stack([s / c for s, c in zip(sums, counts)]).astype(np.float32)
    embed_s = time.perf_counter() - start

    t_probe = time.perf_counter()
    classes = sorted({c[1] for c in clips})
    y = np.array([classes.index(c[1]) for c in clips])
    fold_names = sorted({c[2] for c in clips}, key=lambda v: (0, int(v)) if v.lstrip("-").isdigit() else (1, v))
    folds = np.array([fold_names.index(c[2]) for c in clips])
    k = len(fold_names)
    if k < 3:
        raise SystemExit("evaluate_torch: cross-validation needs at least 3 folds")
    results = []
    for f in range(k):
        v = (f + 1) % k
        tr, va, te, fitrows = (folds != f) & (folds != v), folds == v, folds == f, folds != f
        sc = StandardScaler().fit(x[tr])
        xt, xv = sc.transform(x[tr]), sc.transform(x[va])
        best, best_wd = -1.0, grid[0]
        for wd in grid:
            s = float((fit(xt, y[tr], wd, a.max_iter).predict(xv) == y[va]).mean())
            if s > best + 1e-12:
                best, best_wd = s, wd
        sc = StandardScaler().fit(x[fitrows])
        m = fit(sc.transform(x[fitrows]), y[fitrows], best_wd, a.max_iter)
        acc = float((m.predict(sc.transform(x[te])) == y[te]).mean())
        results.append({"fold": fold_names[f], "accuracy": acc, "weight_decay": best_wd,
                        "C": c_of(best_wd, int(fitrows.sum())), "validation": best})
    probe_s = time.perf_counter() - t_probe
    accs = np.array([r["accuracy"] for r in results])
    ci = float(T975[k - 2] * accs.std(ddof=1) / np.sqrt(k)) if 2 <= k <= 11 else float("nan")
    print(json.dumps({"clips": len(clips), "segments": segments, "classes": len(classes), "folds": k,
                      "seconds": embed_s + probe_s, "embed_seconds": embed_s, "forward_seconds": forward_s,
                      "probe_seconds": probe_s, "accuracy": float(accs.mean()), "ci95": ci,
                      "threads": torch.get_num_threads(),
                      "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
                      "width": a.width, "student_params": params, "dim": int(x.shape[1]), "per_fold": results}))


if __name__ == "__main__":
    main()
