"""``<video>`` (virDomainVideoDefParseXML / virDomainVideoDefFormat) and the
virtio ``<driver>`` options shared by several devices
(virDomainVirtioOptionsParseXML / ...Format)."""

from __future__ import annotations

from typing import Any

from ...binding import ONOFF, UINT, YESNO, Custom, Enum, Int, attribute, custom_format, element, xml
from ..common import empty_is_absent
from .chardev import invalid_attr, missing_attr, sanitize_path
from .info import ACPI, Address, Alias, Master

VIDEO_TYPES = ("default", "vga", "cirrus", "vmvga", "xen", "vbox", "qxl", "parallels", "virtio", "gop",
               "none", "bochs", "ramfb")
VIDEO_BACKENDS = ("qemu", "vhostuser")
VGACONF = ("io", "on", "off")


def virtio_options_attrs(d: Any) -> str:
    s = ""
    for name, v in (("iommu", d.iommu), ("ats", d.ats), ("packed", d.packed), ("page_per_vq", d.page_per_vq)):
        if v is not None:
            s += " %s='%s'" % (name, "on" if v else "off")
    return s


@xml("driver")
class VirtioDriver:
    """``<driver>`` carrying only the virtio options; not written when empty."""

    iommu: bool | None = attribute("iommu", ONOFF)
    ats: bool | None = attribute("ats", ONOFF)
    packed: bool | None = attribute("packed", ONOFF)
    page_per_vq: bool | None = attribute("page_per_vq", ONOFF)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        a = virtio_options_attrs(self)
        if a:
            out.append(ind + "<driver" + a + "/>\n")


@xml("driver")
class VideoDriver(VirtioDriver):
    vgaconf: str | None = attribute("vgaconf")
    name: str | None = attribute("name")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        v = kw.get("vgaconf")
        if v is not None and (v not in VGACONF or v == "io"):
            # virDomainVideoDriverDefParseXML fails, and its caller ignores
            # the failure: the value is lost without an error
            kw["vgaconf"] = None
        n = kw.get("name")
        if n is not None and n not in VIDEO_BACKENDS:
            raise invalid_attr(ctx, el, "name", n)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        a = virtio_options_attrs(self)
        if self.vgaconf is not None:
            a += " vgaconf='%s'" % self.vgaconf
        if self.name is not None:
            a += " name='%s'" % self.name
        if a:
            out.append(ind + "<driver" + a + "/>\n")


@xml("acceleration")
class VideoAcceleration:
    accel3d: bool | None = attribute("accel3d", YESNO)
    accel2d: bool | None = attribute("accel2d", YESNO)
    rendernode: str | None = attribute("rendernode")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("accel3d") is None and kw.get("accel2d") is None and kw.get("rendernode") is None:
            raise ctx.error(el, "missing values for acceleration")
        if kw.get("rendernode") is not None:
            kw["rendernode"] = sanitize_path(kw["rendernode"])


@xml("resolution")
class VideoResolution:
    x: int | None = attribute("x", UINT)
    y: int | None = attribute("y", UINT)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for a in ("x", "y"):
            if el.get(a) is None:
                raise missing_attr(ctx, el, a)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<resolution"
        if self.x and self.y:
            s += " x='%u' y='%u'" % (self.x, self.y)
        out.append(s + "/>\n")


_VIDEO_UINT = empty_is_absent(Int(message="cannot parse video {attr} '{value}'"))
_LAX_YES = Custom(lambda s: s == "yes", lambda v: "yes" if v else "no", name="lax-yes")


@xml("model")
class VideoModel:
    type: str | None = attribute("type", empty_is_absent(Enum(VIDEO_TYPES, message="unknown video model '{value}'")))
    ram: int | None = attribute("ram", _VIDEO_UINT, when=lambda o, f: bool(o.ram))
    vram: int | None = attribute("vram", _VIDEO_UINT, when=lambda o, f: bool(o.vram))
    vram64: int | None = attribute("vram64", _VIDEO_UINT, when=lambda o, f: bool(o.vram64))
    vgamem: int | None = attribute("vgamem", _VIDEO_UINT, when=lambda o, f: bool(o.vgamem))
    heads: int | None = attribute("heads", _VIDEO_UINT, default=1, when=lambda o, f: bool(o.heads))
    primary: bool | None = attribute("primary", _LAX_YES, when=lambda o, f: bool(o.primary))
    acceleration: VideoAcceleration | None = element("acceleration", VideoAcceleration)
    resolution: VideoResolution | None = element("resolution", VideoResolution)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("type") is None:
            kw["type"] = "default"
        if "heads" in kw and kw["heads"] is None:
            del kw["heads"]  # empty: the default, as when absent
        # an invalid primary= is reported but not fatal in libvirt: ignored
        kw["primary"] = True if el.get("primary") == "yes" else None


@xml("video")
class Video:
    driver: VideoDriver | None = element("driver", VideoDriver)
    model: VideoModel | None = element("model", VideoModel)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("model") is None:
            kw["model"] = VideoModel(type="default", heads=1)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.append(ind + "<video>\n")
        ci = ind + "  "
        if self.driver is not None:
            self.driver.xml_format(out, ci, flags)
        (self.model or VideoModel(type="default", heads=1)).xml_format(out, ci, flags)
        for f in (self.alias, self.master, self.acpi, self.address):
            if f is not None:
                f.xml_format(out, ci, flags)
        out.append(ind + "</video>\n")


__all__ = ["Video", "VideoModel", "VideoDriver", "VideoAcceleration", "VideoResolution", "VirtioDriver",
           "virtio_options_attrs", "VIDEO_TYPES"]
