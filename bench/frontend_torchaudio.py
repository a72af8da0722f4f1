#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for bench_frontend: the same decode + resample + log-mel in Debian's torchaudio.

usage: frontend_torchaudio.py THREADS FILE...
Prints one JSON line: {"clips": N, "seconds": S, "clips_per_s": R}.
"""
import json
import sys
import time

import torch
import torchaudio

threads = int(sys.argv[1])
files = sys.argv[2:]
torch.set_num_threads(threads)
mel = torchaudio.transforms.MelSpectrogram(
    sample_rate=32000, n_fft=1024, win_length=1024, hop_length=512, f_min=50.0, f_max=16000.0, n_mels=128,
    window_fn=torch.hann_window, power=2.0, center=False, norm="slaney", mel_scale="slaney")
resamplers = {}
out = 0.0
start = time.perf_counter()
for f in files:
    wav, sr = torchaudio.load(f)
    wav = wav.mean(0, keepdim=True)
    if sr != 32000:
        if sr not in resamplers:
            resamplers[sr] = torchaudio.transforms.Resample(sr, 32000)
        wav = resamplers[sr](wav)
    x = torch.log(mel(wav) + 0.001)
    out += float(x[0, 0, 0])
elapsed = time.perf_counter() - start
print(json.dumps({"clips": len(files), "seconds": elapsed, "clips_per_s": len(files) / elapsed}))
