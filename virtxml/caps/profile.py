"""Built-in capability profiles.

``libvirt-test`` is the fake host of libvirt's QEMU test suite, assembled at
run time from the corpus file ``facts.json`` (``test_environment``) exactly
as its ``how_caps_are_built`` describes.  The facts are read from the corpus
(never copied into the project); without the file the profile is unavailable.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Iterable

import orjson

from .qemucaps import AccelCaps, CapsError, GicCap, MachineType, QemuCaps, parse_qemu_caps
from .source import CapsSource

PROFILES = ("libvirt-test",)


def _corpus_dir() -> str:
    env = os.environ.get("VIRTXML_CORPUS")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))  # project root
    return os.path.normpath(os.path.join(root, "..", "shared", "corpus", "libvirt-9.0.0"))


class LibvirtTestProfile:
    """libvirt's qemuxml2xml/qemuxml2argv fake host (x86_64 Linux)."""

    name = "libvirt-test"

    def __init__(self, corpus: str | None = None) -> None:
        self.corpus = corpus or _corpus_dir()
        path = os.path.join(self.corpus, "facts.json")
        try:
            with open(path, "rb") as fh:
                facts = orjson.loads(fh.read())
        except OSError as e:
            raise CapsError(f"capability profile 'libvirt-test' is unavailable: cannot read "
                            f"{path}: {e.strerror}") from None
        env = facts["test_environment"]
        self.flag_names: dict[str, str] = facts["qemu_caps_flags"]
        self.emulators: dict[str, str] = env["emulators"]
        self.machines: dict[str, list[str]] = env["machines_by_emulator_arch"]
        self.arch_alias: dict[str, str] = env.get("arch_alias", {})
        self.default_ram_id: dict[str, str] = env.get("default_ram_id", {})
        self.host_arch = "x86_64"

    # -- helpers -----------------------------------------------------------------
    def flag(self, name: str) -> str:
        """QEMU_CAPS_X -> cache flag string."""
        try:
            return self.flag_names[name]
        except KeyError:
            raise CapsError(f"unknown QEMU capability flag '{name}'") from None

    def _machines_for(self, arch: str) -> list[str]:
        emu = self.emulators.get(arch)
        if emu is None:
            return []
        key = os.path.basename(emu).removeprefix("qemu-system-")
        return list(self.machines.get(key, []))

    def _fake(self, base: QemuCaps, arch: str, host_os: str) -> QemuCaps:
        caps = base.copy()
        caps.arch = arch
        ram = self.default_ram_id.get(arch) if caps.version >= 5002000 else None

        def mk() -> list[MachineType]:
            return [MachineType(name=n, numa_mem_supported=True, default_ram_id=ram)
                    for n in self._machines_for(arch)]

        names = self._machines_for(arch)
        if names:
            caps.accels.setdefault("tcg", AccelCaps()).machines.extend(mk())
            caps.set_flag("tcg")
            if host_os == "macos":
                if arch in ("x86_64", "aarch64"):
                    caps.accels.setdefault("hvf", AccelCaps()).machines.extend(mk())
                    caps.set_flag("hvf")
            else:
                caps.accels.setdefault("kvm", AccelCaps()).machines.extend(mk())
                caps.set_flag("kvm")
        return caps

    def _source(self, name: str) -> CapsSource:
        return CapsSource(allow_probe=False, arch=self.host_arch, search_path=["/usr/bin"],
                          existing_binaries=self.emulators.values(), name=name)

    def source_for_flags(self, flags: Iterable[str] = (), *, gic: int = 0,
                         host_os: str | None = None) -> CapsSource:
        """kind none / flags: a copy per emulator with fake machines.

        The per-emulator capabilities are built once per (flags, gic, host)
        and shared by every source built for that key: nothing mutates a
        QemuCaps after it is registered (the driver only reads them)."""
        flags = tuple(flags)
        key = (flags, gic, host_os or "linux")
        cache: dict[Any, list[tuple[str, QemuCaps]]] = self.__dict__.setdefault("_flags_cache", {})
        built = cache.get(key)
        if built is None:
            base = QemuCaps(origin="libvirt-test")
            for f in flags:
                base.set_flag(self.flag(f) if f.startswith(("QEMU_CAPS_", "X_QEMU_CAPS_")) else f)
            _set_gic(base, gic)
            built = [(emu, self._fake(base, arch, host_os or "linux"))
                     for arch, emu in self.emulators.items()]
            if len(cache) > 64:
                cache.clear()
            cache[key] = built
        src = self._source("libvirt-test")
        for emu, caps in built:
            src.add_caps(emu, caps)
        return src

    def source_for_real(self, arch: str, version: str, file: str | None = None,
                        flags: Iterable[str] = (), gic: int = 0) -> CapsSource:
        """kind real: the caps file for arch/version (highest for 'latest')."""
        path = os.path.join(self.corpus, file) if file else self._caps_file(arch, version)
        caps = parse_qemu_caps(path)
        caps.origin = path
        for f in flags:
            caps.set_flag(self.flag(f) if f.startswith(("QEMU_CAPS_", "X_QEMU_CAPS_")) else f)
        _set_gic(caps, gic)
        if version == "latest":
            caps.strip_machine_aliases()
        src = self._source("libvirt-test")
        target = self.arch_alias.get(arch, arch)
        if not caps.has_machines():
            caps = self._fake(caps, target, "linux")
        for a, emu in self.emulators.items():
            if a == target:
                src.add_caps(emu, caps)
            else:
                src.add_caps(emu, QemuCaps(origin="libvirt-test:empty"))
        return src

    def _caps_file(self, arch: str, version: str) -> str:
        d = os.path.join(self.corpus, "qemucapabilitiesdata")
        if version != "latest":
            return os.path.join(d, f"caps_{version}.{arch}.xml")
        best: tuple[tuple[int, ...], str] | None = None
        for fn in os.listdir(d):
            if fn.startswith("caps_") and fn.endswith(f".{arch}.xml"):
                ver = fn[5:-len(f".{arch}.xml")]
                try:
                    key = tuple(int(x) for x in ver.split("."))
                except ValueError:
                    continue
                if best is None or key > best[0]:
                    best = (key, fn)
        if best is None:
            raise CapsError(f"no capabilities file for arch '{arch}'")
        return os.path.join(d, best[1])

    def for_case(self, caps: dict[str, Any], args: list[str] | None = None,
                 host_os: str | None = None) -> CapsSource:
        """The source libvirt's harness used for a manifest case (cached:
        the driver only reads capabilities, so equal cases share one)."""
        key = orjson.dumps([caps, args or [], host_os], option=orjson.OPT_SORT_KEYS)
        cache: dict[bytes, CapsSource] = self.__dict__.setdefault("_case_cache", {})
        src = cache.get(key)
        if src is None:
            src = self._for_case(caps, args, host_os)
            if len(cache) > 64:
                cache.clear()
            cache[key] = src
        return src

    def _for_case(self, caps: dict[str, Any], args: list[str] | None = None,
                  host_os: str | None = None) -> CapsSource:
        kind = caps.get("kind")
        full = parse_full_args(args or [])
        gic = full["gic"]
        if kind == "real":
            return self.source_for_real(caps["arch"], caps["version"], caps.get("file"),
                                        list(caps.get("flags", [])) + full["flags"], gic)
        if kind in ("none", "flags", "full"):
            return self.source_for_flags(list(caps.get("flags", [])) + full["flags"], gic=gic,
                                         host_os=host_os)
        raise CapsError(f"unknown capability kind '{kind}'")

    def default_source(self) -> CapsSource:
        return self.source_for_flags(())


GIC_VALUES = {"GIC_NONE": 0, "GIC_V2": 1, "GIC_V3": 2, "GIC_BOTH": 3}


def _set_gic(caps: QemuCaps, gic: int) -> None:
    """testQemuCapsSetGIC: v2 and/or v3, both kernel and emulated."""
    if not gic:
        return
    caps.gic = []
    if gic & 1:
        caps.gic.append(GicCap(version=2, kernel=True, emulated=True))
    if gic & 2:
        caps.gic.append(GicCap(version=3, kernel=True, emulated=True))


def parse_full_args(args: list[str]) -> dict[str, Any]:
    """The argument list of a ``kind: full`` case (DO_TEST_FULL's varargs):
    returns ``flags`` (QEMU_CAPS_* names), ``gic``, ``parse_flags`` (names),
    ``when`` (WHEN_BOTH / WHEN_INACTIVE / WHEN_ACTIVE or None)."""
    out: dict[str, Any] = {"flags": [], "gic": 0, "parse_flags": [], "when": None}
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("WHEN_BOTH", "WHEN_INACTIVE", "WHEN_ACTIVE"):
            out["when"] = a
        elif a == "ARG_QEMU_CAPS":
            i += 1
            while i < len(args) and args[i] != "QEMU_CAPS_LAST":
                out["flags"].append(args[i])
                i += 1
        elif a == "ARG_GIC":
            i += 1
            out["gic"] = GIC_VALUES.get(args[i], 0) if i < len(args) else 0
        elif a == "ARG_PARSEFLAGS":
            i += 1
            if i < len(args):
                out["parse_flags"].extend(p.strip() for p in args[i].split("|"))
        i += 1
    return out


@functools.lru_cache(maxsize=4)
def _load(name: str, corpus: str | None) -> LibvirtTestProfile:
    if name == "libvirt-test":
        return LibvirtTestProfile(corpus)
    raise CapsError(f"unknown capability profile '{name}'; known profiles: {', '.join(PROFILES)}")


def profile(name: str, corpus: str | None = None) -> LibvirtTestProfile:
    """A built-in profile by name (``libvirt-test``)."""
    return _load(name, corpus)
