"""The ``<devices>`` container.  Field order is libvirt's output order
(virDomainDefFormatInternal): emulator, disks, controllers, leases, ..."""

from __future__ import annotations

from typing import Any, Iterator

from ...binding import custom_format, element, elements, text_element, xml
from .audio import Audio
from .chardev import Channel, Console, Parallel, Serial
from .controller import Controller
from .crypto import Crypto
from .disk import Disk
from .filesystem import Filesystem
from .graphics import Graphics
from .hostdev import Hostdev
from .hub import Hub
from .input import Input
from .interface import Interface
from .iommu import IOMMU
from .lease import Lease
from .memballoon import Memballoon
from .memory import MemoryDevice
from .nvram import NVRAM
from .panic import Panic
from .redirdev import Redirdev, RedirFilter
from .rng import RNG
from .shmem import Shmem
from .smartcard import Smartcard
from .sound import Sound
from .tpm import TPM
from .video import Video
from .vsock import Vsock
from .watchdog import Watchdog

#: (field name, XML tag) of every device list, in output order
DEVICE_LISTS: tuple[tuple[str, str], ...] = (
    ("disks", "disk"), ("controllers", "controller"), ("leases", "lease"),
    ("filesystems", "filesystem"), ("interfaces", "interface"), ("smartcards", "smartcard"),
    ("serials", "serial"), ("parallels", "parallel"), ("consoles", "console"),
    ("channels", "channel"), ("inputs", "input"), ("tpms", "tpm"), ("graphics", "graphics"),
    ("sounds", "sound"), ("audios", "audio"), ("videos", "video"), ("hostdevs", "hostdev"),
    ("redirdevs", "redirdev"), ("hubs", "hub"), ("watchdogs", "watchdog"),
    ("rngs", "rng"), ("panics", "panic"), ("shmems", "shmem"), ("memories", "memory"),
    ("vsocks", "vsock"), ("cryptos", "crypto"),
)


@xml("devices")
class Devices:
    __xml_locate_children__ = True  # their children are where errors point
    emulator: str | None = text_element("emulator")
    disks: list[Disk] = elements("disk", Disk)
    controllers: list[Controller] = elements("controller", Controller)
    leases: list[Lease] = elements("lease", Lease)
    filesystems: list[Filesystem] = elements("filesystem", Filesystem)
    interfaces: list[Interface] = elements("interface", Interface)
    smartcards: list[Smartcard] = elements("smartcard", Smartcard)
    serials: list[Serial] = elements("serial", Serial)
    parallels: list[Parallel] = elements("parallel", Parallel)
    consoles: list[Console] = elements("console", Console)
    channels: list[Channel] = elements("channel", Channel)
    inputs: list[Input] = elements("input", Input)
    tpms: list[TPM] = elements("tpm", TPM)
    graphics: list[Graphics] = elements("graphics", Graphics)
    sounds: list[Sound] = elements("sound", Sound)
    audios: list[Audio] = elements("audio", Audio)
    videos: list[Video] = elements("video", Video)
    hostdevs: list[Hostdev] = elements("hostdev", Hostdev)
    redirdevs: list[Redirdev] = elements("redirdev", Redirdev)
    redirfilter: RedirFilter | None = element("redirfilter", RedirFilter)
    hubs: list[Hub] = elements("hub", Hub)
    watchdogs: list[Watchdog] = elements("watchdog", Watchdog)
    memballoon: Memballoon | None = element("memballoon", Memballoon)
    rngs: list[RNG] = elements("rng", RNG)
    nvram: NVRAM | None = element("nvram", NVRAM)
    panics: list[Panic] = elements("panic", Panic)
    shmems: list[Shmem] = elements("shmem", Shmem)
    memories: list[MemoryDevice] = elements("memory", MemoryDevice)
    iommu: IOMMU | None = element("iommu", IOMMU)
    vsocks: list[Vsock] = elements("vsock", Vsock)
    cryptos: list[Crypto] = elements("crypto", Crypto)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        """libvirt always writes ``<devices>`` with separate open and close
        tags, even when empty."""
        start = len(out)
        self._xml_format_generated(out, ind, flags)
        if len(out) == start + 1 and out[start].rstrip().endswith("/>"):
            out[start] = ind + "<devices>\n"
            out.append(ind + "</devices>\n")

    def iter_devices(self) -> Iterator[Any]:
        """Every device object, in output order."""
        for name, _tag in DEVICE_LISTS:
            yield from getattr(self, name)
        for single in (self.redirfilter, self.memballoon, self.nvram, self.iommu):
            if single is not None:
                yield single


__all__ = ["Devices", "DEVICE_LISTS"] + [
    "Audio", "Channel", "Console", "Parallel", "Serial", "Controller", "Crypto", "Disk",
    "Filesystem", "Graphics", "Hostdev", "Hub", "Input", "Interface", "IOMMU", "Lease",
    "Memballoon", "MemoryDevice", "NVRAM", "Panic", "Redirdev", "RedirFilter", "RNG", "Shmem",
    "Smartcard", "Sound", "TPM", "Video", "Vsock", "Watchdog",
]
