"""STUB: <iommu> device (to be completed)."""

from __future__ import annotations

from ...binding import xml


@xml('iommu')
class IOMMU:
    pass
