"""``<filesystem>`` (virDomainFSDefParseXML / virDomainFSDefFormat).

Parse-time rules: ``type`` defaults to ``mount``; the ``<source>``
attribute read depends on the type (mount/bind: ``dir`` or ``socket``,
block: ``dev``, file: ``file``, template: ``name``, ram: ``usage`` +
``units``, volume: ``pool`` + ``volume``), the others are ignored;
``<binary>`` and the driver ``queue`` are only read for the virtiofs
driver; the driver ``format``/``wrpolicy``/``queue`` are only written when
the driver type is set; ram ``usage`` is stored in bytes and written in
KiB; ``space_hard_limit``/``space_soft_limit`` are stored and written in
bytes.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from ...binding import (ONOFF, Enum, Int, attribute, custom_format, element, escape, flag, text, xml)
from ...binding.conv import ScaleError, parse_scaled, unit_scale
from ..common import checked_later, empty_is_absent
from .info import ACPI, Address, Alias, Boot, omit_if_empty

FS_TYPES = ("mount", "block", "file", "template", "ram", "bind", "volume")
FS_ACCESSMODES = ("default", "passthrough", "mapped", "squash")
FS_MODELS = ("default", "virtio", "virtio-transitional", "virtio-non-transitional")
FS_MULTIDEVS = ("default", "remap", "forbid", "warn")
FS_DRIVERS = ("default", "path", "handle", "loop", "nbd", "ploop", "virtiofs")
FS_WRPOLICY = ("default", "immediate")
FS_CACHE = ("default", "none", "always")
FS_SANDBOX = ("default", "namespace", "chroot")
FS_FORMATS = ("none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow",
              "qcow2", "qed", "vmdk")


def _has_type(o: Any, f: int) -> bool:
    return o.type is not None


def _octal_conv(name: str) -> Any:
    from ...binding import Custom

    def p(s: str) -> int:
        if re.fullmatch(r"\s*\+?[0-7]+", s) is None:
            raise ValueError(s)
        v = int(s, 8)
        if v > 0o777:
            from ...binding import ConvError

            raise ConvError("invalid %s: '0%o'" % (name, v))
        return v

    return Custom(p, lambda v: "%04o" % v,
                  message="Invalid value for attribute '{attr}' in element '{elem}': '{value}'. "
                          "Expected non-negative integer value", name="octal")


@omit_if_empty
@xml("driver")
class FSDriver:
    type: str | None = attribute("type", Enum(FS_DRIVERS))
    format: str | None = attribute("format", Enum(FS_FORMATS, message="unknown driver format value '{value}'",
                                                  zero="none"), when=_has_type)
    wrpolicy: str | None = attribute("wrpolicy", Enum(FS_WRPOLICY), when=_has_type)
    queue: int | None = attribute("queue", checked_later(Int(bits=64)),
                                  when=lambda o, f: o.type is not None and bool(o.queue))
    iommu: bool | None = attribute("iommu", ONOFF)
    ats: bool | None = attribute("ats", ONOFF)
    packed: bool | None = attribute("packed", ONOFF)
    page_per_vq: bool | None = attribute("page_per_vq", ONOFF)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for k in ("type", "wrpolicy"):
            if kw.get(k) == "default":
                kw[k] = None  # accepted, means "not set"
        # virXPathString + virStrToLong_ull: empty is absent, '-N' wraps
        q = kw.get("queue")
        if isinstance(q, str):
            m = re.fullmatch(r"\s*([+-]?)(\d+)", q)
            if q == "":
                kw["queue"] = None
            elif m is None or int(m.group(2)) >= 1 << 64:
                raise ctx.error(el, f"cannot parse queue size '{q}' for virtiofs")
            else:
                n = int(m.group(2))
                kw["queue"] = (1 << 64) - n if m.group(1) == "-" and n else n


@xml("cache")
class FSCache:
    mode: str | None = attribute("mode", Enum(FS_CACHE))


@xml("sandbox")
class FSSandbox:
    mode: str | None = attribute("mode", Enum(FS_SANDBOX))


@omit_if_empty
@xml("lock")
class FSLock:
    posix: bool | None = attribute("posix", ONOFF)
    flock: bool | None = attribute("flock", ONOFF)


@xml("thread_pool")
class FSThreadPool:
    size: int | None = attribute("size", checked_later(Int(signed=True)))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # virXPathString + virStrToLong_i: empty is absent
        v = kw.get("size")
        if v == "":
            kw["size"] = None
        elif isinstance(v, str):
            raise ctx.error(el, f"cannot parse thread pool size '{v}' for virtiofs")


@omit_if_empty
@xml("binary")
class FSBinary:
    """``<binary path xattr>`` with cache, sandbox, lock, thread_pool (virtiofs)."""

    path: str | None = attribute("path")
    xattr: bool | None = attribute("xattr", ONOFF)
    cache: FSCache | None = element("cache", FSCache,
                                    when=lambda o, f: o.cache is not None and o.cache.mode not in (None, "default"))
    sandbox: FSSandbox | None = element("sandbox", FSSandbox,
                                        when=lambda o, f: o.sandbox is not None
                                        and o.sandbox.mode not in (None, "default"))
    lock: FSLock | None = element("lock", FSLock)
    thread_pool: FSThreadPool | None = element("thread_pool", FSThreadPool,
                                               when=lambda o, f: o.thread_pool is not None
                                               and o.thread_pool.size is not None and o.thread_pool.size >= 0)


_SOURCE_ATTRS = {
    "mount": ("dir", "socket"), "bind": ("dir", "socket"), "block": ("dev",), "file": ("file",),
    "template": ("name",), "ram": ("usage", "units"), "volume": ("pool", "volume", "mode"),
}


@xml("source")
class FSSource:
    dir: str | None = attribute("dir")
    socket: str | None = attribute("socket")
    dev: str | None = attribute("dev")
    file: str | None = attribute("file")
    name: str | None = attribute("name")
    usage: Any = attribute("usage")
    units: str | None = attribute("units")
    pool: str | None = attribute("pool")
    volume: str | None = attribute("volume")
    mode: str | None = attribute("mode")
    #: the filesystem type, which decides what is written (set at parse)
    fstype: str | None = attrs.field(default=None, eq=False)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.extend(_fs_source_lines(self.fstype or "mount", self, ind))


@xml("target")
class FSTarget:
    dir: str | None = attribute("dir")


@xml("space_hard_limit")
class SpaceLimit:
    """``<space_*_limit unit='..'>N</..>``: ``value`` in bytes."""

    unit: str | None = attribute("unit")
    value: Any = text()

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        v = kw.get("value")
        if v is None:
            kw["value"] = None
            return
        try:
            kw["value"] = parse_scaled(v, kw.get("unit"), "./%s[1]" % el.tag, default=1, max_bytes=(1 << 64) - 1)
        except ScaleError as e:
            raise ctx.error(el, e.message) from None
        kw["unit"] = "bytes"

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.value:
            tag = type(self).__xml_tag__
            out.append("%s<%s unit='bytes'>%d</%s>\n" % (ind, tag, self.value, tag))


@xml("space_soft_limit")
class SpaceSoftLimit(SpaceLimit):
    xml_format = SpaceLimit.xml_format


def _nz_mode(name: str) -> Any:
    return lambda o, f: bool(getattr(o, name))


@xml("filesystem")
class Filesystem:
    """``<filesystem>``; field order is virDomainFSDefFormat's."""

    type: str = attribute("type", Enum(FS_TYPES), default="mount")
    accessmode: str | None = attribute("accessmode", empty_is_absent(Enum(FS_ACCESSMODES, zero="default")))
    model: str | None = attribute("model", Enum(FS_MODELS, zero="default"))
    multidevs: str | None = attribute("multidevs", Enum(FS_MULTIDEVS),
                                      when=lambda o, f: o.multidevs not in (None, "default"))
    fmode: int | None = attribute("fmode", _octal_conv("fmode"), when=_nz_mode("fmode"))
    dmode: int | None = attribute("dmode", _octal_conv("dmode"), when=_nz_mode("dmode"))
    driver: FSDriver | None = element("driver", FSDriver)
    binary: FSBinary | None = element("binary", FSBinary)
    source: FSSource | None = element("source", FSSource)
    target: FSTarget | None = element("target", FSTarget)
    readonly: bool = flag("readonly")
    boot: Boot | None = element("boot", Boot)
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)
    space_hard_limit: SpaceLimit | None = element("space_hard_limit", SpaceLimit)
    space_soft_limit: SpaceSoftLimit | None = element("space_soft_limit", SpaceSoftLimit)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.get("type", "mount")
        src: FSSource | None = kw.get("source")
        if src is not None:
            keep = _SOURCE_ATTRS.get(t, ())
            new = FSSource(fstype=t)
            for a in ("dir", "socket", "dev", "file", "name", "usage", "units", "pool", "volume", "mode"):
                v = getattr(src, a)
                if v is None:
                    continue
                if a in keep:
                    setattr(new, a, v)
                else:
                    ctx.ignored.append((el.sourceline, ctx.path(el) + "/source", "@" + a))
            if t == "ram" and new.usage is not None:
                # virStrToLong_ull (a negative number wraps), then
                # virScaleInteger(units, 1024, ULLONG_MAX)
                top = (1 << 64) - 1
                m = re.fullmatch(r"\s*([+-]?)(\d+)", new.usage)
                n = int(m.group(2)) if m is not None else top + 1
                if n > top:
                    raise ctx.error(el, f"cannot parse usage '{new.usage}' for RAM filesystem")
                if m is not None and m.group(1) == "-" and n:
                    n = top + 1 - n
                try:
                    scale = unit_scale(new.units, 1024)
                except ScaleError as e:
                    raise ctx.error(el, str(e)) from None
                if n and n > top // scale:
                    raise ctx.error(el, f"value too large: {n}{new.units or ''}")
                new.usage = n * scale
                new.units = "KiB"
            if t == "volume":
                if (new.pool is None) != (new.volume is None):
                    raise ctx.error(el, "'pool' and 'volume' must be specified together for 'pool' type source")
            kw["source"] = new
        src = kw.get("source")
        tgt = kw.get("target")
        if t == "ram" and (src is None or src.usage is None):
            raise ctx.error(el, "missing 'usage' attribute for RAM filesystem")
        spath = None
        if src is not None:
            spath = src.dir or src.dev or src.file or src.name
        tdir = tgt.dir if tgt is not None else None
        if spath is None and t not in ("ram", "volume") and (src is None or src.socket is None):
            # VIR_ERR_NO_SOURCE
            raise ctx.error(el, "missing source information for device" + (" " + tdir if tdir else ""))
        if tdir is None:
            raise ctx.error(el, "missing target information for device" + (" " + spath if spath else ""))
        drv: FSDriver | None = kw.get("driver")
        virtiofs = drv is not None and drv.type == "virtiofs"
        if not virtiofs:
            if kw.get("binary") is not None:
                kw["binary"] = None
                ctx.ignored.append((el.sourceline, ctx.path(el) + "/binary", "element"))
            if drv is not None and drv.queue is not None:
                ctx.ignored.append((el.sourceline, ctx.path(el) + "/driver", "@queue"))
                kw["driver"] = attrs.evolve(drv, queue=None)
        if kw.get("accessmode") == "default":
            kw["accessmode"] = None
        if kw.get("multidevs") == "default":
            kw["multidevs"] = None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        src = self.source
        if src is not None and src.fstype != self.type:
            self = attrs.evolve(self, source=attrs.evolve(src, fstype=self.type))
        self._xml_format_generated(out, ind, flags)



def _fs_source_lines(t: str, src: FSSource | None, ind: str) -> list[str]:
    if src is None:
        return []
    if t in ("mount", "bind"):
        if src.socket is not None:
            return ["%s<source socket='%s'/>\n" % (ind, escape(src.socket))]
        if src.dir is not None:
            return ["%s<source dir='%s'/>\n" % (ind, escape(src.dir))]
        return []
    if t == "block":
        return ["%s<source dev='%s'/>\n" % (ind, escape(src.dev))] if src.dev is not None else []
    if t == "file":
        return ["%s<source file='%s'/>\n" % (ind, escape(src.file))] if src.file is not None else []
    if t == "template":
        return ["%s<source name='%s'/>\n" % (ind, escape(src.name))] if src.name is not None else []
    if t == "ram":
        return ["%s<source usage='%d' units='KiB'/>\n" % (ind, (src.usage or 0) // 1024)]
    if t == "volume":
        s = ind + "<source"
        if src.pool is not None:
            s += " pool='%s'" % escape(src.pool)
        if src.volume is not None:
            s += " volume='%s'" % escape(src.volume)
        return [s + "/>\n"]
    return []


__all__ = ["Filesystem", "FSDriver", "FSBinary", "FSCache", "FSSandbox", "FSLock", "FSThreadPool", "FSSource",
           "FSTarget", "SpaceLimit", "SpaceSoftLimit", "FS_TYPES"]
