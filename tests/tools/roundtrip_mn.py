#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only Python MobileNetV3 ("mn", EfficientAT layout) for tst_StudentExport.

Builds the network from the published block table with EfficientAT's module names, loads
`backbone.pt` written by `ssondo export` STRICTLY (every key and shape must match), embeds
`input.npy` ([B, 1, 128, T]) in eval mode and writes `output.npy` ([B, 960 x width]).
usage: roundtrip_mn.py EXPORT_DIR INPUT.npy OUTPUT.npy [WIDTH]
"""
import json
import sys

import numpy as np
import torch
from torch import nn

# (in, kernel, expanded, out, SE, hardswish, stride): reference/SSONDO.md
TABLE = [(16, 3, 16, 16, 0, 0, 1), (16, 3, 64, 24, 0, 0, 2), (24, 3, 72, 24, 0, 0, 1), (24, 5, 72, 40, 1, 0, 2),
         (40, 5, 120, 40, 1, 0, 1), (40, 5, 120, 40, 1, 0, 1), (40, 3, 240, 80, 0, 1, 2), (80, 3, 200, 80, 0, 1, 1),
         (80, 3, 184, 80, 0, 1, 1), (80, 3, 184, 80, 0, 1, 1), (80, 3, 480, 112, 1, 1, 1), (112, 3, 672, 112, 1, 1, 1),
         (112, 5, 672, 160, 1, 1, 2), (160, 5, 960, 160, 1, 1, 1), (160, 5, 960, 160, 1, 1, 1)]


def divisible(v, d=8):
    n = max(d, int(v + d / 2) // d * d)
    return n + d if n < 0.9 * v else n


def cna(cin, cout, k, stride=1, groups=1, act=None):
    layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout, eps=0.001, momentum=0.01)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class SE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Linear(c, divisible(c // 4))
        self.fc2 = nn.Linear(divisible(c // 4), c)

    def forward(self, x):
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(x.mean((2, 3))))))
        return x * s[:, :, None, None]


class ConcurrentSE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conc_se_layers = nn.ModuleList([SE(c)])

    def forward(self, x):
        return self.conc_se_layers[0](x)


class Block(nn.Module):
    def __init__(self, cin, k, exp, cout, se, hs, stride):
        super().__init__()
        act = nn.Hardswish if hs else nn.ReLU
        layers = []
        if exp != cin:
            layers.append(cna(cin, exp, 1, act=act))
        layers.append(cna(exp, exp, k, stride, exp, act=act))
        if se:
            layers.append(ConcurrentSE(exp))
        layers.append(cna(exp, cout, 1))
        self.block = nn.Sequential(*layers)
        self.res = stride == 1 and cin == cout

    def forward(self, x):
        y = self.block(x)
        return y + x if self.res else y


class MN(nn.Module):
    def __init__(self, width=1.0):
        super().__init__()
        c = lambda v: divisible(v * width)
        layers = [cna(1, c(16), 3, 2, act=nn.Hardswish)]
        layers += [Block(c(i), k, c(e), c(o), se, hs, s) for i, k, e, o, se, hs, s in TABLE]
        layers.append(cna(c(160), 6 * c(160), 1, act=nn.Hardswish))
        self.features = nn.Sequential(*layers)

    def forward(self, x):
        return self.features(x).mean((2, 3))


def main():
    export_dir, inp, out = sys.argv[1:4]
    width = float(sys.argv[4]) if len(sys.argv) > 4 else json.load(open(f"{export_dir}/model.json"))["width"]
    model = MN(width)
    state = torch.load(f"{export_dir}/backbone.pt")
    result = model.load_state_dict(state, strict=True)  # raises on any missing/unexpected/mis-shaped key
    model.eval()
    with torch.no_grad():
        y = model(torch.from_numpy(np.load(inp)))
    np.save(out, y.numpy().astype(np.float32))
    print(json.dumps({"keys": len(state), "missing": len(result.missing_keys), "unexpected": len(result.unexpected_keys),
                      "shape": list(y.shape)}))


if __name__ == "__main__":
    main()
