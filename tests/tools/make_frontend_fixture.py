#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Makes the front-end reference fixture with Debian's python3-torchaudio (0.13).

Writes tests/fixtures/frontend/:
  input_32k.wav / input_16k.wav   2.5 s of deterministic test audio, 16-bit PCM mono
  <config>.f64.npy                torchaudio's log-mel of that audio computed in float64 throughout
                                  (filter bank, window, STFT, projection), [n_mels, frames]
  configs.json                    the settings of each config, read by tst_LogMelFrontEnd

Run from the repository root:  /usr/bin/python3 tests/tools/make_frontend_fixture.py [--references-only]
(--references-only keeps the committed audio and rewrites only the .f64.npy files). Only needed when
the fixture changes; the committed files are what the test uses.

Why float64 (2026-12, issue 14): the first fixture held torchaudio's float32 log-mels, which carry
the rounding of the machine that made them; the triangle edges of a float32 filter bank are small
differences of large frequencies, and they change with the CPU's vector exp/pow (0.06 % in some
bands with ATen's scalar kernels). A float64 reference is the same on every machine; the test
checks the float32 front end against it within a bound on float32 rounding.
"""
import sys
import json
import math
import os

import numpy as np
import torch
import torchaudio

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "frontend")

CONFIGS = {
    # The S-SONDO student front end (reference/SSONDO.md).
    "student_32k": dict(input="input_32k.wav", sample_rate=32000, n_fft=1024, win_length=1024, hop_length=512,
                        n_mels=128, f_min=50.0, f_max=16000.0, mel_scale="slaney", norm="slaney", power=2.0),
    # A teacher-like front end: 16 kHz, 80 HTK mels without area normalisation, 25 ms / 10 ms.
    "teacher_16k_htk": dict(input="input_16k.wav", sample_rate=16000, n_fft=512, win_length=400, hop_length=160,
                            n_mels=80, f_min=50.0, f_max=8000.0, mel_scale="htk", norm=None, power=2.0),
}


def test_signal(sr, seconds=2.5):
    rng = np.random.default_rng(1234)
    t = np.arange(int(sr * seconds)) / sr
    chirp = np.sin(2 * np.pi * (100 * t + 0.5 * (sr / 2.5 - 100) / seconds * t ** 2))  # sweep to 0.4 * sr
    tone = sum(np.sin(2 * np.pi * 220 * k * t) / k for k in range(1, 8))
    noise = rng.standard_normal(t.size)
    x = 0.3 * chirp + 0.2 * tone / 2.6 + 0.05 * noise
    x[int(0.3 * sr):int(0.4 * sr)] = 0.0  # a silent gap exercises the log offset
    x = np.clip(x, -0.99, 0.99)
    return torch.from_numpy((np.round(x * 32767) / 32768).astype(np.float32)).unsqueeze(0)


def main():
    os.makedirs(OUT, exist_ok=True)
    if "--references-only" not in sys.argv:
        for name, sr in (("input_32k.wav", 32000), ("input_16k.wav", 16000)):
            torchaudio.save(os.path.join(OUT, name), test_signal(sr), sr, encoding="PCM_S", bits_per_sample=16)
    torch.set_default_dtype(torch.float64)  # filter bank and window built in float64
    for name, c in CONFIGS.items():
        wav, sr = torchaudio.load(os.path.join(OUT, c["input"]))
        wav = wav.double()
        assert sr == c["sample_rate"]
        mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=sr, n_fft=c["n_fft"], win_length=c["win_length"], hop_length=c["hop_length"],
            f_min=c["f_min"], f_max=c["f_max"], n_mels=c["n_mels"], window_fn=torch.hann_window,
            power=c["power"], center=False, norm=c["norm"], mel_scale=c["mel_scale"])
        assert mel.mel_scale.fb.dtype == torch.float64 and mel.spectrogram.window.dtype == torch.float64
        logmel = torch.log(mel(wav) + 0.001)[0]
        np.save(os.path.join(OUT, name + ".f64.npy"), logmel.numpy().astype(np.float64))
        print(name, tuple(logmel.shape))
    with open(os.path.join(OUT, "configs.json"), "w") as f:
        json.dump(CONFIGS, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
