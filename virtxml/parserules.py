"""libvirt's parse-time rules and defaults (behaviour §2.1, §11) that need
the whole document or the driver's parser config.

:func:`apply` runs right after binding (``virtxml.api.bind``), before
post-parse.  ``ctx.data["parser_config"]`` is the driver (``def_arch``,
``mac_prefix``, ``net_prefix``, ``features``); ``ctx.data["host_arch"]``,
when set, replaces the real host's arch (libvirt's test harness fakes an
x86_64 host).  Every error is a :class:`~virtxml.errors.ParseError` with
libvirt's text.
"""

from __future__ import annotations

import platform
import random
import re
import threading
import uuid as _uuid
from typing import Any

from .errors import ParseError
from .flags import ParseFlags
from .model.devices.controller import USB_COMPANION_STARTPORT

#: virArch names (virarch.c)
ARCHES = ("alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris", "i686", "ia64", "lm32", "m68k",
          "microblaze", "microblazeel", "mips", "mipsel", "mips64", "mips64el", "openrisc", "parisc",
          "parisc64", "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb", "riscv32", "riscv64", "s390",
          "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32", "x86_64", "xtensa", "xtensaeb")
OS_TYPES = ("hvm", "xen", "linux", "exe", "uml", "xenpvh")
LIFECYCLE_ACTIONS = ("destroy", "restart", "rename-restart", "preserve", "coredump-destroy",
                     "coredump-restart")
LIFECYCLE_DEFAULTS = (("on_poweroff", "destroy"), ("on_reboot", "restart"), ("on_crash", "destroy"))
LOCKFAILURE_ACTIONS = ("default", "poweroff", "restart", "pause", "ignore")
USB2_MODELS = ("ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3")

_UUID_HEX = re.compile(r"[0-9a-fA-F]")
#: the canonical 8-4-4-4-12 form (the common case, answered without the loop)
_UUID_CANON = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z").match


# -------------------------------------------- children of <domain>, indexed
# ElementPath's find() costs about as much as a walk over all the children;
# apply() indexes the root's children once and the rules look them up.
_local = threading.local()


def _index(root: Any) -> dict[str, list[Any]]:
    idx: dict[str, list[Any]] = {}
    for ch in root:
        t = ch.tag
        if t.__class__ is str:
            lst = idx.get(t)
            if lst is None:
                idx[t] = [ch]
            else:
                lst.append(ch)
    idx["devices/controller"] = [c for d in idx.get("devices", ()) for c in d if c.tag == "controller"]
    return idx


def _kids(root: Any) -> dict[str, list[Any]] | None:
    cur = getattr(_local, "cur", None)
    if cur is not None and cur[0] is root:
        return cur[1]  # type: ignore[no-any-return]
    return None


def _find(root: Any, path: str) -> Any:
    """``root.find(path)`` for a child tag."""
    idx = _kids(root)
    if idx is None:
        return root.find(path)
    lst = idx.get(path)
    return lst[0] if lst else None


def _findall(root: Any, path: str) -> list[Any]:
    """``root.findall(path)`` for a child tag or ``devices/controller``."""
    idx = _kids(root)
    if idx is None:
        return root.findall(path)  # type: ignore[no-any-return]
    return list(idx.get(path, ()))


# ------------------------------------------------------------------ helpers

def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    return getattr(obj, name, default)


_FIELD_NAMES: dict[type, frozenset[str] | None] = {}


def _has(obj: Any, name: str) -> bool:
    if obj is None:
        return False
    cls = type(obj)
    names = _FIELD_NAMES.get(cls, _FIELD_NAMES)
    if names is _FIELD_NAMES:
        import attrs

        try:
            names = frozenset(f.name for f in attrs.fields(cls))
        except Exception:  # noqa: BLE001
            names = None
        _FIELD_NAMES[cls] = names
    if names is None:
        return hasattr(obj, name)
    return name in names  # type: ignore[operator]


def _set(obj: Any, name: str, value: Any) -> bool:
    if _has(obj, name):
        setattr(obj, name, value)
        return True
    return False


def _err(ctx: Any, el: Any, message: str) -> ParseError:
    if el is not None and hasattr(ctx, "error"):
        return ctx.error(el, message)
    return ParseError(message, file=getattr(ctx, "file", None))


def _devlist(dom: Any, name: str) -> list[Any]:
    val = _get(_get(dom, "devices"), name)
    if val is None:
        return []
    return val if isinstance(val, list) else [val]


def map_host_arch(machine: str) -> str:
    """virArchFromHost: uname machine -> libvirt arch name."""
    m = machine.lower()
    if re.fullmatch(r"i[3-6]86", m):
        return "i686"
    if m in ("amd64", "x86_64"):
        return "x86_64"
    if m in ("arm64", "aarch64"):
        return "aarch64"
    if m.startswith("armv7"):
        return "armv7l"
    if m.startswith("armv6"):
        return "armv6l"
    return m


def host_arch(ctx: Any) -> str:
    data = getattr(ctx, "data", None) or {}
    if data.get("host_arch"):
        return str(data["host_arch"])
    drv = data.get("parser_config")
    if getattr(drv, "host_arch", None):
        return str(drv.host_arch)
    return map_host_arch(platform.machine() or "x86_64")


def parse_uuid(text: str) -> str | None:
    """virUUIDParse: 32 hex digits; '-' and ' ' allowed anywhere between
    digit pairs, blanks around; returns the canonical form or None."""
    if _UUID_CANON(text) is not None:
        return text.lower()
    ws = " \t\n\v\f\r"
    s = text.lstrip(ws)
    hexes: list[str] = []
    i = 0
    while len(hexes) < 32:
        if i >= len(s):
            return None
        c = s[i]
        if c in "- " and len(hexes) % 2 == 0:
            i += 1
            continue
        if not _UUID_HEX.match(c):
            return None
        hexes.append(c.lower())
        i += 1
    if s[i:].strip(ws):
        return None
    h = "".join(hexes)
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def generate_mac(prefix: str) -> str:
    """virMacAddrGenerate: the driver prefix + 3 random bytes."""
    rest = [random.randint(0, 255) for _ in range(3)]
    return prefix.lower() + ":" + ":".join("%02x" % b for b in rest)


# -------------------------------------------------------------------- rules

def _rule_id(dom: Any, ctx: Any) -> None:
    if ctx.flags & ParseFlags.INACTIVE:
        dom.id = None


def _rule_name(dom: Any, root: Any, ctx: Any) -> None:
    if not dom.name:
        raise _err(ctx, root, "missing name information")


def _rule_uuid(dom: Any, root: Any, ctx: Any) -> None:
    _rule_uuid_genid(dom, root, ctx)
    _rule_sysinfo_uuid(dom, root, ctx)


def _rule_uuid_genid(dom: Any, root: Any, ctx: Any) -> None:
    if dom.uuid is None:
        dom.uuid = str(_uuid.uuid4())
        dom.uuid_generated = True
    else:
        canon = parse_uuid(dom.uuid)
        if canon is None:
            raise _err(ctx, _find(root, "uuid"), "malformed uuid element")
        dom.uuid = canon
    genids = _findall(root, "genid")
    if len(genids) > 1:
        raise _err(ctx, genids[1], "element 'genid' can only appear once")
    if genids:
        text = genids[0].text
        if text is None or not text.strip():
            dom.genid = str(_uuid.uuid4())
            dom.genid_generated = True
        else:
            canon = parse_uuid(text)
            if canon is None:
                raise _err(ctx, genids[0], "malformed genid element")
            dom.genid = canon


def _rule_sysinfo_uuid(dom: Any, root: Any, ctx: Any) -> None:
    for si in _findall(root, "sysinfo"):
        if si.get("type") != "smbios":
            continue
        for entry in si.findall("system/entry"):
            if entry.get("name") != "uuid":
                continue
            canon = parse_uuid(entry.text or "")
            if canon is None:
                raise _err(ctx, entry, "malformed <sysinfo> uuid element")
            if dom.uuid_generated:
                dom.uuid = canon
                dom.uuid_generated = False
            elif canon != dom.uuid:
                raise _err(ctx, entry, "UUID mismatch between <uuid> and <sysinfo>")


def _os_type_obj(dom: Any) -> Any:
    os_ = _get(dom, "os")
    t = _get(os_, "type")
    return t


def _os_type_value(t: Any) -> str | None:
    if t is None or isinstance(t, str):
        return t
    for name in ("type", "value", "text", "name"):
        if _has(t, name):
            return _get(t, name)
    return None


def _set_os_type_value(dom: Any, value: str) -> None:
    os_ = _get(dom, "os")
    if os_ is None:
        os_cls = _field_class(type(dom), "os")
        if os_cls is None:
            return
        os_ = os_cls()
        dom.os = os_
    t = _get(os_, "type")
    if t is None:
        tcls = _field_class(type(os_), "type")
        if tcls is None:
            _set(os_, "type", value)
            return
        t = tcls()
        os_.type = t
    if isinstance(t, str):
        os_.type = value
        return
    for name in ("type", "value", "text", "name"):
        if _set(t, name, value):
            return


def _field_class(cls: Any, name: str) -> Any:
    import attrs

    try:
        fields = attrs.fields(cls)
    except Exception:  # noqa: BLE001
        return None
    for f in fields:
        if f.name == name:
            spec = f.metadata.get("virtxml")
            c = getattr(spec, "cls", None)
            if c is not None and not isinstance(c, type):
                c = c()
            return c
    return None


def _rule_caps(dom: Any, root: Any, ctx: Any) -> None:
    """virDomainDefParseCaps: domain type, os type, arch."""
    if root.get("type") is None:
        raise _err(ctx, root, "missing domain type attribute")
    os_el = _find(root, "os")
    type_el = os_el.find("type") if os_el is not None else None
    ostype = (type_el.text or "").strip() if type_el is not None else ""
    if not ostype:
        if _find(root, "bootloader") is not None:
            ostype = "xen"
        else:
            raise _err(ctx, os_el if os_el is not None else root, "an os <type> must be specified")
    if ostype not in OS_TYPES:
        raise _err(ctx, type_el, "unknown OS type '%s'" % ostype)
    if ostype == "linux" and dom.type == "xen":
        ostype = "xen"
    if _os_type_value(_os_type_obj(dom)) != ostype:
        _set_os_type_value(dom, ostype)
    arch = (type_el.get("arch") or None) if type_el is not None else None  # empty: absent
    if arch is not None:
        if arch not in ARCHES:
            raise _err(ctx, type_el, "Unknown architecture %s" % arch)
    else:
        drv = (getattr(ctx, "data", None) or {}).get("parser_config")
        arch = getattr(drv, "def_arch", None) or host_arch(ctx)
        t = _os_type_obj(dom)
        if t is not None and not isinstance(t, str):
            _set(t, "arch", arch)
        else:
            _set(_get(dom, "os"), "arch", arch)


def _rule_title(dom: Any, root: Any, ctx: Any) -> None:
    title = _get(dom, "title")
    if title and "\n" in title:
        raise _err(ctx, _find(root, "title"), "Domain title can't contain newlines")


def _rule_resource(root: Any, ctx: Any) -> None:
    res = _findall(root, "resource")
    if len(res) > 1:
        raise _err(ctx, res[1], "only one resource element is supported")


def _rule_lifecycle(dom: Any, root: Any, ctx: Any) -> None:
    for name, default in LIFECYCLE_DEFAULTS:
        el = _find(root, name)
        value = el.text if el is not None else None
        if value is None or value == "":
            setattr(dom, name, default)
            continue
        if value not in LIFECYCLE_ACTIONS:
            raise _err(ctx, el, "unknown %s action: %s" % (name, value))
    el = _find(root, "on_lockfailure")
    if el is not None and el.text:
        if el.text not in LOCKFAILURE_ACTIONS:
            raise _err(ctx, el, "unknown %s action: %s" % ("on_lockfailure", el.text))
        if el.text == "default":
            dom.on_lockfailure = None


def _rule_mac(dom: Any, ctx: Any) -> None:
    """Fallback for an interface the binding left without a MAC (the
    interface model generates it itself, with the same prefix rule).  The
    driver's ``net_prefix`` rule for generated target names on INACTIVE
    parse lives in the interface model too."""
    drv = (getattr(ctx, "data", None) or {}).get("parser_config")
    prefix = getattr(drv, "mac_prefix", None) or "52:54:00"
    for iface in _devlist(dom, "interfaces"):
        mac = _get(iface, "mac")
        if mac is not None and (_get(mac, "address") if not isinstance(mac, str) else mac):
            continue
        addr = generate_mac(prefix)
        if mac is None or isinstance(mac, str):
            mcls = _field_class(type(iface), "mac")
            if mcls is None:
                _set(iface, "mac", addr)
            else:
                iface.mac = mcls(address=addr)
        else:
            _set(mac, "address", addr)
        _set(iface, "mac_generated", True)


def _rule_usb_controllers(dom: Any, root: Any, ctx: Any) -> None:
    """virDomainDefControllersParse: USB model none exclusivity and the
    master rule."""
    usb_none = False
    usb_other = False
    usb_master = False
    conts = _findall(root, "devices/controller")
    for el in conts:
        if el.get("type") != "usb":
            continue
        if el.get("model") == "none":
            if usb_other or usb_none:
                raise _err(ctx, el, "Can't add another USB controller: USB is disabled for this domain")
            usb_none = True
        else:
            if usb_none:
                raise _err(ctx, el, "Can't add another USB controller: USB is disabled for this domain")
            usb_other = True
        if el.find("master") is None and el.get("model") not in USB_COMPANION_STARTPORT:
            usb_master = True
    if not usb_master and usb_other:
        raise _err(ctx, root, "No master USB controller specified")


def _rule_usb_disabled(dom: Any, root: Any, ctx: Any) -> None:
    """With a USB controller of model none, USB inputs, USB host devices
    and USB hubs are refused at parse time (virDomainDefParseXML)."""
    usb_none = any(el.get("type") == "usb" and el.get("model") == "none"
                   for el in _findall(root, "devices/controller"))
    if not usb_none:
        return
    for inp in _devlist(dom, "inputs"):
        if _get(inp, "bus") == "usb":
            raise _err(ctx, _find(root, "devices"), "Can't add USB input device. USB bus is disabled")
    for hd in _devlist(dom, "hostdevs"):
        # libvirt tests the subsystem type of its source union: a
        # capabilities hostdev of type storage (0, as usb) is refused too
        mode = _get(hd, "mode") or "subsystem"
        if (mode == "subsystem" and _get(hd, "type") == "usb") or \
                (mode == "capabilities" and _get(hd, "type") == "storage"):
            raise _err(ctx, _find(root, "devices"), "Can't add host USB device: USB is disabled in this host")
    for hub in _devlist(dom, "hubs"):
        if _get(hub, "type") == "usb":
            raise _err(ctx, _find(root, "devices"), "Can't add USB hub: USB is disabled for this domain")


def _rule_console_ports(dom: Any) -> None:
    """virDomainDefParseXML numbers consoles by their position, and gives a
    parallel port without a port number one more than the highest of the
    parallel ports before it (later ones are not looked at: post-parse
    numbers serial ports against all of them)."""
    set_port = _pp.set_port
    for i, con in enumerate(_devlist(dom, "consoles")):
        set_port(con, i)
    port = _pp.port
    maxport = -1
    for par in _devlist(dom, "parallels"):
        if port(par) == -1:
            set_port(par, maxport + 1)
        maxport = max(maxport, port(par))


def _rule_controller_order(dom: Any) -> None:
    """Controllers are inserted as libvirt's parser does
    (virDomainControllerInsertPreAlloced)."""
    devs = _get(dom, "devices")
    conts = _get(devs, "controllers")
    if not conts:
        return
    conts[:] = _pp.controller_insert_order(list(conts))


class _Lazy:
    """postparse helpers, imported once on first use (postparse imports
    virtxml, so not at module level); an import statement inside a rule
    costs its lookup on every document."""

    def __getattr__(self, name: str) -> Any:
        from postparse import chr as chrdevs
        from postparse import controllers, disks, implicit
        from postparse.driver import Feature

        vals = {"disk_insert_order": disks.insert_order, "controller_insert_order": controllers._insert_order,
                "set_port": chrdevs.set_port, "port": chrdevs.port, "Feature": Feature,
                "add_hostdev_scsi_controllers": implicit.add_hostdev_scsi_controllers}
        for k, v in vals.items():
            setattr(self, k, v)
        return vals[name]


_pp: Any = _Lazy()


def _rule_disk_order(dom: Any) -> None:
    """Disks are inserted as libvirt's parser does
    (virDomainDiskInsertPreAlloced): by target index within a bus."""
    disks = _get(_get(dom, "devices"), "disks")
    if not disks:
        return
    disks[:] = _pp.disk_insert_order(disks)


def _rule_hostdev_scsi_controllers(dom: Any) -> None:
    """The parser's hostdev loop adds the SCSI controllers the SCSI
    hostdevs need (virDomainDefMaybeAddHostdevSCSIcontroller, a hostdev
    without an address counting as controller 0), appended after the
    parsed controllers and before post-parse assigns missing indexes."""
    hostdevs = _get(_get(dom, "devices"), "hostdevs")
    if not hostdevs:
        return
    if any(getattr(h, "type", None) == "scsi" for h in hostdevs):
        _pp.add_hostdev_scsi_controllers(dom)


def _rule_video_primary(dom: Any, root: Any, ctx: Any) -> None:
    """The parser inserts a video with primary='yes' at index 0 (a second
    primary one is refused by validation: postparse.validation.check_videos,
    virDomainDefVideoValidate)."""
    devs = _get(dom, "devices")
    videos = _get(devs, "videos")
    if not videos:
        return
    out: list[Any] = []
    for v in videos:
        if _get(_get(v, "model"), "primary"):
            out.insert(0, v)
        else:
            out.append(v)
    videos[:] = out


def _rule_inputs(dom: Any) -> None:
    """Input bus default by os type and arch (virDomainInputDefParseXML)."""
    t = _os_type_obj(dom)
    ostype = _os_type_value(t)
    arch = _get(t, "arch") if t is not None and not isinstance(t, str) else _get(_get(dom, "os"), "arch")
    for inp in _devlist(dom, "inputs"):
        if not _has(inp, "bus") or _get(inp, "bus") is not None:
            continue
        itype = _get(inp, "type")
        bus = None
        if ostype == "hvm":
            if itype in ("mouse", "keyboard") and (arch in ("i686", "x86_64") or arch is None):
                bus = "ps2"
            elif arch in ("s390", "s390x") or itype == "passthrough":
                bus = "virtio"
            elif itype == "evdev":
                bus = None
            else:
                bus = "usb"
        elif ostype in ("xen", "xenpvh"):
            bus = "xen"
        elif _get(dom, "type") in ("vz", "parallels"):
            bus = "parallels"
        if bus is not None:
            inp.bus = bus


def _iter_devices(dom: Any) -> Any:
    devs = _get(dom, "devices")
    if devs is None:
        return
    it = getattr(devs, "iter_devices", None)
    if it is not None:
        yield from it()


def _rule_aliases(dom: Any, ctx: Any) -> None:
    """INACTIVE: user aliases survive only for drivers with USER_ALIAS (the
    binding already dropped every other alias)."""
    if not ctx.flags & ParseFlags.INACTIVE:
        return
    drv = (getattr(ctx, "data", None) or {}).get("parser_config")
    if drv is None:
        return
    if drv.has(_pp.Feature.USER_ALIAS):
        return
    for dev in _iter_devices(dom):
        if _get(dev, "alias") is not None:
            dev.alias = None


def _rule_resctrl_vcpus(dom: Any) -> None:
    """virDomainResctrlParseVcpus: cachetune/memorytune vcpus are cut to
    the maximum vcpu count; a group left with none is dropped."""
    ct = _get(dom, "cputune")
    if ct is None:
        return
    maxv = _get(_get(dom, "vcpu"), "count") or 1
    for field in ("cachetunes", "memorytunes"):
        groups = _get(ct, field)
        if not groups:
            continue
        kept = []
        for g in groups:
            vcpus = _get(g, "vcpus")
            if vcpus is not None:
                cut = tuple(v for v in vcpus if v < maxv)
                if not cut:
                    continue
                g.vcpus = cut
            kept.append(g)
        groups[:] = kept


def _rule_always_present(dom: Any) -> None:
    """libvirt's definition always has a clock (offset utc) and a device
    list, and writes both even when the input had neither."""
    if dom.clock is None:
        ccls = _field_class(type(dom), "clock")
        if ccls is not None and _has(ccls(), "offset"):
            dom.clock = ccls(offset="utc")
    if dom.devices is None:
        dcls = _field_class(type(dom), "devices")
        if dcls is not None:
            dom.devices = dcls()


#: where libvirt's parser reads before the domain's <seclabel>s
#: (virDomainDefParseIDs, virDomainDefParseCaps, title, description)
_BEFORE_SECLABELS = ("/domain/name", "/domain/uuid", "/domain/genid", "/domain/title",
                     "/domain/description", "/domain/os/type", "/domain/devices/emulator")


#: top-level elements libvirt's parser reads after the devices
_AFTER_DEVICES = frozenset(("idmap", "keywrap", "launchSecurity", "sysinfo"))


_RESCTRL_CHILD = re.compile(r"^/domain/cputune/(cachetune|memorytune)(?:\[(\d+)\])?/")


def without_unread_resctrl(root: Any, err: Exception) -> Any:
    """libvirt reads a ``<cachetune>``/``<memorytune>`` group's ``vcpus``
    first and skips the whole group, children unread, when none of them is
    below the domain's vCPU count.  When binding failed inside such a group,
    a copy of the document without the groups libvirt skips (None when the
    error is elsewhere)."""
    m = _RESCTRL_CHILD.match(getattr(err, "path", None) or "")
    if m is None:
        return None
    from .model.common import parse_bitmap

    try:
        maxv = int((root.findtext("vcpu") or "1").strip())
    except ValueError:
        return None

    def unread(group: Any) -> bool:
        try:
            return all(v >= maxv for v in parse_bitmap(group.get("vcpus") or "", 16384))
        except ValueError:
            return False

    tune = root.find("cputune")
    groups = [g for g in tune.findall(m.group(1))] if tune is not None else []
    n = int(m.group(2) or 1)
    if n > len(groups) or not unread(groups[n - 1]):
        return None
    import copy

    pruned = copy.deepcopy(root)
    ptune = pruned.find("cputune")
    for g in list(ptune):
        if g.tag in ("cachetune", "memorytune") and g.get("vcpus") is not None and unread(g):
            ptune.remove(g)
    return pruned


#: the order in which virDomainDefParseXML reads the top-level elements
#: after the seclabels (memory, tunables, cpu, NUMA tuning, resource,
#: features, lifecycle, perf, clock, boot options, devices, then the rest)
_TOP_PARSE_ORDER = (
    ("memory", "currentMemory", "maxMemory", "memoryBacking"), ("blkiotune",), ("memtune",),
    ("vcpu", "vcpus"), ("iothreads", "iothreadids", "defaultiothread"), ("cputune",), ("cpu",),
    ("numatune",), ("resource",), ("features",),
    ("on_reboot", "on_poweroff", "on_crash", "on_lockfailure", "pm"), ("perf",), ("clock",),
    ("os", "bootloader", "bootloader_args"), ("devices",), ("launchSecurity",), ("idmap",),
    ("sysinfo",), ("keywrap",))
_TOP_RANK = {tag: i for i, tags in enumerate(_TOP_PARSE_ORDER) for tag in tags}

#: the order of virDomainDefTunablesParse's <cputune> parts (the scalar
#: values first)
_CPUTUNE_ORDER = ("vcpupin", "emulatorpin", "iothreadpin", "vcpusched", "iothreadsched",
                  "emulatorsched", "cachetune", "memorytune")
_CPUTUNE_RANK = {tag: i + 1 for i, tag in enumerate(_CPUTUNE_ORDER)}


def _ranks(el: Any, rank: dict[str, int], default: int) -> list[int]:
    """Each child's place in libvirt's read order (comments first)."""
    return [rank.get(c.tag, default) if isinstance(c.tag, str) else -1 for c in el]


def _sort_children(el: Any, ranks: list[int]) -> None:
    """Put ``el``'s children in rank order (stable: document order within
    a rank)."""
    kids = list(el)
    for k in kids:
        el.remove(k)
    for _r, k in sorted(zip(ranks, kids), key=lambda rk: rk[0]):
        el.append(k)


def _in_libvirt_order(root: Any) -> Any:
    """A copy of the document with its top-level elements (and the parts of
    ``<cputune>``) in the order libvirt's parser reads them, so that binding
    it meets libvirt's first error first; None when already in that order."""
    import copy

    top = _ranks(root, _TOP_RANK, -1)
    tune = root.find("cputune")
    tune_ranks = _ranks(tune, _CPUTUNE_RANK, 0) if tune is not None else []
    if top == sorted(top) and tune_ranks == sorted(tune_ranks):
        return None
    out = copy.deepcopy(root)
    _sort_children(out, top)
    otune = out.find("cputune")
    if otune is not None:
        _sort_children(otune, tune_ranks)
    return out


def seclabels_first(root: Any, ctx: Any, err: Exception) -> Exception:
    """The error libvirt reports for a document whose binding failed with
    ``err``.  libvirt's parser goes name, uuid, genid, domain/os type,
    title, then the domain's ``<seclabel>`` elements, then memory, vcpus,
    tuning, NUMA, features, os, clock, ... and the devices last; virtxml
    binds in document order and checks the top-level rules afterwards, so
    the earlier failures are looked for here."""
    path = re.sub(r"\[\d+\]", "", getattr(err, "path", None) or "")
    if any(path == p or path.startswith(p + "/") for p in _BEFORE_SECLABELS):
        return err
    if path == "/domain" and str(getattr(err, "message", "")).startswith(
            "Invalid value for attribute 'id' in element 'domain'"):
        return err
    before = _before_seclabels_error(root, ctx)
    if before is not None:
        return before
    if path.startswith("/domain/seclabel") or getattr(err, "domain_seclabels", False) \
            or path.count("/") < 2:
        return err
    from .binding import ParseContext, from_xml_element

    labels = [c for c in root if c.tag == "seclabel"]
    if labels and not ctx.flags & ParseFlags.SKIP_SECLABEL:
        from .model.domain import check_seclabels
        from .model.security import Seclabel

        tmp = ParseContext(ctx.flags, ctx.file)
        tmp.data.update(ctx.data)
        try:
            check_seclabels([from_xml_element(Seclabel, el, tmp) for el in labels], root, tmp)
        except ParseError as early:
            return early
    reordered = _in_libvirt_order(root)
    if reordered is not None:
        early = _first_bind_error(reordered, ctx)
        if early is not None:
            err = early
            path = re.sub(r"\[\d+\]", "", getattr(err, "path", None) or "")
    if path.startswith("/domain/devices/"):
        # the rest of the domain (its own parse rules included) comes
        # before the devices: bind it without them
        import copy

        stripped = copy.deepcopy(root)
        for child in list(stripped):
            if child.tag in _AFTER_DEVICES:
                stripped.remove(child)
        for devs in stripped.findall("devices"):
            for child in list(devs):
                if child.tag != "emulator":
                    devs.remove(child)
        early = _first_bind_error(stripped, ctx)
        if early is not None:
            return early
        err = _device_order_error(root, ctx, err)
        own = _hostdev_type_error(root, ctx, getattr(err, "path", None) or "")
        if own is not None:
            return own
    return err


#: the order in which virDomainDefParseXML reads the device kinds (each
#: kind's elements in document order)
_DEVICE_PARSE_ORDER = (
    "emulator", "disk", "controller", "lease", "filesystem", "interface", "smartcard", "parallel",
    "serial", "console", "channel", "input", "graphics", "sound", "audio", "video", "hostdev",
    "watchdog", "memballoon", "rng", "tpm", "nvram", "hub", "redirdev", "redirfilter", "panic",
    "shmem", "memory", "iommu", "vsock", "crypto")
_DEVICE_RANK = {t: i for i, t in enumerate(_DEVICE_PARSE_ORDER)}

#: device kinds libvirt 9.0 counts before it parses them: tag -> (most, error)
_DEVICE_COUNT_LIMITS = {
    "watchdog": (1, "only a single watchdog device is supported"),
    "memballoon": (1, "only a single memory balloon device is supported"),
    "tpm": (2, "a maximum of two TPM devices is supported, one of them being a TPM Proxy device"),
    "nvram": (1, "only a single nvram device is supported"),
    "redirfilter": (1, "only one set of redirection filter rule is supported"),
    "iommu": (1, "only a single IOMMU device is supported"),
    "vsock": (1, "only a single vsock device is supported"),
}


_COUNTED_IN_ORDER = tuple(sorted(_DEVICE_COUNT_LIMITS, key=_DEVICE_RANK.__getitem__))


def _device_count_error(root: Any, ctx: Any, upto: str | None = None) -> Exception | None:
    """The first device-count error libvirt reports, of the kinds it reads
    no later than ``upto`` (all of them when None)."""
    limit = _DEVICE_RANK.get(upto, len(_DEVICE_PARSE_ORDER)) if upto is not None else len(_DEVICE_PARSE_ORDER)
    limits = _DEVICE_COUNT_LIMITS
    for devs in _findall(root, "devices"):
        counts: dict[str, int] = {}
        for ch in devs:
            t = ch.tag
            if t in limits:
                counts[t] = counts.get(t, 0) + 1
        if not counts:
            continue
        for tag in _COUNTED_IN_ORDER:
            if _DEVICE_RANK[tag] > limit:
                break
            most, msg = limits[tag]
            if counts.get(tag, 0) > most:
                return _err(ctx, devs.findall(tag)[most], msg)
    return None


def _rule_crypto_dropped(dom: Any) -> None:
    """libvirt 9.0's parser does not know <crypto>: the device is gone."""
    devs = _get(dom, "devices")
    if devs is not None and getattr(devs, "cryptos", None):
        devs.cryptos = []


def _rule_device_counts(root: Any, ctx: Any) -> None:
    """virDomainDefParseXML refuses a second watchdog, memballoon, nvram,
    redirfilter, iommu or vsock and a third TPM."""
    e = _device_count_error(root, ctx)
    if e is not None:
        raise e


def _first_bind_error(tree: Any, ctx: Any) -> ParseError | None:
    """The ParseError binding ``tree`` (a rearranged copy of the document)
    gives in a scratch context like ``ctx``, or None."""
    from .binding import ParseContext, from_xml_element
    from .model import Domain

    tmp = ParseContext(ctx.flags, ctx.file)
    tmp.data.update(ctx.data)
    try:
        from_xml_element(Domain, tree, tmp)
    except ParseError as err:
        return err
    return None


def _device_order_error(root: Any, ctx: Any, err: Exception) -> Exception:
    """libvirt reads the devices kind by kind (_DEVICE_PARSE_ORDER), virtxml
    binds them in document order: the error of the device libvirt reads
    first, or of a device count libvirt checks before that."""
    import copy

    first = err
    devices = root.findall("devices")
    if len(devices) == 1 and len(devices[0]) > 1:
        rank = _ranks(devices[0], _DEVICE_RANK, len(_DEVICE_RANK))
        if rank != sorted(rank):
            ordered = copy.deepcopy(root)
            _sort_children(ordered.find("devices"), rank)
            first = _first_bind_error(ordered, ctx) or first
    m = re.match(r"/domain/devices/([A-Za-z]+)", getattr(first, "path", None) or "")
    counted = _device_count_error(root, ctx, m.group(1) if m else None)
    return counted if counted is not None else first


def _hostdev_type_error(root: Any, ctx: Any, path: str) -> Exception | None:
    """A <hostdev> without its source type, or with one libvirt does not
    know, fails on that before libvirt reads any of its children."""
    m = re.match(r"(/domain/devices/hostdev(?:\[\d+\])?)/", path)
    if m is None:
        return None
    try:
        found = root.getroottree().xpath(m.group(1))
    except Exception:  # noqa: BLE001 - a path lxml cannot evaluate
        return None
    if not found:
        return None
    t = found[0].get("type")
    if t is None:
        return _err(ctx, found[0], "missing source address type")
    from .model.devices.hostdev import CAPS_TYPES, SUBSYS_TYPES

    types = {"subsystem": SUBSYS_TYPES, "capabilities": CAPS_TYPES}.get(found[0].get("mode") or "subsystem")
    if types is not None and t not in types:
        return _err(ctx, found[0], f"unknown host device source address type '{t}'")
    return None


def _before_seclabels_error(root: Any, ctx: Any) -> Exception | None:
    """The error of the document-level rules libvirt applies before it
    reads the seclabels (name, uuid, genid, domain/os type, arch, title),
    on a stand-in for the domain."""
    import types

    stand_in = types.SimpleNamespace(
        name=root.findtext("name"), uuid=root.findtext("uuid"), type=root.get("type"),
        title=root.findtext("title"), os=None, uuid_generated=False, genid=None,
        genid_generated=False)
    try:
        _rule_name(stand_in, root, ctx)
        _rule_uuid_genid(stand_in, root, ctx)
        _rule_caps(stand_in, root, ctx)
        _rule_title(stand_in, root, ctx)
    except ParseError as e:
        return e
    return None


def apply(dom: Any, root: Any, ctx: Any) -> None:
    """Run every document-level parse rule on a freshly bound domain."""
    prev = getattr(_local, "cur", None)
    _local.cur = (root, _index(root))
    try:
        _apply(dom, root, ctx)
    finally:
        _local.cur = prev


def _apply(dom: Any, root: Any, ctx: Any) -> None:
    _rule_id(dom, ctx)
    _rule_caps(dom, root, ctx)
    _rule_name(dom, root, ctx)
    _rule_uuid(dom, root, ctx)
    _rule_title(dom, root, ctx)
    _rule_resource(root, ctx)
    _rule_lifecycle(dom, root, ctx)
    _rule_always_present(dom)
    _rule_resctrl_vcpus(dom)
    _rule_usb_controllers(dom, root, ctx)
    _rule_controller_order(dom)
    _rule_disk_order(dom)
    _rule_hostdev_scsi_controllers(dom)
    _rule_console_ports(dom)
    _rule_video_primary(dom, root, ctx)
    _rule_inputs(dom)
    _rule_usb_disabled(dom, root, ctx)
    _rule_mac(dom, ctx)
    _rule_aliases(dom, ctx)
    _rule_device_counts(root, ctx)
    _rule_crypto_dropped(dom)
