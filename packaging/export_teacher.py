#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Export an audio foundation model as a TorchScript teacher for S-SONDO Workbench.

The workbench needs one thing from a teacher: a module whose forward maps mono waveforms
[B, T] (float32, at the teacher's sample rate, T = window seconds x sample rate) to one embedding
per clip [B, D]. This script wraps your model's embedding function, traces it, stores the sample
rate and window as module attributes, checks the result and saves it:

  # M2D (github.com/nttcslab/m2d), from a clone of its repository:
  /usr/bin/python3 packaging/export_teacher.py --python-path ~/m2d \\
      --entry portable_m2d:PortableM2D --kwargs weight_file=~/m2d_vit_base-80x608p16x16/checkpoint-300.pth \\
      --method encode_clip --sample-rate 16000 --window 10 --out m2d_teacher.pt

  # MATPAC++: same pattern with its model class and embedding method.

  # A tiny random model, to try the pipeline (used by the tests):
  /usr/bin/python3 packaging/export_teacher.py --tiny --out tiny_teacher.pt

Then: ssondo extract --teacher m2d_teacher.pt --dataset NAME

Needs Debian's python3-torch (1.13) or any PyTorch >= 1.13. The exported file runs in LibTorch
1.13 and 2.x. Loading a TorchScript file runs the code in it: only load files you trust.
"""
import argparse
import importlib
import os
import sys

import torch


class TinyTeacher(torch.nn.Module):
    """A small random network with a teacher's interface: [B, T] at 16 kHz -> [B, 64]."""

    def __init__(self, dim: int = 64):
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv1d(1, 16, kernel_size=400, stride=160)
        self.proj = torch.nn.Linear(16, dim)

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.conv(wav.unsqueeze(1)))      # [B, 16, frames]
        return self.proj(h.mean(-1))                       # [B, dim]


class _Embed(torch.nn.Module):
    """Calls model.<method>(wav) so that trace sees a plain forward."""

    def __init__(self, model, method):
        super().__init__()
        self.model = model
        self.method = method

    def forward(self, wav):
        out = getattr(self.model, self.method)(wav) if self.method else self.model(wav)
        if isinstance(out, (tuple, list)):
            out = out[0]
        if out.dim() == 3:      # [B, frames, D]: average over time, as the reference does
            out = out.mean(1)
        return out


class ExportedTeacher(torch.nn.Module):
    sample_rate: int
    window_seconds: float

    def __init__(self, inner, sample_rate: int, window_seconds: float):
        super().__init__()
        self.inner = inner
        self.sample_rate = sample_rate
        self.window_seconds = window_seconds

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        return self.inner(wav)


def parse_kwargs(items):
    out = {}
    for item in items or []:
        key, _, value = item.partition("=")
        value = os.path.expanduser(value)
        for cast in (int, float):
            try:
                value = cast(value)
                break
            except ValueError:
                pass
        out[key] = value
    return out


def export(model, method, sample_rate, window, out_path, batch=2):
    model.eval()
    samples = int(round(sample_rate * window))
    example = torch.randn(batch, samples) * 0.01
    with torch.no_grad():
        inner = torch.jit.trace(_Embed(model, method), example, check_trace=False)
        scripted = torch.jit.script(ExportedTeacher(inner, int(sample_rate), float(window)))
        scripted.save(out_path)
        # Check what the workbench will check: loads, [B, D], finite.
        loaded = torch.jit.load(out_path)
        y = loaded(torch.randn(3, samples) * 0.01)
    if y.dim() != 2 or y.shape[0] != 3:
        raise SystemExit(f"export_teacher: the exported model returns shape {tuple(y.shape)}, expected [B, D]")
    if not torch.isfinite(y).all():
        raise SystemExit("export_teacher: the exported model returns NaN or infinite values")
    print(f"exported {out_path}: {sample_rate} Hz, {window} s windows, {y.shape[1]}-d embeddings, "
          f"{sum(p.numel() for p in model.parameters())} parameters")
    return y.shape[1]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="output .pt file")
    p.add_argument("--tiny", action="store_true", help="export a tiny random model (for trying the pipeline)")
    p.add_argument("--python-path", action="append", help="folder to import the model's code from (repeatable)")
    p.add_argument("--entry", help="module:callable that builds the model, e.g. portable_m2d:PortableM2D")
    p.add_argument("--kwargs", nargs="*", help="key=value arguments for the callable")
    p.add_argument("--method", default="", help="embedding method of the model (default: forward)")
    p.add_argument("--sample-rate", type=int, default=16000)
    p.add_argument("--window", type=float, default=10.0, help="seconds per window")
    a = p.parse_args(argv)
    if a.tiny:
        return export(TinyTeacher(), "", 16000, a.window if a.window != 10.0 else 1.0, a.out)
    if not a.entry:
        p.error("--entry module:callable is required (or --tiny)")
    for path in a.python_path or []:
        sys.path.insert(0, os.path.expanduser(path))
    module_name, _, attr = a.entry.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    return export(factory(**parse_kwargs(a.kwargs)), a.method, a.sample_rate, a.window, a.out)


if __name__ == "__main__":
    main()
