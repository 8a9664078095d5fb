"""virDomainDeviceDefPostParseCommon: the generic per-device defaults
(behaviour §2.3, "Generic per-device")."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from . import chr as chrmod
from .disks import disk_post_parse
from .hostdevs import hostdev_post_parse
from .util import arch_is_ppc64, device_kind, get, os_arch, set_field
from .video import video_post_parse

VIRTIO_SCSI_MODELS = ("virtio-scsi", "virtio-transitional", "virtio-non-transitional")


def rng_post_parse(rng: Any) -> None:
    backend = getattr(rng, "backend", None)
    if getattr(backend, "model", None) == "random":
        if has_text_field(backend) and get(backend, _text_field(backend)) is None:
            setattr(backend, _text_field(backend), "/dev/random")


def _text_field(obj: Any) -> str:
    for name in ("file", "path", "source", "value", "text"):
        if hasattr(obj, name):
            return name
    return "file"


def has_text_field(obj: Any) -> bool:
    return obj is not None and any(hasattr(obj, n) for n in ("file", "path", "source", "value", "text"))


def controller_post_parse(cont: Any) -> None:
    drv = getattr(cont, "driver", None)
    if getattr(drv, "iothread", None) and getattr(cont, "model", None) not in VIRTIO_SCSI_MODELS:
        raise PostParseError("'iothread' attribute only supported for virtio scsi controllers")


def vsock_post_parse(vsock: Any) -> None:
    cid = getattr(vsock, "cid", None)
    if cid is None:
        from .implicit import field_class

        ccls = field_class(type(vsock), "cid")
        if ccls is None:
            return
        cid = ccls()
        vsock.cid = cid
    if getattr(cid, "auto", None) is None:
        set_field(cid, "auto", False if getattr(cid, "address", None) else True)


def memory_post_parse(dom: Any, mem: Any) -> None:
    model = getattr(mem, "model", None)
    if model == "virtio-pmem":
        if getattr(mem, "access", None) in (None, "default"):
            set_field(mem, "access", "shared")
    elif model == "nvdimm" and arch_is_ppc64(os_arch(dom)):
        if getattr(mem, "uuid", None) is None:
            import uuid

            set_field(mem, "uuid", str(uuid.uuid4()))


def fs_post_parse(fs: Any) -> None:
    if getattr(fs, "accessmode", None) is None and not _fs_has_socket(fs):
        set_field(fs, "accessmode", "passthrough")


def _fs_has_socket(fs: Any) -> bool:
    src = getattr(fs, "source", None)
    return bool(getattr(src, "socket", None))


def post_parse_device(dom: Any, dev: Any, ctx: Any) -> None:
    kind = device_kind(dev)
    if kind in chrmod.CHR_LISTS:
        chrmod.chr_post_parse(dom, dev)
    elif kind == "rng":
        rng_post_parse(dev)
    elif kind == "disk":
        disk_post_parse(dom, dev, ctx)
    elif kind == "video":
        video_post_parse(dom, dev)
    elif kind == "hostdev":
        hostdev_post_parse(dom, dev, ctx)
    elif kind == "controller":
        controller_post_parse(dev)
    elif kind == "vsock":
        vsock_post_parse(dev)
    elif kind == "memory":
        memory_post_parse(dom, dev)
    elif kind == "filesystem":
        fs_post_parse(dev)
