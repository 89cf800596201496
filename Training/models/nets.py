"""Small U-Nets built only from operators a small ONNX runtime supports: Conv, BatchNormalization,
Relu, MaxPool, ConvTranspose, Concat, Sigmoid, GlobalAveragePool, Flatten, Gemm."""
from __future__ import annotations

import torch
import torch.nn as nn


def block(cin, cout, convs=1):
    layers = []
    for i in range(convs):
        layers += [nn.Conv2d(cin if i == 0 else cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                   nn.ReLU(inplace=True)]
    return nn.Sequential(*layers)


class UNet(nn.Module):
    """4-level U-Net (3 poolings). Outputs a per-pixel probability map at input resolution and,
    when `score_head`, an image-level probability from [GAP(bottleneck) ‖ global max of the
    heatmap logit] (the global max is a MaxPool whose kernel is the whole image, so the input
    size is fixed at export).

    `mal_head` (mammography) adds a second 1x1 head, a malignancy-only heatmap trained on the
    malignant lesions' pixels. It is not an output: its global max joins the score's features, so
    the score can tell a benign finding (a bright heatmap too) from a malignant one. It is a
    separate convolution rather than a second channel so the exported graph needs no Slice."""

    def __init__(self, in_ch: int, base: int = 8, score_head: bool = False, size=(256, 256), mal_head: bool = False):
        super().__init__()
        c = [base, base * 2, base * 4, base * 8]
        # one conv per level at the two finest levels (CPU budget), two at the coarse ones
        self.enc = nn.ModuleList([block(in_ch, c[0]), block(c[0], c[1]), block(c[1], c[2], 2), block(c[2], c[3], 2)])
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ModuleList([nn.ConvTranspose2d(c[i + 1], c[i], 2, stride=2) for i in range(3)])
        self.dec = nn.ModuleList([block(c[i] * 2, c[i], 1 if i < 2 else 2) for i in range(3)])
        self.head = nn.Conv2d(c[0], 1, 1)
        self.score_head = score_head
        self.size = tuple(size)
        if score_head:
            self.gap = nn.AdaptiveAvgPool2d(1)
            self.gmax = nn.MaxPool2d(kernel_size=self.size)
            self.fc = nn.Linear(c[3] + 1 + int(mal_head), 1)
        self.head_mal = nn.Conv2d(c[0], 1, 1) if mal_head else None
        self.aux_logit = None   # the malignancy heatmap logit of the last forward (training loss)

    def forward_logits(self, x):
        skips = []
        for i, e in enumerate(self.enc):
            x = e(x)
            if i < 3:
                skips.append(x)
                x = self.pool(x)
        bott = x
        for i in (2, 1, 0):
            x = self.up[i](x)
            x = self.dec[i](torch.cat([x, skips[i]], 1))
        logit = self.head(x)
        if not self.score_head:
            return logit, None
        feats = [torch.flatten(self.gap(bott), 1), torch.flatten(self._gmax(logit), 1)]
        if self.head_mal is not None:
            self.aux_logit = self.head_mal(x)
            feats.append(torch.flatten(self._gmax(self.aux_logit), 1))
        return logit, self.fc(torch.cat(feats, 1))

    def _gmax(self, logit):
        if logit.shape[-2:] == self.size:
            return self.gmax(logit)
        return torch.amax(logit, dim=(2, 3), keepdim=True)   # training on crops of another size

    def forward(self, x):
        logit, s = self.forward_logits(x)
        if s is None:
            return torch.sigmoid(logit)
        return torch.sigmoid(logit), torch.sigmoid(s)


def load_checkpoint(path, cfg):
    """The UNet of a train.py checkpoint, in eval mode. Checkpoints hold {"arch", "state"}; older
    ones are a bare state dict of the task's default architecture (`cfg`: a tasks.TASKS entry)."""
    ck = torch.load(path, map_location="cpu")
    arch, state = (ck["arch"], ck["state"]) if "state" in ck else ({}, ck)
    m = UNet(cfg.get("channels", 2 * cfg["context"] + 1), arch.get("base", cfg["base"]), cfg["score_head"], cfg["size"],
             mal_head=arch.get("mal_head", False))
    m.load_state_dict(state)
    return m.eval()


def n_params(m):
    return sum(p.numel() for p in m.parameters())
