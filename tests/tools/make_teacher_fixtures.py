#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Makes the teacher fixtures of tst_Teachers with Debian's python3-torch and numpy.

tests/fixtures/teachers/
  tiny.pt            good TorchScript teacher from packaging/export_teacher.py (16 kHz, 1 s, 64-d)
  no_attrs.pt        good forward but no sample_rate / window_seconds attributes
  wrong_rank.pt      returns [B, 4, 8]
  nan.pt             returns NaN
  state_dict.pt      torch.save of a state dict: not TorchScript
  npz/               reference-layout .npz files: a.npz (D,), b.npz (1, D), badkey.npz, badshape.npz, intdtype.npz
  matrix.npy, matrix_index.csv   a [3, 8] matrix with its index
Run from the repository root: /usr/bin/python3 tests/tools/make_teacher_fixtures.py
"""
import os
import sys

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "teachers")
sys.path.insert(0, os.path.join(ROOT, "packaging"))
import export_teacher  # noqa: E402


class Plain(torch.nn.Module):
    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        return torch.stack([wav.mean(1), wav.std(1)], 1)


class WrongRank(torch.nn.Module):
    sample_rate: int
    window_seconds: float

    def __init__(self):
        super().__init__()
        self.sample_rate = 16000
        self.window_seconds = 1.0

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        return torch.zeros(wav.shape[0], 4, 8)


class NaNTeacher(WrongRank):
    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        return torch.full((wav.shape[0], 8), float("nan"))


def main():
    os.makedirs(os.path.join(OUT, "npz", "train"), exist_ok=True)
    export_teacher.main(["--tiny", "--out", os.path.join(OUT, "tiny.pt")])
    torch.jit.script(Plain()).save(os.path.join(OUT, "no_attrs.pt"))
    torch.jit.script(WrongRank()).save(os.path.join(OUT, "wrong_rank.pt"))
    torch.jit.script(NaNTeacher()).save(os.path.join(OUT, "nan.pt"))
    torch.save({"w": torch.zeros(3)}, os.path.join(OUT, "state_dict.pt"))
    rng = np.random.default_rng(0)
    d = os.path.join(OUT, "npz", "train")
    np.savez(os.path.join(d, "a.npz"), embed=rng.standard_normal(8).astype(np.float32))
    np.savez_compressed(os.path.join(d, "b.npz"), embed=rng.standard_normal((1, 8)).astype(np.float32))
    np.savez(os.path.join(d, "badkey.npz"), embedding=np.zeros(8, np.float32))
    np.savez(os.path.join(d, "badshape.npz"), embed=np.zeros((2, 8), np.float32))
    np.savez(os.path.join(d, "intdtype.npz"), embed=np.zeros(8, np.int64))
    np.save(os.path.join(OUT, "matrix.npy"), np.arange(24, dtype=np.float32).reshape(3, 8))
    with open(os.path.join(OUT, "matrix_index.csv"), "w") as f:
        f.write("path\ndog/x.wav\ncat/y.wav\nz.wav\n")


if __name__ == "__main__":
    main()
