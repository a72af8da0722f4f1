#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for teacher extraction: what a Python user writes to do `ssondo extract` with a
TorchScript teacher, in Debian's python3-torch 1.13 / python3-torchaudio 0.13.

For every file of LIST.txt (one path per line): torchaudio.load (the sox_io backend here), mean of
the channels, torchaudio.functional.resample to the teacher's sample_rate, cut into window_seconds
windows with the workbench's Segmenter rule (a clip no longer than one window is zero-padded to one;
in a longer clip the remainder becomes a zero-padded last window only when it is at least 1 s
long), windows batched across clips in file order (--batch-size windows per forward), forward under
torch.inference_mode(), each clip's windows averaged, float32 [N, D] written with numpy.save.

--workers 0 decodes in the main process; --workers N decodes in N DataLoader worker processes
(batch_size=None, in order, prefetch 4 clips per worker), as a Python user would to go faster.

usage: extract_torch.py --teacher T.pt --files LIST.txt [--batch-size 32] [--threads 2] [--workers 0]
                        [--out OUT.npy]
Prints one JSON line: clips, seconds (decode + forward + averaging, after loading the teacher),
clips_per_s, windows, forwards, threads, workers, teacher_params, dim.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torchaudio

MIN_TAIL_SECONDS = 1.0  # Segmenter's default minTailSeconds


def segment(wav, window, min_tail):
    """[T] → [S, window], the rule of core/audio/Segmenter.cpp."""
    n = wav.shape[0]
    if n <= window:
        count = 1
    else:
        full, tail = n // window, n % window
        count = full + (1 if tail > 0 and tail >= min_tail else 0)
    out = torch.zeros(count, window)
    for s in range(count):
        piece = wav[s * window:(s + 1) * window]
        out[s, :piece.shape[0]] = piece
    return out


class Clips(torch.utils.data.Dataset):
    def __init__(self, paths, sample_rate, window_seconds):
        self.paths = paths
        self.sr = sample_rate
        self.window = int(round(window_seconds * sample_rate))
        self.min_tail = int(round(MIN_TAIL_SECONDS * sample_rate))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        wav, sr = torchaudio.load(self.paths[i])
        wav = wav.mean(0)
        if sr != self.sr:
            wav = torchaudio.functional.resample(wav, sr, self.sr)
        return segment(wav, self.window, self.min_tail)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--teacher", required=True)
    p.add_argument("--files", required=True, help="text file, one audio path per line")
    p.add_argument("--batch-size", type=int, default=32, help="windows per forward")
    p.add_argument("--threads", type=int, default=2, help="torch intra-op threads (Debian's default is 1)")
    p.add_argument("--workers", type=int, default=0, help="DataLoader decoding processes (0: main process)")
    p.add_argument("--out", default="", help="write the [N, D] float32 embeddings here (.npy)")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    paths = [line.strip() for line in open(a.files) if line.strip()]
    teacher = torch.jit.load(a.teacher, map_location="cpu").eval()
    sr = int(teacher.sample_rate)
    window_seconds = float(teacher.window_seconds)
    params = sum(q.numel() for q in teacher.parameters())
    dataset = Clips(paths, sr, window_seconds)
    if a.workers > 0:
        # Each worker would otherwise also start a.threads torch threads for resampling.
        loader = torch.utils.data.DataLoader(dataset, batch_size=None, shuffle=False, num_workers=a.workers,
                                             prefetch_factor=4, worker_init_fn=lambda _: torch.set_num_threads(1))
    else:
        loader = (dataset[i] for i in range(len(dataset)))

    sums, counts = [], []   # per clip: running sum of its window embeddings, windows seen
    pending, owners = [], []
    pending_n = 0
    windows = forwards = 0

    def flush(take_all):
        nonlocal pending, owners, pending_n, forwards
        while pending_n >= a.batch_size or (take_all and pending_n > 0):
            batch = torch.cat(pending, 0)
            owner = torch.cat(owners, 0)
            n = min(a.batch_size, batch.shape[0])
            with torch.inference_mode():
                emb = teacher(batch[:n]).float()
            forwards += 1
            for row in range(n):
                c = int(owner[row])
                sums[c] = emb[row].clone() if sums[c] is None else sums[c] + emb[row]
            pending, owners = [batch[n:]], [owner[n:]]
            pending_n = batch.shape[0] - n

    start = time.perf_counter()
    for clip, segs in enumerate(loader):
        sums.append(None)
        counts.append(segs.shape[0])
        pending.append(segs)
        owners.append(torch.full((segs.shape[0],), clip, dtype=torch.long))
        pending_n += segs.shape[0]
        windows += segs.shape[0]
        flush(False)
    flush(True)
    out = torch.stack([s / c for s, c in zip(sums, counts)]).numpy().astype(np.float32)
    seconds = time.perf_counter() - start
    if a.out:
        np.save(a.out, out)
    print(json.dumps({"clips": len(paths), "seconds": seconds, "clips_per_s": len(paths) / seconds,
                      "windows": windows, "forwards": forwards, "threads": torch.get_num_threads(),
                      "workers": a.workers, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
                      "teacher_params": params, "dim": int(out.shape[1]),
                      "sample_rate": sr, "window_seconds": window_seconds,
                      "audio_backend": torchaudio.get_audio_backend()}))


if __name__ == "__main__":
    main()
