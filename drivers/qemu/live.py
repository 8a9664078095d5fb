"""What starting a QEMU guest changes in its XML (behaviour §1.4, §5.2,
§5.4): libvirt's qemuProcessPrepareDomain / qemuProcessSetupGraphics /
qemuAssignDeviceAliases, limited to what shows in the live XML.

:func:`prepare_live` returns a new live definition; it is deterministic:
every runtime value comes from its arguments, with these defaults (those of
the oracle runs in testdata/oracle, see its README):

* ``domain_id`` 1; libDir ``<qemu.conf lib_dir>/domain-<id>-<name[:20]>``;
* ports: the first free port from ``remote_display_port_min`` (5900) and
  ``websocket_port_min`` (5700); ``used_ports`` / ``used_websocket_ports``
  name ports already taken on the host; explicit ports of the guest's other
  graphics are reserved first, as libvirt does;
* pty chardevs: ``/dev/pts/0``, ``/dev/pts/1``, ... (``pty_paths``
  overrides);
* DAC label ``+0:+0`` (``dac_label``; qemu.conf user/group root);
* the CPU check and features QEMU reports (``cpu_features``; default for a
  TCG ``qemu64`` guest on the oracle's QEMU 7.2: require hypervisor,
  require lahf_lm); the configured CPU is kept for migratable XML;
* ``network_addresses``: network name -> address, for listens of type
  network (libvirt asks the network driver; without one, the start fails
  like the embedded driver with no virtnetworkd).
"""

from __future__ import annotations

import copy
from typing import Any

from virtxml.errors import VirtXMLError

from .migratable import set_orig_cpu
from .util import devlist, get

#: CPU features QEMU 7.2 (TCG) adds to a qemu64 guest
TCG_QEMU64_FEATURES: tuple[tuple[str, str], ...] = (("require", "hypervisor"), ("require", "lahf_lm"))


class StartError(VirtXMLError):
    """A start-time refusal (libvirt's text)."""

    rule = "start"


# ---------------------------------------------------------------- helpers


def priv_lib_dir(cfg: Any, domain_id: int, name: str) -> str:
    """qemuDomainSetPrivatePaths: <libDir>/domain-<id>-<name truncated to 20>."""
    return f"{cfg.lib_dir}/domain-{domain_id}-{name[:20]}"


def priv_channel_target_dir(cfg: Any, domain_id: int, name: str) -> str:
    return f"{cfg.channel_target_dir}/domain-{domain_id}-{name[:20]}"


class _Ports:
    def __init__(self, lo: int, hi: int, used: set[int]) -> None:
        self.lo, self.hi, self.used = lo, hi, set(used)

    def acquire(self) -> int:
        for p in range(self.lo, self.hi + 1):
            if p not in self.used:
                self.used.add(p)
                return p
        raise StartError(f"Unable to find an unused port in range 'display' ({self.lo}-{self.hi})")


def _cfg(options: dict[str, Any]) -> Any:
    from .options import qemu_conf

    class _C:
        pass

    c = _C()
    c.options = options  # type: ignore[attr-defined]
    return qemu_conf(c)


# ---------------------------------------------------------------- graphics


def setup_listens(dom: Any, cfg: Any, lib_dir: str, network_addresses: dict[str, str] | None) -> None:
    """qemuProcessGraphicsSetupListen for every VNC/SPICE graphics (§5.4)."""
    for g in devlist(dom, "graphics"):
        t = getattr(g, "type", None)
        if t == "vnc":
            use_socket, listen_addr = cfg.vnc_auto_unix_socket, cfg.vnc_listen
        elif t == "spice":
            use_socket, listen_addr = cfg.spice_auto_unix_socket, cfg.spice_listen
        else:
            continue
        for lis in g.listens:
            lt = lis.type
            if lt == "address":
                if lis.address:
                    continue
                if use_socket:
                    lis.type = "socket"
                    lis.address = lis.network = None
                    lis.socket = f"{lib_dir}/{t}.sock"
                    lis.from_config = True
                    lis.auto_generated = False
                elif listen_addr:
                    lis.address = listen_addr
                    lis.from_config = True
            elif lt == "network":
                if lis.address or not listen_addr:
                    continue
                if not lis.network:
                    lis.address = listen_addr
                    continue
                addrs = network_addresses
                if addrs is None:
                    raise StartError("Failed to connect socket to '/var/run/libvirt/virtnetworkd-sock': "
                                     "No such file or directory")
                if lis.network not in addrs:
                    raise StartError(f"network '{lis.network}' doesn't have an IP address")
                lis.address = addrs[lis.network]
            elif lt == "socket":
                if not lis.socket:
                    lis.socket = f"{lib_dir}/{t}.sock"
                    lis.auto_generated = True
        if t == "vnc" and g.listens and g.listens[0].type == "socket":
            # a socket listen has no port
            pass


def _first_listen_type(g: Any) -> str | None:
    return g.listens[0].type if getattr(g, "listens", None) else None


def reserve_ports(dom: Any) -> tuple[set[int], set[int]]:
    """qemuProcessGraphicsReservePorts: explicit ports are taken first."""
    used, ws = set(), set()
    for g in devlist(dom, "graphics"):
        if _first_listen_type(g) not in ("address", "network"):
            continue
        if g.type == "vnc":
            if not g.autoport and g.port and g.port > 0:
                used.add(g.port)
            if g.websocket and g.websocket > 0:
                ws.add(g.websocket)
        elif g.type == "spice" and not g.autoport:
            for p in (g.port, g.tls_port):
                if p and p > 0:
                    used.add(p)
    return used, ws


def allocate_ports(dom: Any, cfg: Any, used: set[int], ws_used: set[int]) -> None:
    """qemuProcessGraphicsAllocatePorts (§5.2)."""
    disp = _Ports(cfg.remote_display_port_min, cfg.remote_display_port_max, used)
    wsp = _Ports(cfg.websocket_port_min, cfg.websocket_port_max, ws_used)
    for g in devlist(dom, "graphics"):
        if _first_listen_type(g) not in ("address", "network"):
            continue
        if g.type == "vnc":
            if g.autoport:
                g.port = disp.acquire()
            if g.websocket == -1:
                g.websocket = wsp.acquire()
                g.websocket_generated = True
        elif g.type == "spice":
            need_port = need_tls = False
            if g.autoport:
                for ch in getattr(g, "channels", None) or []:
                    if ch.mode == "secure":
                        need_tls = True
                    elif ch.mode == "insecure":
                        need_port = True
                mode = g.default_mode or "any"
                if mode == "secure":
                    need_tls = True
                elif mode == "insecure":
                    need_port = True
                else:
                    if cfg.spice_tls:
                        need_tls = True
                    need_port = True
            if not need_port and not need_tls:
                continue
            if need_port or g.port == -1:
                g.port = disp.acquire()
            if need_tls or g.tls_port == -1:
                if not cfg.spice_tls:
                    raise StartError("Auto allocation of spice TLS port requested but spice TLS is "
                                     "disabled in qemu.conf")
                g.tls_port = disp.acquire()


# ---------------------------------------------------------------- aliases


def _set_alias(dev: Any, name: str) -> None:
    from virtxml.model.devices.info import Alias

    cur = getattr(dev, "alias", None)
    if cur is not None and getattr(cur, "name", None):
        return
    if hasattr(dev, "alias"):
        dev.alias = Alias(name=name)


def _disk_alias(disk: Any) -> str | None:
    tgt = getattr(disk, "target", None)
    bus = getattr(tgt, "bus", None)
    dev = getattr(tgt, "dev", None) or ""
    addr = getattr(disk, "address", None)
    if bus in ("ide", "sata", "fdc", "scsi") and addr is not None and getattr(addr, "type", None) == "drive":
        c, b, u, t = (get(addr, k) or 0 for k in ("controller", "bus", "unit", "target"))
        prefix = {"ide": "ide", "sata": "sata", "fdc": "fdc", "scsi": "scsi"}[bus]
        if bus == "scsi":
            return f"scsi{c}-{b}-{t}-{u}"
        return f"{prefix}{c}-{b}-{u}"
    idx = _disk_index(dev)
    if bus == "virtio":
        return f"virtio-disk{idx}"
    if bus == "usb":
        return f"usb-disk{idx}"
    if bus == "sd":
        return f"sd-disk{idx}"
    return None


def _disk_index(dev: str) -> int:
    """virDiskNameToIndex."""
    import re

    m = re.match(r"^(?:[a-z]+d|xvd|ub)([a-z]+)", dev)
    if not m:
        return 0
    idx = 0
    for ch in m.group(1):
        idx = idx * 26 + (ord(ch) - ord("a") + 1)
    return idx - 1


def _controller_alias(dom: Any, c: Any) -> str:
    from .migratable import is_i440fx

    t, idx, model = getattr(c, "type", None), getattr(c, "index", None) or 0, getattr(c, "model", None)
    if t == "pci":
        if model == "pci-root":
            return "pci.0" if is_i440fx(dom) or True else "pci"
        if model == "pcie-root":
            return "pcie.0"
        return f"pci.{idx}"
    if t == "ide" and idx == 0:
        return "ide"
    if t == "sata" and idx == 0:
        return "ide"
    if t == "usb" and idx == 0:
        return "usb"
    return f"{t}{idx}"


def assign_aliases(dom: Any) -> None:
    """qemuAssignDeviceAliases for the device kinds a started guest shows."""
    for d in devlist(dom, "disks"):
        a = _disk_alias(d)
        if a:
            _set_alias(d, a)
    for i, n in enumerate(devlist(dom, "interfaces")):
        _set_alias(n, f"net{i}")
    for i, fs in enumerate(devlist(dom, "filesystems")):
        _set_alias(fs, f"fs{i}")
    for i, s in enumerate(devlist(dom, "sounds")):
        _set_alias(s, f"sound{i}")
        for j, codec in enumerate(getattr(s, "codecs", None) or []):
            _set_alias(codec, f"sound{i}-codec{j}")
    for i, h in enumerate(devlist(dom, "hostdevs")):
        _set_alias(h, f"hostdev{i}")
    for i, r in enumerate(devlist(dom, "redirdevs")):
        _set_alias(r, f"redir{i}")
    for i, v in enumerate(devlist(dom, "videos")):
        _set_alias(v, f"video{i}")
    for c in devlist(dom, "controllers"):
        _set_alias(c, _controller_alias(dom, c))
    for i, inp in enumerate(devlist(dom, "inputs")):
        _set_alias(inp, f"input{i}")
    for kind, prefix in (("parallels", "parallel"), ("serials", "serial"), ("channels", "channel")):
        for i, ch in enumerate(devlist(dom, kind)):
            _set_alias(ch, f"{prefix}{i}")
    for i, con in enumerate(devlist(dom, "consoles")):
        tgt = getattr(getattr(con, "target", None), "type", None)
        if i == 0 and tgt in (None, "serial") and devlist(dom, "serials"):
            _set_alias(con, "serial0")
        else:
            _set_alias(con, f"console{i}")
    for i, h in enumerate(devlist(dom, "hubs")):
        _set_alias(h, f"hub{i}")
    for i, s in enumerate(devlist(dom, "smartcards")):
        _set_alias(s, f"smartcard{i}")
    for i, w in enumerate(devlist(dom, "watchdogs")):
        _set_alias(w, f"watchdog{i}")
    mb = getattr(getattr(dom, "devices", None), "memballoon", None)
    if mb is not None and getattr(mb, "model", None) != "none":
        _set_alias(mb, "balloon0")
    for i, r in enumerate(devlist(dom, "rngs")):
        _set_alias(r, f"rng{i}")
    for i, t in enumerate(devlist(dom, "tpms")):
        _set_alias(t, f"tpm{i}")
    for i, s in enumerate(devlist(dom, "shmems")):
        _set_alias(s, f"shmem{i}")
    vs = getattr(getattr(dom, "devices", None), "vsock", None)
    if vs is not None:
        _set_alias(vs, "vsock0")


# ---------------------------------------------------------------- others


def _pty_paths(dom: Any, paths: list[str] | None) -> None:
    """pty chardevs get the pty QEMU opened; a console that is the serial's
    compat copy shares the serial's source and gets ``tty=``."""
    n = 0
    serial_paths: list[str | None] = []
    for kind in ("serials", "parallels", "channels", "consoles"):
        for i, ch in enumerate(devlist(dom, kind)):
            if getattr(ch, "type", None) != "pty":
                if kind == "serials":
                    serial_paths.append(None)
                continue
            srcs = getattr(ch, "sources", None) or []
            if kind == "consoles" and i == 0 and serial_paths and serial_paths[0] \
                    and getattr(getattr(ch, "target", None), "type", None) in (None, "serial"):
                path = serial_paths[0]
            else:
                path = paths[n] if paths and n < len(paths) else f"/dev/pts/{n}"
                n += 1
            if kind == "serials":
                serial_paths.append(path)
            if srcs:
                if not srcs[0].path:
                    srcs[0].path = path
            else:
                from virtxml.model.devices.chardev import ChrSourceEl

                ch.sources.append(ChrSourceEl(path=path))
            if kind == "consoles":
                ch.tty = path


def _disk_is_empty(disk: Any) -> bool:
    """virStorageSourceIsEmpty for local sources (no source, or no path)."""
    src = getattr(disk, "source", None)
    if src is None:
        return True
    kind = type(src).__name__
    return (kind == "SourceFile" and not getattr(src, "file", None)) or (kind == "SourceBlock" and not getattr(src, "dev", None))


def _disks(dom: Any) -> None:
    """An empty drive (e.g. a cdrom without medium) runs without an image
    format: libvirt clears the format QEMU's post-parse defaulted.  Each
    disk records its QOM name (status XML ``<privateData><qom name=.../>``):
    the device alias, or ``/machine/peripheral/<alias>/virtio-backend`` for
    virtio disks."""
    from virtxml.model.devices.disk import PrivateData

    for d in devlist(dom, "disks"):
        drv = getattr(d, "driver", None)
        if drv is not None and _disk_is_empty(d) and getattr(drv, "type", None) is not None:
            drv.type = None
        alias = getattr(getattr(d, "alias", None), "name", None)
        if alias and getattr(d, "private_data", None) is None:
            qom = alias
            if getattr(getattr(d, "target", None), "bus", None) == "virtio":
                qom = f"/machine/peripheral/{alias}/virtio-backend"
            d.private_data = PrivateData(items=[f"<qom name='{qom}'/>"])


def _channels(dom: Any, channel_dir: str) -> None:
    """qemuDomainPrepareChannel: a virtio unix channel without a path gets
    ``<channelTargetDir>/<name>`` (mode bind); virtio channels report their
    guest-side state (``disconnected`` for a guest that just started)."""
    for ch in devlist(dom, "channels"):
        tgt = getattr(ch, "target", None)
        if getattr(tgt, "type", None) != "virtio":
            continue
        if getattr(ch, "type", None) == "unix" and getattr(tgt, "name", None):
            srcs = getattr(ch, "sources", None) or []
            if not srcs:
                from virtxml.model.devices.chardev import ChrSourceEl

                ch.sources.append(ChrSourceEl(mode="bind"))
                srcs = ch.sources
            if not srcs[0].path:
                srcs[0].path = f"{channel_dir}/{tgt.name}"
                if not srcs[0].mode:
                    srcs[0].mode = "bind"
        if tgt.state is None:
            tgt.state = "disconnected"


def _resource(dom: Any) -> None:
    from virtxml.model.cpu import Resource

    if dom.resource is None:
        dom.resource = Resource(partition="/machine")
    elif dom.resource.partition is None:
        dom.resource.partition = "/machine"


def _seclabel(dom: Any, label: str) -> None:
    from virtxml.model.security import Seclabel

    for s in dom.seclabels:
        if getattr(s, "model", None) == "dac":
            return
    sl = Seclabel(type="dynamic", model="dac", relabel=True, label=label, imagelabel=label)
    sl.implicit = True
    dom.seclabels.append(sl)


def _cpu(dom: Any, features: tuple[tuple[str, str], ...] | None) -> None:
    from virtxml.model.cpu import CPUFeature

    cpu = getattr(dom, "cpu", None)
    if cpu is None or getattr(cpu, "mode", None) != "custom" or getattr(cpu, "model", None) is None:
        return
    set_orig_cpu(dom, copy.deepcopy(cpu))
    if features is None:
        if getattr(cpu.model, "name", None) == "qemu64" and getattr(dom, "type", None) == "qemu":
            features = TCG_QEMU64_FEATURES
        else:
            features = ()
    cpu.check = "full"
    have = {getattr(f, "name", None) for f in cpu.features}
    for policy, name in features:
        if name not in have:
            cpu.features.append(CPUFeature(policy=policy, name=name))


# ---------------------------------------------------------------- entry points


def prepare_live(dom: Any, driver: Any, options: dict[str, Any] | None = None, *, domain_id: int = 1,
                 used_ports: set[int] | None = None, used_websocket_ports: set[int] | None = None,
                 pty_paths: list[str] | None = None, dac_label: str = "+0:+0",
                 cpu_features: tuple[tuple[str, str], ...] | None = None,
                 network_addresses: dict[str, str] | None = None) -> Any:
    """The live definition of ``dom`` once started with id ``domain_id``."""
    from postparse import engine

    options = dict(options or {})
    if getattr(dom, "post_parse_failed", False):
        engine.rerun_post_parse(dom, driver, options)
    cfg = _cfg(options)
    live = copy.deepcopy(dom)
    live.id = domain_id
    lib_dir = priv_lib_dir(cfg, domain_id, live.name or "")
    _resource(live)
    _cpu(live, cpu_features)
    assign_aliases(live)
    setup_listens(live, cfg, lib_dir, network_addresses)
    used, ws = reserve_ports(live)
    allocate_ports(live, cfg, used | set(used_ports or ()), ws | set(used_websocket_ports or ()))
    _pty_paths(live, pty_paths)
    _disks(live)
    _channels(live, priv_channel_target_dir(cfg, domain_id, live.name or ""))
    _seclabel(live, dac_label)
    return live


def make_private(*, live_def: Any, options: dict[str, Any] | None = None, caps: Any = None,
                 vcpu_pids: list[tuple[int, int]] | None = None,
                 aliases: list[str] | None = None) -> Any:
    """The QEMU private data libvirt records for a guest it started
    (monitor socket, capability flags, device aliases, private dirs).

    Runtime values QEMU reports: ``vcpu_pids`` (vcpu id, thread id) and
    ``aliases`` (QEMU's peripheral device list, in QEMU's order); without
    them, no vcpu threads are listed and the aliases of the definition's
    devices are, in definition order."""
    from .capsnames import FLAG_INDEX
    from .status import QemuPrivate

    options = dict(options or {})
    cfg = _cfg(options)
    did = live_def.id if live_def.id is not None else 1
    lib_dir = priv_lib_dir(cfg, did, live_def.name or "")
    if caps is None:
        from . import options as qopts

        class _C:
            pass

        c = _C()
        c.options = options  # type: ignore[attr-defined]
        emu = getattr(getattr(live_def, "devices", None), "emulator", None)
        try:
            caps = qopts.caps_source(c).for_binary(emu) if emu else None
        except VirtXMLError:
            caps = None
    flags = {f for f in (caps.flags if caps is not None else ()) if f in FLAG_INDEX} or None
    if aliases is None:
        from postparse.util import iter_postparse_devices

        aliases = []
        for dev in iter_postparse_devices(live_def):
            a = getattr(getattr(dev, "alias", None), "name", None)
            if a and a not in aliases:
                aliases.append(a)
    priv = QemuPrivate(monitor_path=f"{lib_dir}/monitor.sock", monitor_type="unix",
                       vcpu_pids=list(vcpu_pids or []), caps_flags=flags, aliases=aliases,
                       lib_dir=lib_dir,
                       channel_target_dir=priv_channel_target_dir(cfg, did, live_def.name or ""))
    from lxml import etree

    from .migratable import get_orig_cpu

    orig = get_orig_cpu(live_def)
    if orig is not None:
        # qemuDomainObjPrivateXMLFormat writes priv->origCPU
        out: list[str] = []
        orig.xml_format(out, "", 0)
        priv.elements["cpu"] = etree.fromstring("".join(out))
    # node names: one index per disk storage source prepared at start
    n_sources = len(devlist(live_def, "disks"))
    if n_sources:
        el = etree.Element("nodename")
        el.set("index", str(n_sources))
        priv.elements["nodename"] = el
    raw = getattr(cfg, "raw", {}) or {}
    # qemu.conf namespaces (default ["mount"] for a privileged driver on Linux)
    ns = raw.get("namespaces", ["mount"])
    if ns:
        el = etree.Element("namespaces")
        for n in ns:
            etree.SubElement(el, n)
        priv.elements["namespaces"] = el
    # stdio_handler = "logd" (the default): chardev output goes through virtlogd
    if raw.get("stdio_handler", "logd") == "logd":
        priv.elements["chardevStdioLogd"] = etree.Element("chardevStdioLogd")
    if raw.get("remember_owner", 1):
        priv.elements["rememberOwner"] = etree.Element("rememberOwner")
    return priv


__all__ = ["prepare_live", "make_private", "StartError", "priv_lib_dir", "setup_listens",
           "allocate_ports", "assign_aliases", "TCG_QEMU64_FEATURES"]
