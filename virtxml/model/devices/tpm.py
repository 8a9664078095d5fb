"""STUB: <tpm> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('tpm')
class TPM:
    pass
