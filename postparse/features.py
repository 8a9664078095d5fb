"""virDomainDefPostParseCheckFeatures and
virDomainDeviceDefPostParseCheckFeatures: what a driver's feature set
allows (behaviour §2.3, "Feature checks")."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .driver import Feature
from .util import device_kind, get

#: net models libvirt knows as an enum (virDomainNetModel); others are
#: kept as a string only by drivers with NET_MODEL_STRING
NET_MODELS = ("netfront", "rtl8139", "virtio", "e1000", "e1000e", "virtio-transitional",
              "virtio-non-transitional", "usb-net", "spapr-vlan", "lan9118", "scm91c111", "vlance",
              "vmxnet", "vmxnet2", "vmxnet3", "Am79C970A", "Am79C973", "82540EM", "82545EM", "82543GC")


def has_memory_hotplug(dom: Any) -> bool:
    mm = get(dom, "max_memory")
    return bool(get(mm, "value") or get(mm, "slots"))


def net_model_string(dev: Any) -> str | None:
    model = get(dev, "model")
    if model is None:
        return None
    mtype = model if isinstance(model, str) else get(model, "type")
    if mtype is None:
        return None
    if mtype.lower() in (m.lower() for m in NET_MODELS):
        return None
    return mtype


def check_device(dom: Any, dev: Any, ctx: Any) -> None:
    drv = ctx.driver
    kind = device_kind(dev)
    if not drv.has(Feature.MEMORY_HOTPLUG) and kind == "memory":
        raise PostParseError("memory devices are not supported by this driver")
    if not drv.has(Feature.NET_MODEL_STRING) and kind == "interface":
        ms = net_model_string(dev)
        if ms is not None:
            raise PostParseError("driver does not support net model '%s'" % ms)
    if kind == "disk" and not drv.has(Feature.DISK_FD):
        src = get(dev, "source")
        if get(src, "fdgroup"):
            raise PostParseError("driver does not support FD passing for disk '%s'"
                                 % get(get(dev, "target"), "dev"))


def check_domain(dom: Any, ctx: Any) -> None:
    drv = ctx.driver
    if not drv.has(Feature.MEMORY_HOTPLUG) and has_memory_hotplug(dom):
        raise PostParseError("memory hotplug tunables <maxMemory> are not supported by this hypervisor driver")
    if not drv.has(Feature.OFFLINE_VCPUPIN):
        _remove_offline_vcpupin(dom)
    name = get(dom, "name")
    if not drv.has(Feature.NAME_SLASH) and name and "/" in name:
        raise PostParseError("name %s cannot contain '/'" % name)
    if not drv.has(Feature.INDIVIDUAL_VCPUS) and get(dom, "vcpus") is not None:
        vc = get(dom, "vcpus")
        items = vc if isinstance(vc, list) else (get(vc, "vcpus") or get(vc, "vcpu") or [vc])
        if items:
            raise PostParseError("individual CPU state configuration is not supported")


def _remove_offline_vcpupin(dom: Any) -> None:
    """Drop <vcpupin> of vcpus that are offline (id >= current)."""
    cputune = get(dom, "cputune")
    pins = get(cputune, "vcpupins")
    if pins is None:
        pins = get(cputune, "vcpupin")
    if not pins:
        return
    vcpu = get(dom, "vcpu")
    maxv = get(vcpu, "value") or get(vcpu, "count")
    cur = get(vcpu, "current")
    online = _online_ids(dom, maxv, cur)
    if online is None:
        return
    pins[:] = [p for p in pins if get(p, "vcpu") in online]


def _online_ids(dom: Any, maxv: Any, cur: Any) -> set[int] | None:
    from .vcpus import vcpu_list

    lst = vcpu_list(dom)
    if lst:
        return {get(v, "id") for v in lst if get(v, "enabled")}
    if maxv is None:
        return None
    n = cur if cur is not None else maxv
    return set(range(int(n)))
