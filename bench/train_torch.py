#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for bench_train: the same distillation step in Python with Debian's python3-torch.

torchvision's mobilenet_v3_large with a 1-channel stem stands in for mn10 (same block table),
followed by the S-SONDO mapping head, cosine loss, Adam, gradient clipping, on batches already in
memory. usage: train_torch.py THREADS BATCH STEPS   → one JSON line with clips/s.
"""
import json
import sys
import time

import torch
import torchvision

threads, batch, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
net = torchvision.models.mobilenet_v3_large()
net.features[0][0] = torch.nn.Conv2d(1, 16, 3, 2, 1, bias=False)
backbone = torch.nn.Sequential(net.features, torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
head = torch.nn.Sequential(torch.nn.Linear(960, 1280), torch.nn.Hardswish(), torch.nn.Dropout(0.2),
                           torch.nn.Linear(1280, 3840))
params = list(backbone.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=8e-4)
x = torch.randn(batch, 1, 128, 624)
t = torch.randn(batch, 3840)


def step():
    opt.zero_grad()
    loss = (1 - torch.nn.functional.cosine_similarity(head(backbone(x)), t, dim=1)).mean()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 5.0)
    opt.step()


backbone.train()
head.train()
for _ in range(2):
    step()
start = time.perf_counter()
for _ in range(steps):
    step()
elapsed = time.perf_counter() - start
print(json.dumps({"clips_per_s": batch * steps / elapsed, "step_s": elapsed / steps,
                  "backbone_params": sum(p.numel() for p in backbone.parameters())}))
