"""Synthetic radiology phantoms with ground truth (Lightbox sample studies and training sets).

One module per study kind: mammography, ldct, head_ct, chest_radiograph, brain_mr; `write_dicom` writes
the DICOM; `catalog` lists the committed sample studies and builds randomised training cases.
"""
from . import brain_mr, chest_radiograph, head_ct, ldct, mammography  # noqa: F401

KINDS = {"mammography": mammography, "ldct": ldct, "head_ct": head_ct, "chest_radiograph": chest_radiograph,
         "brain_mr": brain_mr}
