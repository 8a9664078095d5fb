"""``<input>`` (virDomainInputDefParseXML / virDomainInputDefFormat)."""

from __future__ import annotations

from typing import Any

from ...binding import ONOFF, attribute, custom_format, element, escape, xml
from ...flags import FormatFlags
from .chardev import invalid_attr, sanitize_path
from .info import ACPI, Address, Alias, Master
from .video import VirtioDriver

INPUT_TYPES = ("mouse", "tablet", "keyboard", "passthrough", "evdev")
INPUT_BUSES = ("ps2", "usb", "xen", "parallels", "virtio", "none")
INPUT_MODELS = ("virtio", "virtio-transitional", "virtio-non-transitional")
GRAB = ("all",)
GRAB_TOGGLE = ("ctrl-ctrl", "alt-alt", "shift-shift", "meta-meta", "scrolllock", "ctrl-scrolllock")


@xml("source")
class InputSource:
    evdev: str | None = attribute("evdev")
    dev: str | None = attribute("dev")
    grab: str | None = attribute("grab")
    grab_toggle: str | None = attribute("grabToggle")
    repeat: bool | None = attribute("repeat", ONOFF)


@xml("input")
class Input:
    type: str | None = attribute("type")
    bus: str | None = attribute("bus")
    model: str | None = attribute("model")
    driver: VirtioDriver | None = element("driver", VirtioDriver)
    source: InputSource | None = element("source", InputSource)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "missing input device type")
        if t not in INPUT_TYPES:
            raise ctx.error(el, f"unknown input device type '{t}'")
        m = kw.get("model")
        if m is not None and m not in INPUT_MODELS:
            raise ctx.error(el, f"unknown input model '{m}'")
        b = kw.get("bus")
        if b is not None and b not in INPUT_BUSES:
            raise ctx.error(el, f"unknown input bus type '{b}'")
        addr = kw.get("address")
        if b == "usb" and addr is not None and addr.type != "usb":
            raise ctx.error(el, "Invalid address for a USB device")
        src = kw.get("source")
        if src is not None:
            sel = next(ch for ch in el if ch.tag == "source")
            path = src.evdev if t == "passthrough" else src.dev if t == "evdev" else None
            new = InputSource()
            if path is not None:
                path = sanitize_path(path)
            if t == "passthrough":
                new.evdev = path
            elif t == "evdev":
                new.dev = path
            if t in ("passthrough", "evdev") and path is None:
                raise ctx.error(sel, "Missing evdev path for input device")
            if t == "evdev":
                if src.grab is not None and src.grab not in GRAB:
                    raise invalid_attr(ctx, sel, "grab", src.grab)
                if src.grab_toggle is not None and src.grab_toggle not in GRAB_TOGGLE:
                    raise invalid_attr(ctx, sel, "grabToggle", src.grab_toggle)
                new.grab, new.grab_toggle, new.repeat = src.grab, src.grab_toggle, src.repeat
            kw["source"] = new

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if (flags & FormatFlags.MIGRATABLE and self.type == "keyboard" and self.bus in ("ps2", "xen")):
            return
        s = ind + "<input type='%s'" % escape(self.type or "")
        if self.bus is not None and self.bus != "none":
            s += " bus='%s'" % self.bus
        if self.model is not None:
            s += " model='%s'" % self.model
        ci = ind + "  "
        child: list[str] = []
        if self.driver is not None:
            self.driver.xml_format(child, ci, flags)
        src = self.source
        if src is not None:
            a = ""
            if self.type == "evdev":
                if src.dev is not None:
                    a += " dev='%s'" % escape(src.dev)
            elif src.evdev is not None:
                a += " evdev='%s'" % escape(src.evdev)
            if src.grab is not None:
                a += " grab='%s'" % src.grab
            if src.grab_toggle is not None:
                a += " grabToggle='%s'" % src.grab_toggle
            if src.repeat is not None:
                a += " repeat='%s'" % ("on" if src.repeat else "off")
            if a:
                child.append(ci + "<source" + a + "/>\n")
        for f in (self.alias, self.master, self.acpi, self.address):
            if f is not None:
                f.xml_format(child, ci, flags)
        if child:
            out.append(s + ">\n")
            out.extend(child)
            out.append(ind + "</input>\n")
        else:
            out.append(s + "/>\n")


__all__ = ["Input", "InputSource", "INPUT_TYPES", "INPUT_BUSES"]
