"""Capability sources: "QEMU capabilities for binary X".

A :class:`CapsSource` answers :meth:`CapsSource.for_binary` from, in order:
capabilities registered in memory, given ``<qemuCaps>`` files (keyed by their
``<emulator>`` or by an explicit binary path), folders of cache files named
as libvirt names them (SHA-256 hex of the binary path + ``.xml``), and, when
enabled, a probe of the binary on this machine (cached on disk).

It also answers :meth:`CapsSource.default_emulator` (libvirt's
virQEMUCapsGetDefaultEmulator search) and carries optional host
``<capabilities>``.
"""

from __future__ import annotations

import os
import shutil
from typing import Iterable

from .hostcaps import HostCaps, parse_host_caps
from .probe import cache_file_name, probe
from .qemucaps import CapsError, QemuCaps, parse_qemu_caps

#: libvirt arch -> QEMU system emulator suffix (virQEMUCapsArchToString)
_QEMU_ARCH = {"i686": "i386", "armv6l": "arm", "armv7l": "arm", "armv7b": "arm", "or32": "or32"}


def qemu_arch_name(arch: str) -> str:
    return _QEMU_ARCH.get(arch, arch)


def _is_native(host: str, guest: str) -> bool:
    """virQEMUCapsGuestIsNative."""
    if host == guest:
        return True
    if host == "x86_64" and guest == "i686":
        return True
    if host == "aarch64" and guest == "armv7l":
        return True
    if host.startswith("ppc64") and guest.startswith("ppc64"):
        return True
    return False


def host_arch() -> str:
    m = os.uname().machine
    return {"i386": "i686", "i486": "i686", "i586": "i686", "armv8l": "armv7l",
            "arm64": "aarch64", "amd64": "x86_64"}.get(m, m)


class CapsSource:
    """Where the QEMU driver gets capabilities from."""

    def __init__(self, *, files: Iterable[str] = (), dirs: Iterable[str] = (),
                 allow_probe: bool = False, cache_dir: str | None = None,
                 host_caps: HostCaps | str | None = None, arch: str | None = None,
                 search_path: Iterable[str] | None = None,
                 existing_binaries: Iterable[str] | None = None, name: str = "caps") -> None:
        self.name = name
        self._caps: dict[str, QemuCaps] = {}
        #: why a binary has no capabilities (probe failures, libvirt's text)
        self.errors: dict[str, str] = {}
        self._dirs: list[str] = []
        self.allow_probe = allow_probe
        self.cache_dir = cache_dir
        self.host_arch = arch or host_arch()
        self.search_path = list(search_path) if search_path is not None else None
        #: when set, the only binaries that "exist" (fake hosts); else the filesystem
        self.existing_binaries = set(existing_binaries) if existing_binaries is not None else None
        self.host_caps: HostCaps | None = (parse_host_caps(host_caps)
                                           if isinstance(host_caps, str) else host_caps)
        for f in files:
            self.add(f)
        for d in dirs:
            self.add_dir(d)

    # -- registering -----------------------------------------------------------
    def add_caps(self, binary: str, caps: QemuCaps) -> None:
        self._caps[binary] = caps

    def add_file(self, path: str, binary: str | None = None) -> QemuCaps:
        """A ``<qemuCaps>`` file; it serves ``binary`` or, if not given, its
        own ``<emulator>``."""
        caps = parse_qemu_caps(path)
        key = binary or caps.emulator
        if not key:
            raise CapsError(f"capabilities file '{path}' names no <emulator>; give the binary "
                            "path it is for (BINARY=FILE)")
        self._caps[key] = caps
        return caps

    def add_dir(self, path: str) -> None:
        """A folder of cache files named ``sha256(binary).xml``."""
        if not os.path.isdir(path):
            raise CapsError(f"capabilities folder '{path}' does not exist")
        self._dirs.append(path)

    def add(self, spec: str) -> None:
        """``FILE``, ``DIR`` or ``BINARY=FILE`` (the CLI's ``--qemu-caps``)."""
        if "=" in spec and not os.path.exists(spec):
            binary, _, path = spec.partition("=")
            self.add_file(path, binary)
        elif os.path.isdir(spec):
            self.add_dir(spec)
        else:
            self.add_file(spec)

    # -- queries ---------------------------------------------------------------
    def for_binary(self, binary: str | None) -> QemuCaps | None:
        """The capabilities of ``binary``, or None when nothing knows it."""
        if not binary:
            return None
        caps = self._caps.get(binary)
        if caps is not None:
            return caps
        name = cache_file_name(binary)
        for d in self._dirs:
            path = os.path.join(d, name)
            if os.path.exists(path):
                caps = parse_qemu_caps(path)
                if caps.emulator and caps.emulator != binary:
                    continue  # libvirt: "Expected caps for '%s' but saw '%s'"
                self._caps[binary] = caps
                return caps
        if self.allow_probe and os.path.isfile(binary):
            try:
                caps = probe(binary, cache_dir=self.cache_dir)
            except CapsError as e:
                self.errors[binary] = e.message
                return None
            self._caps[binary] = caps
            return caps
        return None

    def known_binaries(self) -> list[str]:
        return list(self._caps)

    def _exists(self, path: str) -> bool:
        if self.existing_binaries is not None:
            return path in self.existing_binaries
        return os.path.isfile(path) and os.access(path, os.X_OK)

    def _find_in_path(self, name: str) -> str | None:
        if self.search_path is None and self.existing_binaries is None:
            return shutil.which(name)
        dirs = self.search_path if self.search_path is not None else ["/usr/bin"]
        for d in dirs:
            p = os.path.join(d, name)
            if self._exists(p):
                return p
        return None

    def default_emulator(self, guest_arch: str | None) -> str | None:
        """virQEMUCapsGetDefaultEmulator: the binary serving ``guest_arch``."""
        if not guest_arch:
            return None
        host = self.host_arch
        if host == "aarch64" and guest_arch == "armv7l":
            found = self._find_in_path("qemu-system-aarch64")
            if found:
                return found
        found = self._find_in_path("qemu-system-" + qemu_arch_name(guest_arch))
        if found:
            return found
        if _is_native(host, guest_arch):
            harch = "ppc64" if host == "ppc64le" else qemu_arch_name(host)
            found = self._find_in_path("qemu-system-" + harch)
            if found:
                return found
            if self._exists("/usr/libexec/qemu-kvm"):
                return "/usr/libexec/qemu-kvm"
        return None


def source_from_options(qemu_caps: Iterable[str] = (), host_caps: str | None = None,
                        profile: str | None = None, allow_probe: bool = True,
                        cache_dir: str | None = None) -> CapsSource:
    """Build a source from CLI-style options (``--qemu-caps`` FILE|DIR|BINARY=FILE,
    repeatable; ``--host-caps FILE``; ``--caps-profile NAME``)."""
    if profile:
        from .profile import profile as _profile

        src = _profile(profile).default_source()
    else:
        src = CapsSource(allow_probe=allow_probe, cache_dir=cache_dir)
    if host_caps:
        src.host_caps = parse_host_caps(host_caps)
    for spec in qemu_caps:
        src.add(spec)
    return src
