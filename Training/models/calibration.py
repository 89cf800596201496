"""Post-hoc probability calibration (Platt scaling and temperature scaling on the logit of the raw
probability), expected calibration error and reliability diagrams. Used by trust.py.

The card formula (what the Swift side applies):
    p_cal = 1 / (1 + exp(-(a * logit(p_raw) + b))),  logit clamped at p in [1e-6, 1 - 1e-6]
Temperature scaling is the same with b = 0 (a = 1/T)."""
from __future__ import annotations

import numpy as np

EPS = 1e-6
FORMULA = "p_cal = 1 / (1 + exp(-(a * logit(p_raw) + b))), logit clamped at p in [1e-6, 1 - 1e-6]"


def logit(p):
    p = np.clip(np.asarray(p, np.float64), EPS, 1 - EPS)
    return np.log(p / (1 - p))


def apply(p, a, b):
    z = a * logit(p) + b
    return 0.5 * (1 + np.tanh(z / 2))            # = 1 / (1 + exp(-z)), without overflow


def fit(p, y, temperature=False, l2=1e-4, iters=100):
    """Maximum-likelihood (a, b) by Newton's method on the logistic loss of a*logit(p)+b, with
    Platt's (1999) smoothed targets: (N+ + 1)/(N+ + 2) for the positives and 1/(N- + 2) for the
    negatives, so a set with few errors cannot drive the calibrated probability to 0 or 1 (a
    probability of 99.99 % needs thousands of examples behind it); a tiny L2 on (a - 1, b) keeps
    it finite. `temperature`: b fixed at 0."""
    x = logit(p)
    y = np.asarray(y, bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    y = np.where(y, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    a, b = 1.0, 0.0

    def loss(a, b):
        z = a * x + b
        return float(np.sum(np.logaddexp(0, z) - y * z) + l2 / 2 * ((a - 1) ** 2 + b ** 2))

    cur = loss(a, b)
    for _ in range(iters):
        z = a * x + b
        q = 0.5 * (1 + np.tanh(z / 2))          # sigmoid without overflow
        w = q * (1 - q)
        ga = np.sum((q - y) * x) + l2 * (a - 1)
        gb = np.sum(q - y) + l2 * b
        haa = np.sum(w * x * x) + l2
        hab = np.sum(w * x)
        hbb = np.sum(w) + l2
        if temperature:
            step_a, step_b = ga / haa, 0.0
        else:
            det = haa * hbb - hab * hab
            step_a = (hbb * ga - hab * gb) / det
            step_b = (haa * gb - hab * ga) / det
        lr = 1.0                                 # backtracking: Newton steps must lower the loss
        while lr > 1e-8 and loss(a - lr * step_a, b - lr * step_b) > cur:
            lr /= 2
        a, b = a - lr * step_a, b - lr * step_b
        new = loss(a, b)
        if cur - new < 1e-12:
            break
        cur = new
    return float(a), float(b)


def nll(p, y):
    p = np.clip(np.asarray(p, np.float64), EPS, 1 - EPS)
    y = np.asarray(y, np.float64)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def cv_nll(p, y, groups, temperature, folds=5):
    """Mean held-out NLL of `fit` over `folds` folds of whole groups (cases), deterministic."""
    p, y, groups = np.asarray(p), np.asarray(y), np.asarray(groups)
    ug = np.unique(groups)
    total, n = 0.0, 0
    for k in range(folds):
        test = np.isin(groups, ug[k::folds])
        if test.sum() == 0 or (~test).sum() == 0:
            continue
        a, b = fit(p[~test], y[~test], temperature)
        total += nll(apply(p[test], a, b), y[test]) * test.sum()
        n += test.sum()
    return total / max(n, 1)


def choose(p, y, groups):
    """Platt vs temperature on the tuning split by 5-fold grouped cross-validated NLL; returns
    (method, a, b, text)."""
    platt, temp = cv_nll(p, y, groups, False), cv_nll(p, y, groups, True)
    method = "platt" if platt < temp else "temperature"
    a, b = fit(p, y, method == "temperature")
    text = (f"Platt (a, b) vs temperature (a only) fitted by maximum likelihood with Platt's smoothed targets "
            f"((N+ + 1)/(N+ + 2), 1/(N- + 2)) on the tuning split; "
            f"5-fold cross-validated NLL over whole cases: Platt {platt:.4f}, temperature {temp:.4f}; "
            f"the lower one is used ({method})")
    return method, a, b, text


def ece(p, y, bins=10):
    """Expected calibration error, `bins` equal-width bins on [0, 1]."""
    p = np.asarray(p, np.float64)
    y = np.asarray(y, np.float64)
    if len(p) == 0:
        return float("nan")
    idx = np.minimum((p * bins).astype(int), bins - 1)
    e = 0.0
    for k in range(bins):
        m = idx == k
        if m.any():
            e += m.sum() * abs(y[m].mean() - p[m].mean())
    return float(e / len(p))


def reliability(p, y, bins=10):
    """Per bin: (mean predicted, observed fraction, count)."""
    p = np.asarray(p, np.float64)
    y = np.asarray(y, np.float64)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    return [(float(p[idx == k].mean()), float(y[idx == k].mean()), int((idx == k).sum()))
            for k in range(bins) if (idx == k).any()]


def plot(path, title, panels):
    """Reliability diagram PNG. `panels`: [(label, [(name, p, y), ...])]: one axis per panel,
    before/after curves on each, bar counts underneath."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axs = plt.subplots(1, len(panels), figsize=(max(5.2 * len(panels), 8.0), 5.4), squeeze=False)
    for ax, (label, curves) in zip(axs[0], panels):
        ax.plot([0, 1], [0, 1], color="0.6", lw=1, ls="--", label="perfect")
        for (name, p, y), col in zip(curves, ("tab:red", "tab:blue")):
            rel = reliability(p, y)
            ax.plot([r[0] for r in rel], [r[1] for r in rel], "o-", color=col,
                    label=f"{name} (ECE {ece(p, y):.3f}, n={len(p)})")
            for r in rel:
                ax.annotate(str(r[2]), (r[0], r[1]), fontsize=6, color=col, xytext=(3, -8), textcoords="offset points")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("predicted probability (bin mean; 10 equal-width bins)")
        ax.set_ylabel("observed fraction true")
        ax.set_title(label, fontsize=9)
        ax.legend(fontsize=7, loc="upper left")
        ax.grid(alpha=0.3)
    import textwrap
    fig.suptitle("\n".join(textwrap.wrap(title, 110)), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
