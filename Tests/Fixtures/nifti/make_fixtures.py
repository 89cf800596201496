"""Writes the NIfTI fixtures of Tests/ImagingTests/NIfTIReaderTests.swift with nibabel (a real,
independent writer) and, beside each, what nibabel reads back: shape, scaled voxel values (i
fastest) and the voxel → RAS affine the file's header chooses. Run from the repository root:

    .venv/bin/python Tests/Fixtures/nifti/make_fixtures.py

Each fixture is checked here to hold the case it is named for (a test is only as good as its
fixture): the rotated sform differs from the qform, the qform-only file has sform_code 0 and
qfac −1, the big-endian file is big-endian, and so on.
"""
import json
import math
import pathlib

import nibabel as nib
import numpy as np

OUT = pathlib.Path(__file__).resolve().parent
rng = np.random.default_rng(22)


def rotation(axis, degrees):
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    x, y, z = np.asarray(axis, float) / np.linalg.norm(axis)
    return np.array([[c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
                     [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
                     [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)]])


def affine(rot, zooms, offset):
    a = np.eye(4)
    a[:3, :3] = rot @ np.diag(zooms)
    a[:3, 3] = offset
    return a


def save(name, img, expected_affine=None):
    path = OUT / name
    nib.save(img, path)
    back = nib.load(path)
    hdr = back.header
    data = np.asarray(back.get_fdata(), dtype=np.float64)
    if data.ndim > 3:
        data = data[..., 0] if data.ndim == 4 else data.reshape(data.shape[:3] + (-1,))[..., 0]
    aff = expected_affine if expected_affine is not None else back.affine
    meta = {
        "file": name,
        "shape": list(data.shape[:3]),
        "values": [float(v) for v in data.ravel(order="F")],
        "affine": [[float(v) for v in row] for row in np.asarray(aff)[:3]],
        "sform_code": int(hdr["sform_code"]),
        "qform_code": int(hdr["qform_code"]),
        "datatype": int(hdr["datatype"]),
        "big_endian": hdr.endianness == ">",
    }
    (OUT / (name.split(".")[0] + ".json")).write_text(json.dumps(meta, indent=1) + "\n")
    return back


# 1. int16 with scaling, a rotated sform that wins over a different qform; gzip.
raw = rng.uniform(-60000, 90000, size=(5, 4, 3))  # beyond int16: nibabel must scale
sform = affine(rotation([0.2, 0.3, 1.0], 30), [0.9, 1.1, 2.5], [-60.0, 40.0, 15.0])
img = nib.Nifti1Image(raw, sform)
img.set_data_dtype(np.int16)
img.set_qform(affine(np.eye(3), [0.9, 1.1, 2.5], [1.0, 2.0, 3.0]), code=1)
img.set_sform(sform, code=2)
back = save("int16_sform_rotated.nii.gz", img)
assert back.header["sform_code"] == 2 and back.header["qform_code"] == 1
assert not np.allclose(back.header.get_qform(), back.header.get_sform())
slope, inter = back.dataobj.slope, back.dataobj.inter  # nibabel moves scl_* off the loaded header
assert slope is not None and (slope != 1 or inter != 0), "the int16 fixture must carry scl_slope/scl_inter"
assert back.header.get_data_dtype() == np.int16

# 2. float32, qform only (quaternion), left-handed (qfac −1); plain .nii.
qaff = affine(rotation([1.0, -0.5, 0.2], 20), [1.5, 1.2, 3.0], [10.0, -20.0, 30.0])
qaff[:3, 2] *= -1  # left-handed: stored with pixdim[0] = −1
img = nib.Nifti1Image(rng.normal(100, 30, size=(6, 5, 4)).astype(np.float32), None)
img.set_qform(qaff, code=1)
img.set_sform(None, code=0)
back = save("float32_qform_only.nii", img)
assert back.header["sform_code"] == 0 and back.header["qform_code"] == 1
assert back.header["pixdim"][0] == -1, "qfac must be −1"
assert np.allclose(back.header.get_qform(), qaff, atol=1e-5)

# 3. uint8, no qform or sform: the standard's method 1 (x = i·pixdim[1], …; nibabel's own
#    fallback centres the grid like Analyze, so the expected affine is written out here).
img = nib.Nifti1Image(rng.integers(0, 255, size=(4, 3, 2)).astype(np.uint8), None)
img.header.set_zooms((2.0, 3.0, 4.0))
img.set_qform(None, code=0)
img.set_sform(None, code=0)
back = save("uint8_pixdim.nii", img, expected_affine=np.diag([2.0, 3.0, 4.0, 1.0]))
assert back.header["sform_code"] == 0 and back.header["qform_code"] == 0

# 4. float64, big-endian, axis-aligned RAS sform.
hdr = nib.Nifti1Header(endianness=">")
img = nib.Nifti1Image(rng.normal(0, 1000, size=(3, 4, 5)), affine(np.eye(3), [1.0, 1.0, 1.0], [-1.5, -2, -2.5]), header=hdr)
img.set_data_dtype(np.float64)
back = save("float64_bigendian.nii", img)
assert back.header.endianness == ">" and back.header.get_data_dtype() == np.dtype(">f8")

# 5. NIfTI-2, int32, gzip.
img = nib.Nifti2Image(rng.integers(-100000, 100000, size=(4, 4, 3)).astype(np.int32),
                      affine(rotation([0, 1, 0], 90), [1.0, 2.0, 3.0], [5, 6, 7]))
img.set_data_dtype(np.int32)
back = save("int32_nifti2.nii.gz", img)
assert isinstance(back, nib.Nifti2Image)

# 6. uint16, 4-D (two volumes): the reader shows the first.
img = nib.Nifti1Image(rng.integers(0, 60000, size=(3, 2, 2, 2)).astype(np.uint16), np.diag([1.0, 1.0, 1.0, 1.0]))
img.set_data_dtype(np.uint16)
back = save("uint16_4d.nii", img)
assert back.shape == (3, 2, 2, 2) and back.header.get_data_dtype() == np.uint16

# 7. int8, sagittal slices (k along x).
sag = np.array([[0.0, 0.0, 1.2], [0.8, 0.0, 0.0], [0.0, 0.8, 0.0]])
img = nib.Nifti1Image(rng.integers(-128, 127, size=(4, 3, 5)).astype(np.int8), affine(np.eye(3), [1, 1, 1], [0, 0, 0]))
img.set_sform(np.vstack([np.hstack([sag, [[1], [2], [3]]]), [0, 0, 0, 1]]), code=1)
img.set_data_dtype(np.int8)
save("int8_sagittal.nii", img)
print("wrote", sorted(p.name for p in OUT.glob("*.nii*")))

# Hostile (beside, not inside, this folder so scans of it stay clean): a gzip whose header promises
# 2048×2048×256 float64 (8 GiB) over 64 bytes of data. The reader must say "truncated" without
# reserving the 8 GiB first.
import gzip  # noqa: E402

HOSTILE = OUT.parent / "nifti-hostile"
HOSTILE.mkdir(exist_ok=True)
hdr = nib.Nifti1Header()
hdr.set_data_shape((2048, 2048, 256))
hdr.set_data_dtype(np.float64)
hdr["vox_offset"] = 352
raw = hdr.binaryblock + b"\0\0\0\0" + bytes(64)
(HOSTILE / "huge_dims_tiny_data.nii.gz").write_bytes(gzip.compress(raw, mtime=0))
assert nib.Nifti1Header.from_fileobj(__import__("io").BytesIO(raw)).get_data_shape() == (2048, 2048, 256)
