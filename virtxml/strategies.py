"""Hypothesis strategies that build valid :class:`~virtxml.model.Domain`
objects, valid by construction and written in terms of the model classes
(so they grow with the model).

Every object a strategy draws is already in the form libvirt's parser
produces (its *canonical* form: defaults filled, values normalised), so
binding the formatted XML gives an equal object::

    from hypothesis import given
    from virtxml import strategies as vs

    @given(vs.domains())
    def test_roundtrip(dom):
        assert virtxml.bind(etree.fromstring(virtxml.format(dom))) == dom

Public strategies: :func:`domains` and the parts it is made of
(:func:`names`, :func:`uuids`, :func:`memory_kib`, :func:`vcpus`,
:func:`os_types`, :func:`devices`, one per device kind, :func:`addresses`,
:func:`user_aliases`).  Needs ``hypothesis`` (a test dependency).
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from .model import Domain
from .model.domain import LIFECYCLE_ACTIONS
from .model.clock import TICKPOLICIES, TIMER_MODES, TIMER_NAMES, TRACKS, Catchup, Clock, Timer
from .model.cpu import Vcpu
from .model.devices import Devices
from .model.devices.hub import Hub
from .model.devices.input import Input
from .model.devices.iommu import IOMMU
from .model.devices.memballoon import Memballoon
from .model.devices.memory import MemoryDevice
from .model.devices.nvram import NVRAM
from .model.devices.panic import Panic
from .model.devices.rng import RNG
from .model.devices.shmem import Shmem
from .model.devices.sound import Sound
from .model.devices.tpm import TPM
from .model.devices.vsock import Vsock
from .model.devices.watchdog import Watchdog
from .model.devices.chardev import ChrSourceEl
from .model.devices.info import (ACPI, AddressCCW, AddressDIMM, AddressISA, AddressPCI, AddressSpaprVio, AddressUSB,
                                 Alias)
from .model.devices.iommu import IOMMU_MODELS, IOMMUDriver
from .model.devices.memballoon import MEMBALLOON_MODELS, MemballoonStats
from .model.devices.memory import MEMORY_ACCESS, MemoryLabel, MemorySource, MemoryTarget, format_bitmap
from .model.devices.panic import PANIC_MODELS
from .model.devices.rng import RNG_MODELS, RNGBackend, RNGRate, VirtioDriver
from .model.devices.sound import CODEC_TYPES, SOUND_MODELS, SoundCodec
from .model.devices.shmem import SHMEM_MODELS, SHMEM_ROLES, ShmemModel, ShmemMSI, ShmemServer
from .model.devices.tpm import (PCR_BANKS, TPM_MODELS, TPM_VERSIONS, TPMActivePCRBanks, TPMBackend, TPMDevice,
                                TPMEncryption, TPMSource)
from .model.devices.vsock import VSOCK_MODELS, VsockCID
from .model.devices.watchdog import WATCHDOG_ACTIONS, WATCHDOG_MODELS
from .model.memory import MemoryElement
from .model.os import OS, OSType

__all__ = [
    "domains", "names", "uuids", "memory_kib", "vcpus", "os_types", "devices", "addresses", "pci_addresses",
    "user_aliases", "paths", "virtio_drivers", "watchdogs", "memballoons", "rngs", "panics", "shmems",
    "memory_devices", "iommus", "vsocks", "tpms", "nvrams", "sounds", "hubs", "inputs", "usb_addresses", "timers",
    "clocks",
]

_U32 = (1 << 32) - 1
_SAFE = string.ascii_letters + string.digits + "-_."
_OPT = st.none


def _opt(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), s)


# ------------------------------------------------------------------ scalars

def names() -> st.SearchStrategy[str]:
    """Domain names: printable, no '/', no newline, no surrounding blanks."""
    return st.text(_SAFE, min_size=1, max_size=24)


def uuids() -> st.SearchStrategy[str]:
    """UUIDs in libvirt's canonical (lower-case, dashed) form."""
    return st.uuids().map(str)


def paths() -> st.SearchStrategy[str]:
    """Absolute, already sanitised file paths (no '//' or trailing '/')."""
    part = st.text(string.ascii_letters + string.digits + "_-.", min_size=1, max_size=10).filter(
        lambda p: p not in (".", ".."))
    return st.lists(part, min_size=1, max_size=4).map(lambda ps: "/" + "/".join(ps))


def memory_kib(min_kib: int = 1024, max_kib: int = 64 * 1024 * 1024) -> st.SearchStrategy[int]:
    return st.integers(min_kib, max_kib)


def user_aliases() -> st.SearchStrategy[Alias]:
    """User aliases (``ua-`` prefix), the only ones an INACTIVE parse keeps."""
    return st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=12).map(
        lambda s: Alias(name="ua-" + s))


# ---------------------------------------------------------------- addresses

def pci_addresses() -> st.SearchStrategy[AddressPCI]:
    """Non-empty PCI addresses (slot >= 1)."""
    return st.builds(AddressPCI, domain=st.integers(0, 0xFFFF), bus=st.integers(0, 0xFF),
                     slot=st.integers(1, 0x1F), function=st.integers(0, 7))


def addresses() -> st.SearchStrategy[Any]:
    """PCI or CCW addresses (fully specified)."""
    ccw = st.builds(AddressCCW, cssid=st.integers(0, 0xFE), ssid=st.integers(0, 3), devno=st.integers(0, 0xFFFF))
    return st.one_of(pci_addresses(), ccw)


def _info() -> dict[str, st.SearchStrategy[Any]]:
    """alias / acpi / address keyword strategies of a PCI-ish device."""
    return {"alias": _opt(user_aliases()), "acpi": _opt(st.builds(ACPI, index=st.integers(1, _U32))),
            "address": _opt(addresses())}


def virtio_drivers() -> st.SearchStrategy[VirtioDriver | None]:
    """``<driver>`` with at least one virtio option, or none."""
    onoff = _opt(st.booleans())
    return _opt(st.builds(VirtioDriver, iommu=onoff, ats=onoff, packed=onoff, page_per_vq=onoff).filter(
        lambda d: not d.is_empty()))


# ------------------------------------------------------------------ devices

def watchdogs() -> st.SearchStrategy[Watchdog]:
    return st.builds(Watchdog, model=st.sampled_from(WATCHDOG_MODELS), action=st.sampled_from(WATCHDOG_ACTIONS),
                     **_info())


def memballoons() -> st.SearchStrategy[Memballoon]:
    onoff = _opt(st.booleans())
    stats = _opt(st.builds(MemballoonStats, period=st.integers(1, 0x7FFFFFFF)))

    def build(model: str) -> st.SearchStrategy[Memballoon]:
        info = _info() if model != "none" else {}
        return st.builds(Memballoon, model=st.just(model), autodeflate=onoff, free_page_reporting=onoff,
                         stats=stats, driver=virtio_drivers(), **info)

    return st.sampled_from(MEMBALLOON_MODELS).flatmap(build)


def _rng_backends() -> st.SearchStrategy[RNGBackend]:
    random = st.builds(RNGBackend, model=st.just("random"), file=paths())
    builtin = st.just(RNGBackend(model="builtin"))
    egd = st.builds(lambda mode, path: RNGBackend(model="egd", type="unix",
                                                  sources=[ChrSourceEl(mode=mode, path=path)]),
                    st.sampled_from(("bind", "connect")), paths())
    return st.one_of(random, builtin, egd)


def rngs() -> st.SearchStrategy[RNG]:
    rate = _opt(st.builds(RNGRate, bytes=st.integers(1, _U32), period=_opt(st.integers(1, _U32))))
    return st.builds(RNG, model=st.sampled_from(RNG_MODELS), rate=rate, backend=_rng_backends(),
                     driver=virtio_drivers(), **_info())


def panics() -> st.SearchStrategy[Panic]:
    isa = st.builds(AddressISA, iobase=st.integers(1, 0xFFFF))
    return st.builds(Panic, model=st.sampled_from(PANIC_MODELS), alias=_opt(user_aliases()),
                     address=_opt(isa))


def shmems() -> st.SearchStrategy[Shmem]:
    def build(mtype: str) -> st.SearchStrategy[Shmem]:
        role = _opt(st.sampled_from(SHMEM_ROLES)) if mtype != "ivshmem" else st.none()
        server = _opt(st.builds(ShmemServer, path=_opt(paths())))
        return st.builds(
            _shmem, name=st.text(_SAFE, min_size=1, max_size=12), role=role, model=st.just(ShmemModel(type=mtype)),
            size=_opt(st.integers(1, 1 << 14).map(lambda m: m << 20)), server=server,
            msi=_opt(st.builds(ShmemMSI, vectors=_opt(st.integers(1, _U32)), ioeventfd=_opt(st.booleans()))),
            alias=_opt(user_aliases()), address=_opt(pci_addresses()))

    return st.sampled_from(SHMEM_MODELS).flatmap(build)


def _shmem(**kw: Any) -> Shmem:
    if kw.get("server") is None:
        kw["msi"] = None  # msi needs a server
    return Shmem(**kw)


def _nodemasks() -> st.SearchStrategy[str]:
    return st.sets(st.integers(0, 63), min_size=1, max_size=6).map(format_bitmap)


def memory_devices() -> st.SearchStrategy[MemoryDevice]:
    """dimm / nvdimm / virtio-pmem / virtio-mem / sgx-epc, each with only the
    parts libvirt reads for that model."""
    node = _opt(st.integers(0, 7))
    size = st.integers(1024, 1 << 24)
    common = {"access": _opt(st.sampled_from(MEMORY_ACCESS)), "discard": _opt(st.booleans()),
              "alias": _opt(user_aliases())}
    nm_page = st.builds(MemorySource, nodemask=_opt(_nodemasks()), pagesize=_opt(st.sampled_from((4, 2048, 1048576))))
    dimm = st.builds(MemoryDevice, model=st.just("dimm"), source=nm_page.map(_src_or_none),
                     target=st.builds(MemoryTarget, size=size, node=node),
                     address=_opt(st.builds(AddressDIMM, slot=st.integers(0, 255),
                                            base=_opt(st.integers(1, 1 << 40)))), **common)
    vmem = st.builds(MemoryDevice, model=st.just("virtio-mem"), source=nm_page.map(_src_or_none),
                     target=st.builds(lambda s, n, b, r: MemoryTarget(size=s, node=n, block=b,
                                                                      requested=(r if b else None)),
                                      size, node, _opt(st.sampled_from((2048, 4096))), st.integers(0, 1 << 20)),
                     address=_opt(pci_addresses()), **common)

    def nv_target(s: int, n: int | None, label: int | None, ro: bool) -> MemoryTarget:
        lab = MemoryLabel(size=label) if label is not None and label < s else None
        return MemoryTarget(size=s, node=n, label=lab, readonly=ro)

    nvdimm = st.builds(MemoryDevice, model=st.just("nvdimm"), uuid=_opt(uuids()),
                       source=st.builds(MemorySource, path=paths(), alignsize=_opt(st.sampled_from((2048, 4096))),
                                        pmem=st.booleans()),
                       target=st.builds(nv_target, size, node, _opt(st.integers(128, 512)), st.booleans()),
                       address=_opt(st.builds(AddressDIMM, slot=st.integers(0, 255))), **common)
    pmem = st.builds(MemoryDevice, model=st.just("virtio-pmem"), source=st.builds(MemorySource, path=paths()),
                     target=st.builds(MemoryTarget, size=size), address=_opt(pci_addresses()), **common)
    sgx = st.builds(MemoryDevice, model=st.just("sgx-epc"),
                    source=_opt(st.builds(MemorySource, nodemask=_nodemasks())),
                    target=st.builds(MemoryTarget, size=size, node=node), **common)
    return st.one_of(dimm, vmem, nvdimm, pmem, sgx)


def _src_or_none(s: MemorySource) -> MemorySource | None:
    return None if s.is_empty() else s


def iommus() -> st.SearchStrategy[IOMMU]:
    onoff = _opt(st.booleans())
    drv = _opt(st.builds(IOMMUDriver, intremap=onoff, caching_mode=onoff, eim=onoff, iotlb=onoff,
                         aw_bits=_opt(st.integers(1, 64))).filter(lambda d: not d.is_empty()))
    return st.builds(IOMMU, model=st.sampled_from(IOMMU_MODELS), driver=drv, alias=_opt(user_aliases()),
                     address=_opt(pci_addresses()))


def vsocks() -> st.SearchStrategy[Vsock]:
    cid = st.builds(VsockCID, auto=_opt(st.booleans()), address=_opt(st.integers(3, _U32))).filter(
        lambda c: not c.is_empty())
    return st.builds(Vsock, model=st.sampled_from(VSOCK_MODELS), cid=_opt(cid), driver=virtio_drivers(),
                     **_info())


def tpms() -> st.SearchStrategy[TPM]:
    banks = st.builds(TPMActivePCRBanks, **{b: st.booleans() for b in PCR_BANKS}).filter(lambda b: b.any())
    emulator = st.builds(TPMBackend, type=st.just("emulator"), version=_opt(st.sampled_from(TPM_VERSIONS)),
                         persistent_state=_opt(st.just(True)),
                         encryption=_opt(st.builds(TPMEncryption, secret=uuids())), active_pcr_banks=_opt(banks))
    passthrough = st.builds(TPMBackend, type=st.just("passthrough"), device=st.builds(TPMDevice, path=paths()))
    external = st.builds(TPMBackend, type=st.just("external"),
                         source=st.builds(TPMSource, type=st.just("unix"), mode=st.just("connect"),
                                          path=paths()))  # libvirt needs the socket path
    return st.builds(TPM, model=_opt(st.sampled_from(TPM_MODELS)), backend=st.one_of(emulator, passthrough, external),
                     alias=_opt(user_aliases()))


def nvrams() -> st.SearchStrategy[NVRAM]:
    return st.builds(NVRAM, address=_opt(st.builds(AddressSpaprVio, reg=st.integers(0, 0xFFFFFFFF))))


def usb_addresses() -> st.SearchStrategy[AddressUSB]:
    port = st.lists(st.integers(1, 15), min_size=1, max_size=4).map(tuple)
    return st.builds(AddressUSB, bus=st.integers(0, 7), port=_opt(port))


def sounds() -> st.SearchStrategy[Sound]:
    def build(model: str) -> st.SearchStrategy[Sound]:
        codecs = (st.lists(st.builds(SoundCodec, type=st.sampled_from(CODEC_TYPES)), max_size=2)
                  if model in ("ich6", "ich9") else st.just([]))
        addr = _opt(usb_addresses()) if model == "usb" else _opt(pci_addresses())
        return st.builds(Sound, model=st.just(model), codecs=codecs, alias=_opt(user_aliases()), address=addr)

    return st.sampled_from(SOUND_MODELS).flatmap(build)


def hubs() -> st.SearchStrategy[Hub]:
    return st.builds(Hub, type=st.just("usb"), alias=_opt(user_aliases()), address=_opt(usb_addresses()))


def inputs() -> st.SearchStrategy[Input]:
    """mouse/tablet/keyboard on the usb or virtio bus."""
    usb = st.builds(Input, type=st.sampled_from(("mouse", "tablet", "keyboard")), bus=st.just("usb"),
                    alias=_opt(user_aliases()), address=_opt(usb_addresses()))
    virtio = st.builds(Input, type=st.sampled_from(("mouse", "tablet", "keyboard")), bus=st.just("virtio"),
                       alias=_opt(user_aliases()), address=_opt(pci_addresses()))
    return st.one_of(usb, virtio)


def devices() -> st.SearchStrategy[Devices]:
    """A selection of devices (each kind optional; at most one watchdog and
    vsock, at most two TPMs, as libvirt's parser allows)."""
    few = 2
    return st.builds(
        Devices,
        emulator=_opt(paths()),
        inputs=st.lists(inputs(), max_size=few),
        tpms=st.lists(tpms(), max_size=few),
        sounds=st.lists(sounds(), max_size=few),
        hubs=st.lists(hubs(), max_size=few),
        watchdogs=st.lists(watchdogs(), max_size=1),
        memballoon=_opt(memballoons()),
        rngs=st.lists(rngs(), max_size=few),
        nvram=_opt(nvrams()),
        panics=st.lists(panics(), max_size=few),
        shmems=st.lists(shmems(), max_size=few),
        memories=st.lists(memory_devices(), max_size=few),
        iommu=_opt(iommus()),
        vsocks=st.lists(vsocks(), max_size=1),
    )


# ------------------------------------------------------------------- domain

def timers() -> st.SearchStrategy[Timer]:
    """Timers with only the attributes libvirt writes for their name."""

    def build(name: str) -> st.SearchStrategy[Timer]:
        u63 = st.integers(1, (1 << 63) - 1)
        catchup = _opt(st.builds(Catchup, threshold=_opt(u63), slew=_opt(u63), limit=_opt(u63)).filter(
            lambda c: c.threshold or c.slew or c.limit))
        return st.builds(Timer, name=st.just(name), present=_opt(st.booleans()),
                         tickpolicy=_opt(st.sampled_from(TICKPOLICIES)),
                         track=_opt(st.sampled_from(TRACKS)) if name in ("platform", "rtc") else st.none(),
                         frequency=_opt(u63) if name == "tsc" else st.none(),
                         mode=_opt(st.sampled_from(TIMER_MODES)) if name == "tsc" else st.none(),
                         catchup=catchup)

    return st.sampled_from(TIMER_NAMES).flatmap(build)


def clocks() -> st.SearchStrategy[Clock]:
    return st.builds(Clock, offset=st.sampled_from(("utc", "localtime")), timers=st.lists(timers(), max_size=3))


def vcpus() -> st.SearchStrategy[Vcpu]:
    def build(n: int) -> st.SearchStrategy[Vcpu]:
        return st.builds(Vcpu, placement=st.just("static"), count=st.just(n), current=st.integers(1, n),
                         cpuset=_opt(st.sets(st.integers(0, 63), min_size=1, max_size=8).map(
                             lambda s: tuple(sorted(s)))))

    return st.integers(1, 64).flatmap(build)


def os_types() -> st.SearchStrategy[OS]:
    t = st.builds(OSType, arch=st.sampled_from(("x86_64", "i686", "aarch64", "ppc64le", "s390x")),
                  machine=_opt(st.sampled_from(("pc", "q35", "virt", "pseries", "s390-ccw-virtio"))),
                  type=st.just("hvm"))
    return st.builds(OS, type=t)


def domains(driver: Any = None, *, options: dict[str, Any] | None = None,
            virt_types: tuple[str, ...] = ("kvm", "qemu", "test")) -> st.SearchStrategy[Domain]:
    """Whole definitions: type, name, uuid, title, description, memory, vcpu,
    os, clock, lifecycle actions, devices.

    With ``driver`` (a name or a Driver) and its ``options`` (capabilities:
    ``qemu_caps``, ``host_caps``, ``caps_profile``, ...), only definitions that
    driver's define accepts on that host are drawn, completed by its pipeline
    (defaults, addresses) as libvirt would store them; ``virt_types`` narrows
    the ``<domain type>`` drawn (e.g. ``("qemu",)`` for a host without KVM)."""

    def build(virt: str, name: str, uuid: str, mem: int, cur: int | None, vcpu: Vcpu, os_: OS,
              devs: Devices, clock: Clock, title: str | None, description: str | None,
              actions: tuple[str, str, str]) -> Domain:
        return Domain(type=virt, name=name, uuid=uuid, title=title, description=description,
                      memory=MemoryElement(unit="KiB", value=mem),
                      current_memory=None if cur is None else min(cur, mem), vcpu=vcpu, os=os_,
                      clock=clock, on_poweroff=actions[0], on_reboot=actions[1], on_crash=actions[2],
                      devices=devs)

    printable = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF), min_size=1, max_size=30)
    basic = LIFECYCLE_ACTIONS[:4]
    actions = st.tuples(st.sampled_from(basic), st.sampled_from(basic), st.sampled_from(LIFECYCLE_ACTIONS))
    raw = st.builds(build, st.sampled_from(virt_types), names(), uuids(), memory_kib(),
                    _opt(memory_kib()), vcpus(), os_types(), devices(), clocks(), _opt(printable),
                    _opt(printable.map(lambda t: t + "\n" + t)), actions)
    if driver is None:
        return raw
    return raw.map(lambda d: _accepted_by(d, driver, options)).filter(lambda d: d is not None)


def _accepted_by(dom: Domain, driver: Any, options: dict[str, Any] | None) -> Domain | None:
    """``dom`` as ``driver``'s define stores it, or None when it is refused."""
    from .builder import validate
    from .errors import VirtXMLError

    try:
        return validate(dom, driver=driver, options=dict(options or {}))
    except VirtXMLError:
        return None
