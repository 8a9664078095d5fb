"""``<os>`` (boot configuration) and ``<idmap>``."""

from __future__ import annotations

from typing import Any

from ..binding import (INT, UINT, YESNO, Custom, Enum, attribute, custom_format, element, elements, text,
                       text_element, text_elements, xml)
from ..binding.conv import STR, ConvError, escape
from .common import HOOKED, empty_is_absent, int_conv, legacy_enum
from .devices.info import omit_if_empty

OS_TYPES = ("hvm", "xen", "linux", "exe", "uml", "xenpvh")
ARCHES = ("none", "alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris", "i686", "ia64", "lm32",
          "loongarch64", "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mips64", "mips64el",
          "openrisc", "parisc", "parisc64", "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb", "riscv32",
          "riscv64", "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32", "x86_64",
          "xtensa", "xtensaeb")
BOOT_DEVS = ("fd", "cdrom", "hd", "network")
FIRMWARES = ("bios", "efi")
FIRMWARE_FEATURES = ("enrolled-keys", "secure-boot")
LOADER_TYPES = ("rom", "pflash")
SMBIOS_MODES = ("emulate", "host", "sysinfo")


@xml("type")
class OSType:
    """``<type arch= machine=>hvm</type>``."""

    # virXPathString: an empty arch or machine is no attribute
    arch: str | None = attribute("arch", empty_is_absent(legacy_enum(ARCHES[1:], "Unknown architecture {value}")))
    machine: str | None = attribute("machine", empty_is_absent(STR))
    type: str | None = text(legacy_enum(OS_TYPES, "unknown OS type '{value}'"))


@xml("feature")
class FirmwareFeature:
    enabled: bool | None = attribute("enabled", YESNO)
    name: str | None = attribute("name", Enum(FIRMWARE_FEATURES))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("name") is None:
            raise ctx.error(el, "Missing required attribute 'name' in element 'feature'")
        if kw.get("enabled") is None:
            raise ctx.error(el, "Missing required attribute 'enabled' in element 'feature'")


@xml("firmware")
class Firmware:
    """``<firmware>``: one entry per feature name, in libvirt's enum order."""

    features: list[FirmwareFeature] = elements("feature", FirmwareFeature)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        byname: dict[str, FirmwareFeature] = {}
        for f in kw.get("features") or []:
            byname[f.name] = f  # type: ignore[index]
        kw["features"] = [byname[n] for n in FIRMWARE_FEATURES if n in byname]

    def get(self, name: str) -> bool | None:
        for f in self.features:
            if f.name == name:
                return f.enabled
        return None


#: libvirt writes <initenv>, <inituser> and <initgroup> without escaping
_UNESCAPED = Custom(lambda s: s, lambda v: v, name="string")


@xml("initenv")
class InitEnv:
    name: str | None = attribute("name", _UNESCAPED)
    value: str | None = text(_UNESCAPED)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        name = kw.get("name")
        if name is None:
            raise ctx.error(el, "No name supplied for <initenv> element")
        if el.text is None:
            raise ctx.error(el, f"No value supplied for <initenv name='{name}'> element")


@omit_if_empty
@xml("loader")
class Loader:
    readonly: bool | None = attribute("readonly", YESNO)
    secure: bool | None = attribute("secure", YESNO)
    type: str | None = attribute("type", Enum(LOADER_TYPES))
    stateless: bool | None = attribute("stateless", YESNO)
    path: str | None = text()


# --- nvram: a storage source (new style) or a plain path -----------------

def _storage_source() -> Any:
    """The disk's typed <source> (picked by <nvram type=...>)."""
    from .devices.disk import StorageSource

    return StorageSource


#: virStorageType (libvirt 9.0) without its "none"
NVRAM_TYPES = ("file", "block", "dir", "network", "volume", "nvme", "vhostuser")


@xml("nvram")
class Nvram:
    template: str | None = attribute("template")
    type: str | None = attribute("type", Enum(NVRAM_TYPES))
    source: Any = element("source", _storage_source)
    path: str | None = text()

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("type") is not None:
            kw.pop("path", None)
            if kw.get("source") is None:
                # libvirt 9.0 fails here without a message (oracle-checked)
                raise ctx.error(el, "An error occurred, but the cause is unknown")
        else:
            kw.pop("source", None)
            path = kw.get("path")
            if path is not None and not path.strip():
                # only white space (e.g. around child elements): no nvram path
                kw["path"] = None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.template is None and not (self.type is not None and self.source is not None) \
                and not self.path:
            return  # virXMLFormatElement: nothing to write
        s = ind + "<nvram"
        if self.template is not None:
            s += f" template='{escape(self.template)}'"
        if self.type is not None and self.source is not None:
            s += f" type='{self.type}'"
            ch: list[str] = []
            self.source.xml_format(ch, ind + "  ", flags)
            if not ch:
                out.append(s + "/>\n")
                return
            out.append(s + ">\n")
            out.extend(ch)
            out.append(ind + "</nvram>\n")
            return
        if self.path:
            out.append(f"{s}>{escape(self.path)}</nvram>\n")
        else:
            out.append(s + "/>\n")


@xml("boot")
class Boot:
    dev: str | None = attribute("dev", Enum(BOOT_DEVS))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("dev") is None:
            raise ctx.error(el, "Missing required attribute 'dev' in element 'boot'")


@xml("bootmenu")
class BootMenu:
    enable: bool | None = attribute("enable", YESNO)
    timeout: int | None = attribute("timeout", HOOKED)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # the timeout is read only when the menu is enabled
        t = kw.pop("timeout", None)
        if t is not None and kw.get("enable") is True:
            try:
                kw["timeout"] = UINT.parse(t)
            except ConvError:
                raise ctx.error(el, f"Invalid value for attribute 'timeout' in element 'bootmenu': '{t}'. "
                                    "Expected non-negative integer value") from None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.enable is None:
            return
        self._xml_format_generated(out, ind, flags)


@xml("bios")
class Bios:
    #: an unknown useserial value is taken as 'no' (libvirt ignores the error)
    useserial: bool | None = attribute("useserial", Custom(lambda s: s == "yes", lambda v: "yes" if v else "no"))
    #: the [-1, 65535] range is checked by validation
    reboot_timeout: int | None = attribute("rebootTimeout", INT)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<bios"
        if self.useserial is not None:
            s += f" useserial='{'yes' if self.useserial else 'no'}'"
        if self.reboot_timeout is not None:
            s += f" rebootTimeout='{self.reboot_timeout}'"
        if s != ind + "<bios":
            out.append(s + "/>\n")


@xml("smbios")
class Smbios:
    #: 'none' is libvirt's 0: accepted, not written.  (libvirt reads the
    #: mode after the devices and <sysinfo>; checked here, at binding)
    mode: str | None = attribute("mode", empty_is_absent(STR))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        m = kw.get("mode")
        if m == "none":
            kw["mode"] = None
        elif m is not None and m not in SMBIOS_MODES:
            raise ctx.error(el, f"unknown smbios mode '{m}'")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.mode is not None:  # no mode: libvirt's SMBIOS_NONE, not written
            self._xml_format_generated(out, ind, flags)


@xml("table")
class AcpiTable:
    type: str | None = attribute("type")
    path: str | None = text()

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "Missing acpi table type")
        if t != "slic":
            raise ctx.error(el, f"Unknown acpi table type: {t}")
        if kw.get("path") is None:
            kw["path"] = ""  # the content of an empty element: written <table ...></table>

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.append("%s<table type='%s'>%s</table>\n" % (ind, escape(self.type or ""), escape(self.path or "")))


@omit_if_empty
@xml("acpi")
class OSAcpi:
    tables: list[AcpiTable] = elements("table", AcpiTable)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if len(kw.get("tables") or []) > 1:
            raise ctx.error(el, "Only one acpi table is supported")


@xml("os")
class OS:
    firmware: str | None = attribute("firmware", legacy_enum(FIRMWARES, "unknown firmware value {value}"))
    type: OSType | None = element("type", OSType)
    firmware_info: Firmware | None = element("firmware", Firmware)
    init: str | None = text_element("init")
    initargs: list[str] = text_elements("initarg")
    initenvs: list[InitEnv] = elements("initenv", InitEnv)
    initdir: str | None = text_element("initdir")
    inituser: str | None = text_element("inituser", _UNESCAPED)
    initgroup: str | None = text_element("initgroup", _UNESCAPED)
    loader: Loader | None = element("loader", Loader)
    nvram: Nvram | None = element("nvram", Nvram)
    kernel: str | None = text_element("kernel")
    initrd: str | None = text_element("initrd")
    cmdline: str | None = text_element("cmdline")
    dtb: str | None = text_element("dtb")
    root: str | None = text_element("root")
    acpi: OSAcpi | None = element("acpi", OSAcpi)
    boot: list[Boot] = elements("boot", Boot)
    bootmenu: BootMenu | None = element("bootmenu", BootMenu)
    bios: Bios | None = element("bios", Bios)
    smbios: Smbios | None = element("smbios", Smbios)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for ch in el.findall("initarg"):
            if ch.text is None:
                raise ctx.error(ch, "No data supplied for <initarg> element")
        boots = kw.get("boot")
        if boots and len(boots) > 4:
            kw["boot"] = boots[:4]
        fw = kw.get("firmware_info")
        if fw is not None and (not fw.features or kw.get("firmware") is None):
            # firmware features are only read with firmware autoselection
            kw["firmware_info"] = None

    def prune(self, ostype: str | None) -> None:
        """virDomainDefParseBootOptions reads only the boot options of the
        OS type: hvm (kernel, firmware, loader/nvram, acpi, boot...), xen /
        xenpvh / uml (kernel, loader/nvram), exe (init...); the others are
        ignored."""
        for f in _DROP_OPTIONS.get(ostype or "", _ALL_OPTIONS):
            cur = getattr(self, f)
            if isinstance(cur, list):
                if cur:
                    setattr(self, f, [])
            elif cur is not None:
                setattr(self, f, None)


_KERNEL = ("kernel", "initrd", "cmdline", "dtb", "root")
_OS_OPTIONS: dict[str, tuple[str, ...]] = {
    "hvm": _KERNEL + ("firmware", "firmware_info", "loader", "nvram", "acpi", "boot", "bootmenu", "bios"),
    "xen": _KERNEL + ("loader", "nvram"),
    "xenpvh": _KERNEL + ("loader", "nvram"),
    "uml": _KERNEL + ("loader", "nvram"),
    "exe": ("init", "cmdline", "initdir", "inituser", "initgroup", "initargs", "initenvs"),
}
_ALL_OPTIONS = ("firmware", "firmware_info", "init", "initargs", "initenvs", "initdir", "inituser", "initgroup",
                "loader", "nvram", "kernel", "initrd", "cmdline", "dtb", "root", "acpi", "boot", "bootmenu", "bios")
#: OS type -> the options prune() clears (all of them for another type)
_DROP_OPTIONS = {t: tuple(f for f in _ALL_OPTIONS if f not in keep) for t, keep in _OS_OPTIONS.items()}


_IDMAP_UINT = int_conv("invalid idmap start/target/count settings")


@xml("uid")
class IdmapEntry:
    start: int | None = attribute("start", _IDMAP_UINT)
    target: int | None = attribute("target", _IDMAP_UINT)
    count: int | None = attribute("count", _IDMAP_UINT)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for a in ("start", "target", "count"):
            if kw.get(a) is None:
                raise ctx.error(el, "invalid idmap start/target/count settings")


@xml("gid")
class IdmapGid(IdmapEntry):
    pass


@xml("idmap")
class Idmap:
    uids: list[IdmapEntry] = elements("uid", IdmapEntry)
    gids: list[IdmapGid] = elements("gid", IdmapGid)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # sorted by start here; "uid and gid should be mapped both" and
        # "You must map the root user of container" are validation errors
        # (after the devices': oracle-checked), see postparse.validation
        uids = sorted(kw.get("uids") or [], key=lambda e: e.start)
        gids = sorted(kw.get("gids") or [], key=lambda e: e.start)
        kw["uids"], kw["gids"] = uids, gids

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.uids:
            return
        self._xml_format_generated(out, ind, flags)


_ = int_conv
