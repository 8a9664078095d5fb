"""Graphics rules of the QEMU domain callback: qemuDomainRecheckInternalPaths
(behaviour §5.5)."""

from __future__ import annotations

from typing import Any

from virtxml.flags import ParseFlags

from . import options
from .util import devlist, set_field


def recheck_internal_paths(dom: Any, ctx: Any) -> None:
    cfg = options.qemu_conf(ctx)
    for g in devlist(dom, "graphics"):
        if getattr(g, "type", None) != "vnc":
            continue
        for lis in getattr(g, "listens", None) or []:
            sock = getattr(lis, "socket", None)
            if getattr(lis, "type", None) == "socket" and sock and not getattr(lis, "auto_generated", None) \
                    and sock.startswith(cfg.lib_dir):
                if ctx.flags & ParseFlags.INACTIVE:
                    lis.socket = None
                    lis.type = "address"
                else:
                    set_field(lis, "from_config", True)
