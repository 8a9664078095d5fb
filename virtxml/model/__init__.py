"""The typed domain model: one module per XML area."""

from __future__ import annotations

from .devices import DEVICE_LISTS, Devices
from .domain import Domain, Metadata

__all__ = ["Domain", "Devices", "Metadata", "DEVICE_LISTS"]
