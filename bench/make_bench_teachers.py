#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes three random, seeded TorchScript teachers for the extraction benchmarks.

usage: make_bench_teachers.py OUT_DIR [--only conv1d,cnn2d,vit]

  conv1d.pt  strided 1-D conv stack on raw 16 kHz audio, 1 s windows, 489,744 parameters, 256-d
  cnn2d.pt   log-mel (torch.stft + mel-matrix buffer, 16 kHz, 64 mels) + 4-block 2-D CNN (1.55 M parameters),
             1 s windows, 512-d
  vit.pt     log-mel (80 mels, 16 kHz) + ViT-B/16-style encoder (12 pre-norm blocks, 768 wide, 12 heads,
             MLP 3072), 2 s windows, 5 frequency tokens x 768 averaged over time = 3840-d (~86 M parameters,
             the shape of the M2D / MATPAC++ teachers of reference/SSONDO.md)

Each module carries the attributes sample_rate (int) and window_seconds (float) and maps [B, T]
float32 waveforms to [B, D]; all are written with torch.jit.script from Debian's torch 1.13, so they
load in LibTorch 1.13. Weights are random (torch.manual_seed(0)): these are for timing, not accuracy.
"""
import os
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    # TorchScript writes a module's constants in set order: a fixed hash seed makes the files
    # byte-identical from run to run (the workbench keys its embedding cache on the file's hash).
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import argparse  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torchaudio  # noqa: E402
from torch import nn  # noqa: E402


class Conv1dTeacher(nn.Module):
    sample_rate: int
    window_seconds: float

    # (in, out, kernel, stride): total stride 256 → ~62 frames per 1 s window
    LAYERS = [(1, 40, 64, 4), (40, 64, 9, 4), (64, 128, 9, 4), (128, 160, 9, 2), (160, 256, 5, 2)]

    def __init__(self):
        super().__init__()
        self.sample_rate = 16000
        self.window_seconds = 1.0
        layers = []
        for cin, cout, k, s in self.LAYERS:
            layers += [nn.Conv1d(cin, cout, k, s, k // 2, bias=False), nn.BatchNorm1d(cout), nn.ReLU()]
        self.features = nn.Sequential(*layers)

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        h = self.features(wav.unsqueeze(1))            # [B, 256, frames]
        return h.mean(-1)                              # [B, 256]


class LogMel(nn.Module):
    """|STFT|² → mel (Slaney filters, a buffer) → ln(x + 1e-6), all inside the module."""

    def __init__(self, sample_rate: int, n_fft: int, hop: int, n_mels: int, f_min: float, f_max: float,
                 center: bool):
        super().__init__()
        self.n_fft = n_fft
        self.hop = hop
        self.center = center
        self.register_buffer("window", torch.hann_window(n_fft, periodic=True))
        fb = torchaudio.functional.melscale_fbanks(n_fft // 2 + 1, f_min, f_max, n_mels, sample_rate,
                                                   norm="slaney", mel_scale="slaney")
        self.register_buffer("fb", fb.t().contiguous())  # [n_mels, n_freqs]

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        spec = torch.stft(wav, self.n_fft, self.hop, self.n_fft, self.window, self.center, "reflect", False,
                          True, True)
        power = spec.real.pow(2) + spec.imag.pow(2)    # [B, F, frames]
        return torch.log(torch.matmul(self.fb, power) + 1e-6)  # [B, mels, frames]


class Cnn2dTeacher(nn.Module):
    sample_rate: int
    window_seconds: float

    def __init__(self):
        super().__init__()
        self.sample_rate = 16000
        self.window_seconds = 1.0
        self.mel = LogMel(16000, 400, 160, 64, 50.0, 8000.0, False)   # 1 s → [64, 98]
        chans = [1, 64, 128, 256, 512]
        layers = []
        for i in range(4):
            layers += [nn.Conv2d(chans[i], chans[i + 1], 3, 1, 1, bias=False), nn.BatchNorm2d(chans[i + 1]),
                       nn.ReLU()]
            if i < 3:
                layers.append(nn.AvgPool2d(2))
        self.features = nn.Sequential(*layers)
        self.bn0 = nn.BatchNorm2d(1)

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        x = self.bn0(self.mel(wav).unsqueeze(1))       # [B, 1, 64, 98]
        h = self.features(x)                           # [B, 512, 8, 12]
        return h.mean((2, 3))                          # [B, 512]


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape[0], x.shape[1], x.shape[2]
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]                # [B, heads, N, head dim]
        attn = torch.softmax(torch.matmul(q, k.transpose(-2, -1)) * self.scale, dim=-1)
        return self.proj(torch.matmul(attn, v).transpose(1, 2).reshape(b, n, c))


class Block(nn.Module):
    """timm-style pre-norm transformer block."""

    def __init__(self, dim: int, heads: int, mlp: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, mlp)
        self.fc2 = nn.Linear(mlp, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.fc2(nn.functional.gelu(self.fc1(self.norm2(x))))


class VitTeacher(nn.Module):
    sample_rate: int
    window_seconds: float

    def __init__(self, window_seconds: float = 2.0, dim: int = 768, depth: int = 12, heads: int = 12,
                 mlp: int = 3072, patch: int = 16, n_mels: int = 80):
        super().__init__()
        self.sample_rate = 16000
        self.window_seconds = window_seconds
        self.patch = patch
        self.dim = dim
        self.freq_patches = n_mels // patch                              # 5
        frames = 1 + int(round(window_seconds * 16000)) // 160           # centred STFT: 201 for 2 s
        self.time_patches = frames // patch                              # 12
        self.mel = LogMel(16000, 400, 160, n_mels, 50.0, 8000.0, True)
        self.patch_embed = nn.Conv2d(1, dim, patch, patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + self.freq_patches * self.time_patches, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads, mlp) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.mean = -7.1   # dataset normalisation of the log-mel, as M2D stores it
        self.std = 4.2

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        x = (self.mel(wav) - self.mean) / self.std                      # [B, 80, frames]
        x = x[:, :, : self.time_patches * self.patch].unsqueeze(1)     # [B, 1, 80, 192]
        x = self.patch_embed(x)                                        # [B, 768, 5, 12]
        b = x.shape[0]
        x = x.flatten(2).transpose(1, 2)                               # [B, 60, 768], frequency-major
        x = torch.cat([self.cls_token.expand(b, -1, -1), x], 1) + self.pos_embed
        x = self.norm(self.blocks(x))[:, 1:]                           # patch tokens, CLS dropped
        x = x.reshape(b, self.freq_patches, self.time_patches, self.dim).mean(2)  # mean over time
        return x.reshape(b, self.freq_patches * self.dim)              # [B, 3840]


def write(name, module, out_dir):
    t0 = time.perf_counter()
    module.eval()
    params = sum(p.numel() for p in module.parameters())
    scripted = torch.jit.script(module)
    path = os.path.join(out_dir, name + ".pt")
    scripted.save(path)
    samples = int(round(module.sample_rate * module.window_seconds))
    with torch.inference_mode():
        y = torch.jit.load(path)(torch.randn(2, samples) * 0.01)
    if y.dim() != 2 or y.shape[0] != 2 or not torch.isfinite(y).all():
        raise SystemExit(f"{name}: bad output {tuple(y.shape)}")
    print(f"{path}: {params} parameters, {module.sample_rate} Hz, {module.window_seconds} s windows, "
          f"{y.shape[1]}-d, {os.path.getsize(path) / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--only", default="conv1d,cnn2d,vit", help="comma-separated subset")
    a = p.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    builders = {"conv1d": Conv1dTeacher, "cnn2d": Cnn2dTeacher, "vit": VitTeacher}
    for name in a.only.split(","):
        torch.manual_seed(0)
        write(name, builders[name](), a.out_dir)


if __name__ == "__main__":
    main()
