"""virDomainDefPostParseOs (loader type, firmware features), the <init>
requirement of exe domains and virDomainDefPostParseCPU."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .util import os_type, set_field


def post_parse_init(dom: Any) -> None:
    if os_type(dom) == "exe" and not getattr(getattr(dom, "os", None), "init", None):
        raise PostParseError("init binary must be specified")


def post_parse_os(dom: Any) -> None:
    os_ = getattr(dom, "os", None)
    loader = getattr(os_, "loader", None)
    if loader is not None:
        path = getattr(loader, "path", None)
        if path is None:
            path = getattr(loader, "value", None)
        if path and getattr(loader, "type", None) is None:
            set_field(loader, "type", "rom")
    nvram = getattr(os_, "nvram", None)
    if nvram is not None and getattr(nvram, "source", None) is not None:
        # a network nvram's hosts get the protocol's default port too
        from .disks import default_network_ports

        default_network_ports(nvram)


def post_parse_firmware_features(dom: Any) -> None:
    """enrolled-keys=yes needs secure-boot not disabled and implies
    secure-boot=yes (virDomainDefPostParseOs)."""
    fw = getattr(getattr(dom, "os", None), "firmware_info", None)
    feats = getattr(fw, "features", None)
    if not feats:
        return
    by_name = {getattr(f, "name", None): f for f in feats}
    ek = by_name.get("enrolled-keys")
    if ek is None or getattr(ek, "enabled", None) is not True:
        return
    sb = by_name.get("secure-boot")
    if sb is not None and getattr(sb, "enabled", None) is False:
        raise PostParseError("firmware feature 'enrolled-keys' cannot be enabled when firmware "
                             "feature 'secure-boot' is disabled")
    if sb is None:
        from virtxml.model.os import FIRMWARE_FEATURES, FirmwareFeature

        feats.append(FirmwareFeature(enabled=True, name="secure-boot"))
        feats.sort(key=lambda f: FIRMWARE_FEATURES.index(f.name) if f.name in FIRMWARE_FEATURES else 99)
    else:
        sb.enabled = True


def post_parse_cpu(dom: Any) -> None:
    cpu = getattr(dom, "cpu", None)
    if cpu is None:
        return
    mode = getattr(cpu, "mode", None) or "custom"
    model = getattr(cpu, "model", None)
    if model is not None and not isinstance(model, str) and not getattr(model, "name", None):
        model = None  # an empty <model/> is no model (virXPathString)
    if mode == "custom" and model is None and getattr(cpu, "check", None) is not None:
        raise PostParseError("check attribute specified for CPU with no model")
