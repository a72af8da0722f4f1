#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Misbehaving TorchScript teachers for tst_TeacherFuzz, written with Debian's python3-torch.

Usage: make_fuzz_teachers.py OUT_DIR
Writes OUT_DIR/<name>.pt for every teacher below. Each takes [B, 16000] waveforms at 16 kHz (1 s
windows, given as module attributes) and is a 16-d random-feature network, except for what its
name says it does wrong. "Silent" means a window whose samples are all below 1e-6 in magnitude.
"""

import os
import sys

import torch
from torch import nn


class Base(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.proj = nn.Linear(100, 16)
        self.sample_rate = 16000
        self.window_seconds = 1.0
        self.calls = 0

    def features(self, x: torch.Tensor) -> torch.Tensor:
        # 100 band energies of the window: enough to tell clips apart.
        frames = x[:, : 16000 // 160 * 160].reshape(x.shape[0], 100, 160)
        return torch.tanh(self.proj(frames.square().mean(-1).add(1e-8).log()))

    def silent(self, x: torch.Tensor) -> torch.Tensor:
        return x.abs().amax(dim=1) < 1e-6


class RaisesOnSilence(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if bool(self.silent(x).any()):
            raise RuntimeError("this model cannot embed silent input")
        return self.features(x)


class NanOnSilence(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.features(x)
        return torch.where(self.silent(x).unsqueeze(1), torch.full_like(y, float("nan")), y)


class InfOnSilence(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.features(x)
        return torch.where(self.silent(x).unsqueeze(1), torch.full_like(y, float("inf")), y)


class FailsHalfway(Base):
    # The probe and the first two batches work, then every call raises.
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        if self.calls > 3:
            raise RuntimeError("out of memory (simulated) after a few batches")
        return self.features(x)


class AlwaysFailsAfterProbe(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("model weights were corrupted (simulated)")
        return self.features(x)


class DimChangesLater(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        y = self.features(x)
        if self.calls > 3:
            return torch.cat([y, y[:, :8]], 1)
        return y


class DtypeChangesLater(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        y = self.features(x)
        if self.calls > 3:
            return y.double()
        return y


class RankChangesLater(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        y = self.features(x)
        if self.calls > 3:
            return y.unsqueeze(1)
        return y


class WrongBatchLater(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        y = self.features(x)
        if self.calls > 3:
            return y[:1]
        return y


class Float64(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x).double()


class Float16(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x).half()


class Int64(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self.features(x) * 100).long()


class NonContiguous(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x).t().contiguous().t()


class Tuple(Base):
    def forward(self, x: torch.Tensor):
        y = self.features(x)
        return y, y.sum(1)


class Dict(Base):
    def forward(self, x: torch.Tensor):
        return {"embedding": self.features(x)}


class ZeroD(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x).sum()


class ThreeD(Base):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x).unsqueeze(1)


class Slow(Base):
    # About 20 ms of work per call on top of the features (TorchScript has no sleep).
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = torch.eye(256) * 0.999
        z = torch.ones(256, 256)
        for _ in range(60):
            z = z @ w
        return self.features(x) + 0.0 * z[0, :16]


TEACHERS = {
    "raises_on_silence": RaisesOnSilence,
    "nan_on_silence": NanOnSilence,
    "inf_on_silence": InfOnSilence,
    "fails_halfway": FailsHalfway,
    "always_fails_after_probe": AlwaysFailsAfterProbe,
    "dim_changes_later": DimChangesLater,
    "dtype_changes_later": DtypeChangesLater,
    "rank_changes_later": RankChangesLater,
    "wrong_batch_later": WrongBatchLater,
    "float64": Float64,
    "float16": Float16,
    "int64": Int64,
    "non_contiguous": NonContiguous,
    "tuple": Tuple,
    "dict": Dict,
    "zero_d": ZeroD,
    "three_d": ThreeD,
    "slow": Slow,
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, cls in TEACHERS.items():
        torch.jit.script(cls().eval()).save(os.path.join(out, name + ".pt"))
    print(len(TEACHERS), "teachers in", out)


if __name__ == "__main__":
    main()
