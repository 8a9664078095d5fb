"""STUB: libvirt's parse-time rules and defaults (behaviour §2.1, §11)
that need the whole document or the driver's parser config.  To be
completed."""

from __future__ import annotations

from typing import Any


def apply(dom: Any, root: Any, ctx: Any) -> None:
    return None
