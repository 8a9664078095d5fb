"""virDomainDefPostParseOs (loader type, firmware features), the <init>
requirement of exe domains and virDomainDefPostParseCPU."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .util import get, os_type, set_field


def post_parse_init(dom: Any) -> None:
    if os_type(dom) == "exe" and not get(get(dom, "os"), "init"):
        raise PostParseError("init binary must be specified")


def post_parse_os(dom: Any) -> None:
    os_ = get(dom, "os")
    loader = get(os_, "loader")
    if loader is not None:
        path = get(loader, "path")
        if path is None:
            path = get(loader, "value")
        if path and get(loader, "type") is None:
            set_field(loader, "type", "rom")


def post_parse_firmware_features(dom: Any) -> None:
    """enrolled-keys / secure-boot consistency (libvirt 9.0 does this in
    virDomainDefPostParseOs)."""
    fw = get(get(dom, "os"), "firmware_info") or get(get(dom, "os"), "firmware_features")
    feats = get(fw, "features") if fw is not None and not isinstance(fw, list) else fw
    if not feats:
        return
    by_name = {get(f, "name"): f for f in feats}
    ek = by_name.get("enrolled-keys")
    sb = by_name.get("secure-boot")
    if ek is not None and get(ek, "enabled") is True:
        if sb is not None and get(sb, "enabled") is False:
            raise PostParseError("firmware feature 'enrolled-keys' cannot be enabled when firmware "
                                 "feature 'secure-boot' is disabled")


def post_parse_cpu(dom: Any) -> None:
    cpu = get(dom, "cpu")
    if cpu is None:
        return
    mode = get(cpu, "mode") or "custom"
    model = get(cpu, "model")
    if mode == "custom" and model is None and get(cpu, "check") is not None:
        raise PostParseError("check attribute specified for CPU with no model")
