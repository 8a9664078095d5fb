"""virDomainDefPostParseCheckFeatures and
virDomainDeviceDefPostParseCheckFeatures: what a driver's feature set
allows (behaviour §2.3, "Feature checks")."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .driver import Feature
from .util import device_kind

#: net models libvirt knows as an enum (virDomainNetModel); others are
#: kept as a string only by drivers with NET_MODEL_STRING
NET_MODELS = ("netfront", "rtl8139", "virtio", "e1000", "e1000e", "virtio-transitional",
              "virtio-non-transitional", "usb-net", "spapr-vlan", "lan9118", "scm91c111", "vlance",
              "vmxnet", "vmxnet2", "vmxnet3", "Am79C970A", "Am79C973", "82540EM", "82545EM", "82543GC")


def has_memory_hotplug(dom: Any) -> bool:
    mm = getattr(dom, "max_memory", None)
    return bool(getattr(mm, "value", None) or getattr(mm, "slots", None))


def net_model_string(dev: Any) -> str | None:
    model = getattr(dev, "model", None)
    if model is None:
        return None
    mtype = model if isinstance(model, str) else getattr(model, "type", None)
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
        src = getattr(dev, "source", None)
        if getattr(src, "fdgroup", None) is not None:
            raise PostParseError("driver does not support FD passing for disk '%s'"
                                 % getattr(getattr(dev, "target", None), "dev", None))


def check_domain(dom: Any, ctx: Any) -> None:
    drv = ctx.driver
    if not drv.has(Feature.MEMORY_HOTPLUG) and has_memory_hotplug(dom):
        raise PostParseError("memory hotplug tunables <maxMemory> are not supported by this hypervisor driver")
    if not drv.has(Feature.OFFLINE_VCPUPIN):
        _remove_offline_vcpupin(dom)
    name = getattr(dom, "name", None)
    if not drv.has(Feature.NAME_SLASH) and name and "/" in name:
        raise PostParseError("name %s cannot contain '/'" % name)
    if not drv.has(Feature.INDIVIDUAL_VCPUS) and getattr(dom, "vcpus", None) is not None:
        vc = getattr(dom, "vcpus", None)
        items = vc if isinstance(vc, list) else (getattr(vc, "vcpus", None) or getattr(vc, "vcpu", None) or [vc])
        if items:
            raise PostParseError("individual CPU state configuration is not supported")


def _remove_offline_vcpupin(dom: Any) -> None:
    """Drop <vcpupin> of vcpus that are offline (id >= current)."""
    cputune = getattr(dom, "cputune", None)
    pins = getattr(cputune, "vcpupins", None)
    if pins is None:
        pins = getattr(cputune, "vcpupin", None)
    if not pins:
        return
    vcpu = getattr(dom, "vcpu", None)
    maxv = getattr(vcpu, "value", None) or getattr(vcpu, "count", None)
    cur = getattr(vcpu, "current", None)
    online = _online_ids(dom, maxv, cur)
    if online is None:
        return
    pins[:] = [p for p in pins if getattr(p, "vcpu", None) in online]


def _online_ids(dom: Any, maxv: Any, cur: Any) -> set[int] | None:
    from .vcpus import vcpu_list

    lst = vcpu_list(dom)
    if lst:
        return {getattr(v, "id", None) for v in lst if getattr(v, "enabled", None)}
    if maxv is None:
        return None
    n = cur if cur is not None else maxv
    return set(range(int(n)))
