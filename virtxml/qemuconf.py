"""qemu.conf reader (libvirt's virconf syntax) for the options that shape
domain XML.

Syntax: ``name = value`` statements separated by newlines or ``;``;
``#`` starts a comment; values are strings in double (or single) quotes,
integers (booleans are 0/1) and lists ``[ "a", "b" ]`` that may span lines.
Errors carry the line number: ``"configuration file syntax error:
FILE:LINE: reason"`` like libvirt's virConfError.
"""

from __future__ import annotations

import os
from typing import Any

import attrs

from .errors import VirtXMLError


class QemuConfError(VirtXMLError):
    rule = "qemu-conf"


# -- the generic virconf parser ------------------------------------------------

class _Parser:
    def __init__(self, text: str, filename: str) -> None:
        self.s = text
        self.i = 0
        self.line = 1
        self.filename = filename

    def error(self, msg: str) -> QemuConfError:
        return QemuConfError(f"configuration file syntax error: {self.filename}:{self.line}: {msg}",
                             file=self.filename, line=self.line)

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def skip_blanks(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\r":
            self.i += 1

    def skip_comment(self) -> None:
        if self.peek() == "#":
            while self.i < len(self.s) and self.s[self.i] != "\n":
                self.i += 1

    def skip_ws_nl(self) -> None:
        """Blanks, newlines and comments (inside lists)."""
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r":
                self.i += 1
            elif c == "\n":
                self.line += 1
                self.i += 1
            elif c == "#":
                self.skip_comment()
            else:
                break

    def name(self) -> str:
        start = self.i
        c = self.peek()
        if not (c.isalpha() or c == "_"):
            raise self.error("expecting a name")
        while self.i < len(self.s) and (self.s[self.i].isalnum() or self.s[self.i] in "_.-"):
            self.i += 1
        return self.s[start:self.i]

    def string(self) -> str:
        q = self.peek()
        if self.s.startswith(q * 3, self.i):
            end = self.s.find(q * 3, self.i + 3)
            if end < 0:
                raise self.error("unterminated string")
            val = self.s[self.i + 3:end]
            self.line += val.count("\n")
            self.i = end + 3
            return val
        end = self.i + 1
        while end < len(self.s) and self.s[end] != q and self.s[end] != "\n":
            end += 1
        if end >= len(self.s) or self.s[end] != q:
            raise self.error("unterminated string")
        val = self.s[self.i + 1:end]
        self.i = end + 1
        return val

    def number(self) -> int:
        start = self.i
        if self.peek() in "+-":
            self.i += 1
        if not self.peek().isdigit():
            raise self.error("unterminated number")
        while self.peek().isdigit():
            self.i += 1
        return int(self.s[start:self.i])

    def value(self) -> Any:
        c = self.peek()
        if c in "\"'":
            return self.string()
        if c == "[":
            self.i += 1
            items: list[Any] = []
            self.skip_ws_nl()
            if self.peek() == "]":
                self.i += 1
                return items
            while True:
                self.skip_ws_nl()
                if self.peek() in "]":
                    raise self.error("expecting a value")
                items.append(self.value())
                self.skip_ws_nl()
                c = self.peek()
                if c == ",":
                    self.i += 1
                    self.skip_ws_nl()
                    if self.peek() == "]":
                        self.i += 1
                        return items
                    continue
                if c == "]":
                    self.i += 1
                    return items
                if c == "":
                    raise self.error("list is not closed with ]")
                raise self.error("expecting a separator in list")
        if c.isdigit() or c in "+-":
            return self.number()
        raise self.error("expecting a value")

    def parse(self) -> dict[str, tuple[Any, int]]:
        out: dict[str, tuple[Any, int]] = {}
        while True:
            self.skip_blanks()
            c = self.peek()
            if c == "":
                return out
            if c == "#":
                self.skip_comment()
                continue
            if c in "\n;":
                if c == "\n":
                    self.line += 1
                self.i += 1
                continue
            line = self.line
            key = self.name()
            self.skip_blanks()
            if self.peek() != "=":
                raise self.error("expecting an assignment")
            self.i += 1
            self.skip_blanks()
            val = self.value()
            self.skip_blanks()
            self.skip_comment()
            c = self.peek()
            if c not in ("", "\n", ";"):
                raise self.error("expecting a separator")
            out[key] = (val, line)


def parse_conf(text: str, filename: str = "qemu.conf") -> dict[str, tuple[Any, int]]:
    """Parse virconf text into ``{name: (value, line)}``."""
    return _Parser(text, filename).parse()


# -- the typed QEMU config -------------------------------------------------------

@attrs.define(kw_only=True)
class QemuConf:
    """The qemu.conf options that shape domain XML, with libvirt's defaults
    (privileged daemon; ``root`` gives the embedded-driver layout)."""

    vnc_listen: str = "127.0.0.1"
    spice_listen: str = "127.0.0.1"
    vnc_auto_unix_socket: bool = False
    spice_auto_unix_socket: bool = False
    vnc_tls: bool = False
    spice_tls: bool = False
    vnc_sasl: bool = False
    spice_sasl: bool = False
    vnc_allow_host_audio: bool = False
    nogfx_allow_host_audio: bool = False
    remote_display_port_min: int = 5900
    remote_display_port_max: int = 65535
    websocket_port_min: int = 5700
    websocket_port_max: int = 65535
    lib_dir: str = "/var/lib/libvirt/qemu"
    state_dir: str = "/run/libvirt/qemu"
    cache_dir: str = "/var/cache/libvirt/qemu"
    config_dir: str = "/etc/libvirt/qemu"
    channel_target_dir: str = "/var/lib/libvirt/qemu/channel/target"
    nvram_dir: str = "/var/lib/libvirt/qemu/nvram"
    save_dir: str = "/var/lib/libvirt/qemu/save"
    snapshot_dir: str = "/var/lib/libvirt/qemu/snapshot"
    memory_backing_dir: str = "/var/lib/libvirt/qemu/ram"
    security_driver: list[str] = attrs.field(factory=list)
    #: every option read, raw
    raw: dict[str, Any] = attrs.field(factory=dict)
    filename: str | None = None

    @property
    def caps_cache_dir(self) -> str:
        return os.path.join(self.cache_dir, "capabilities")

    @classmethod
    def for_root(cls, root: str) -> "QemuConf":
        """Embedded driver layout (qemu:///embed?root=ROOT)."""
        lib = os.path.join(root, "lib", "qemu")
        return cls(lib_dir=lib, state_dir=os.path.join(root, "run", "qemu"),
                   cache_dir=os.path.join(root, "cache", "qemu"),
                   config_dir=os.path.join(root, "etc", "qemu"),
                   channel_target_dir=os.path.join(lib, "channel", "target"),
                   nvram_dir=os.path.join(lib, "nvram"), save_dir=os.path.join(lib, "save"),
                   snapshot_dir=os.path.join(lib, "snapshot"),
                   memory_backing_dir=os.path.join(lib, "ram"))

    @classmethod
    def for_libvirt_tests(cls) -> "QemuConf":
        """The driver config of libvirt's QEMU test harness (testutilsqemu.c)."""
        return cls(lib_dir="/tmp/lib", state_dir="/tmp/run", cache_dir="/tmp/cache", spice_tls=True,
                   channel_target_dir="/tmp/channel", nvram_dir="/var/lib/libvirt/qemu/nvram",
                   memory_backing_dir="/var/lib/libvirt/qemu/ram")


_BOOLS = ("vnc_auto_unix_socket", "spice_auto_unix_socket", "vnc_tls", "spice_tls", "vnc_sasl",
          "spice_sasl", "vnc_allow_host_audio", "nogfx_allow_host_audio")
_STRINGS = ("vnc_listen", "spice_listen")
_PORTS = ("remote_display_port_min", "remote_display_port_max", "websocket_port_min",
          "websocket_port_max")
_DIRS = {"nvram_dir": "nvram_dir", "memory_backing_dir": "memory_backing_dir",
         "save_image_dir": "save_dir", "snapshot_image_dir": "snapshot_dir"}


def _type_name(v: Any) -> str:
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    return "long"


def load_qemu_conf(source: str | os.PathLike[str] | None = None, *, text: str | None = None,
                   base: QemuConf | None = None) -> QemuConf:
    """Read qemu.conf from a path (or ``text``) over ``base`` (defaults)."""
    fname = "qemu.conf"
    if text is None:
        if source is None:
            raise QemuConfError("no qemu.conf given")
        fname = os.fspath(source)
        try:
            with open(fname, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as e:
            raise QemuConfError(f"cannot read {fname}: {e.strerror}", file=fname) from None
    values = parse_conf(text, fname)
    cfg = attrs.evolve(base) if base is not None else QemuConf()
    cfg.filename = fname
    cfg.raw = {k: v for k, (v, _line) in values.items()}

    def bad(key: str, expected: str) -> QemuConfError:
        v, line = values[key]
        return QemuConfError(f"{fname}: {key}: invalid type: got {_type_name(v)}; expected {expected}",
                             file=fname, line=line)

    for key in _BOOLS:
        if key in values:
            v = values[key][0]
            if not isinstance(v, int):
                raise bad(key, "bool")
            if v not in (0, 1):
                raise QemuConfError(f"{fname}: {key}: value for '{key}' parameter must be 0 or 1",
                                    file=fname, line=values[key][1])
            setattr(cfg, key, bool(v))
    for key in _STRINGS:
        if key in values:
            v = values[key][0]
            if not isinstance(v, str):
                raise bad(key, "string")
            setattr(cfg, key, v)
    for key in _PORTS:
        if key in values:
            v = values[key][0]
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise bad(key, "unsigned integer")
            setattr(cfg, key, v)
    for key, field in _DIRS.items():
        if key in values:
            v = values[key][0]
            if not isinstance(v, str):
                raise bad(key, "string")
            setattr(cfg, field, v)
    if "security_driver" in values:
        v = values["security_driver"][0]
        cfg.security_driver = [v] if isinstance(v, str) else [str(x) for x in v]
    # port range checks (virQEMUDriverConfigLoadRemoteDisplayEntry)
    if cfg.remote_display_port_min < 5900:
        raise QemuConfError(f"{fname}: remote_display_port_min: port must be greater than or "
                            "equal to 5900", file=fname)
    if cfg.remote_display_port_max > 65535 or cfg.remote_display_port_max < cfg.remote_display_port_min:
        if cfg.remote_display_port_max > 65535:
            raise QemuConfError(f"{fname}: remote_display_port_max: port must be less than or "
                                "equal to 65535", file=fname)
        raise QemuConfError(f"{fname}: remote_display_port_min: min port must not be greater "
                            "than max port", file=fname)
    if cfg.websocket_port_min < 5700:
        raise QemuConfError(f"{fname}: websocket_port_min: port must be greater than or equal "
                            "to 5700", file=fname)
    if cfg.websocket_port_max > 65535:
        raise QemuConfError(f"{fname}: websocket_port_max: port must be less than or equal to "
                            "65535", file=fname)
    if cfg.websocket_port_min > cfg.websocket_port_max:
        raise QemuConfError(f"{fname}: websocket_port_min: min port must not be greater than "
                            "max port", file=fname)
    return cfg
