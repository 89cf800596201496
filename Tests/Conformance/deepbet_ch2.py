#!/usr/bin/env python3
"""deepbet's 128³ brain-mask model (Models/deepbet-bbox-v1.onnx, real weights) on a real T1: the
Colin-27 ch2 from Debian's mricron-data, preprocessed as deepbet does (Training/deepbet/pipeline.py),
run in `lightbox onnx run` and in onnxruntime. About 15 s on a busy 2-core machine.

Checks:
- max |Lightbox − onnxruntime| over the [1, 2, 128³] probabilities ≤ 2e-3. (Measured 6.8e-4; it is
  onnxruntime's own error: against the TorchScript model run in float64, Lightbox is within 1.8e-5
  and onnxruntime 6.7e-4, the same with its graph optimisations off.)
- the two runtimes' masks agree: Dice ≥ 0.999;
- Dice of the mask (largest component of p > 0.5, back on the 181×217×181 grid) against ch2bet's
  nonzero voxels ≥ 0.90 (measured 0.934; the card's validation section has the figures).
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Training", "deepbet"))
import check_ch2  # noqa: E402

LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
MAX_DIFF = 2e-3
MIN_AGREEMENT = 0.999
MIN_DICE = 0.90


def main() -> int:
    if not os.path.exists(os.path.join(check_ch2.TEMPLATES, "ch2bet.nii.gz")):
        print("FAIL deepbet_ch2: mricron-data is not installed (make apt installs it)")
        return 1
    _, ours, theirs, t_lb, _, t1, ref = check_ch2.run(LIGHTBOX)
    f = check_ch2.figures(ours, theirs, t1, ref)
    checks = [
        ("max |lightbox - onnxruntime|", f["max_abs_diff_lightbox_vs_onnxruntime"], f["max_abs_diff_lightbox_vs_onnxruntime"] <= MAX_DIFF, f"<= {MAX_DIFF:g}"),
        ("mask Dice lightbox vs onnxruntime", f["dice_onnxruntime_mask_vs_lightbox_mask"], f["dice_onnxruntime_mask_vs_lightbox_mask"] >= MIN_AGREEMENT, f">= {MIN_AGREEMENT}"),
        ("Dice vs ch2bet", f["dice_ch2bet_original_grid"], f["dice_ch2bet_original_grid"] >= MIN_DICE, f">= {MIN_DICE}"),
    ]
    failed = 0
    for name, value, ok, limit in checks:
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {value:.4g} (limit {limit})")
    print(f"deepbet_ch2: {len(checks) - failed}/{len(checks)} checks passed (lightbox onnx run {t_lb:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
