"""Graphics rules of the QEMU domain callback: qemuDomainRecheckInternalPaths
(behaviour §5.5)."""

from __future__ import annotations

from typing import Any

from virtxml.flags import ParseFlags

from . import options
from .util import devlist, get, set_field


def recheck_internal_paths(dom: Any, ctx: Any) -> None:
    cfg = options.qemu_conf(ctx)
    for g in devlist(dom, "graphics"):
        if get(g, "type") != "vnc":
            continue
        for lis in get(g, "listens") or []:
            sock = get(lis, "socket")
            if get(lis, "type") == "socket" and sock and not get(lis, "auto_generated") \
                    and sock.startswith(cfg.lib_dir):
                if ctx.flags & ParseFlags.INACTIVE:
                    lis.socket = None
                    lis.type = "address"
                else:
                    set_field(lis, "from_config", True)
