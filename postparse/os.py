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
    """enrolled-keys=yes needs secure-boot not disabled and implies
    secure-boot=yes (virDomainDefPostParseOs)."""
    fw = get(get(dom, "os"), "firmware_info")
    feats = get(fw, "features")
    if not feats:
        return
    by_name = {get(f, "name"): f for f in feats}
    ek = by_name.get("enrolled-keys")
    if ek is None or get(ek, "enabled") is not True:
        return
    sb = by_name.get("secure-boot")
    if sb is not None and get(sb, "enabled") is False:
        raise PostParseError("firmware feature 'enrolled-keys' cannot be enabled when firmware "
                             "feature 'secure-boot' is disabled")
    if sb is None:
        from virtxml.model.os import FIRMWARE_FEATURES, FirmwareFeature

        feats.append(FirmwareFeature(enabled=True, name="secure-boot"))
        feats.sort(key=lambda f: FIRMWARE_FEATURES.index(f.name) if f.name in FIRMWARE_FEATURES else 99)
    else:
        sb.enabled = True


def post_parse_cpu(dom: Any) -> None:
    cpu = get(dom, "cpu")
    if cpu is None:
        return
    mode = get(cpu, "mode") or "custom"
    model = get(cpu, "model")
    if mode == "custom" and model is None and get(cpu, "check") is not None:
        raise PostParseError("check attribute specified for CPU with no model")
