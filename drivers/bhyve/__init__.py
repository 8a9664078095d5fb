"""libvirt's bhyve driver (bhyve:///system, src/bhyve/bhyve_domain.c and
bhyve_device.c of libvirt 9.0) on the post-parse Driver interface
(behaviour §9).

Parser config: feature FW_AUTOSELECT; no default arch (host arch), default
MAC prefix.  Callbacks, in libvirt's order:

* domain post-parse (``bhyveDomainDefPostParse``): the (os type, arch,
  virt type) triple must be in the host capabilities (``could not find
  capabilities for ...``, fatal); a ``pci-root`` controller index 0 is
  added; an ISA controller index 0 is added when the guest boots from a
  ``<loader>`` without ``<bootloader>``, uses EFI firmware autoselection,
  has serials or consoles, or has both graphics and video;
* device post-parse (``bhyveDomainDeviceDefPostParse``): a disk without
  address must have a parseable target name (``Unknown disk name '%s' and
  no address specified``); a SATA disk without address gets drive address
  controller = index/32, unit = index%32 with the AHCI32SLOT bhyve
  capability (controller = index, unit 0 without it); a pci-root /
  pcie-root controller with index ≠ 0 is an error (``pci-root and
  pcie-root controllers should have index 0``); video type ``default`` →
  ``gop``; an ``nmdm`` character device without master gets
  ``/dev/nmdm<uuid>A`` / ``/dev/nmdm<uuid>B``;
* address assignment (``bhyveDomainAssignAddresses``): PCI addresses on
  bus 0 (pci-root), see :mod:`drivers.bhyve.addresses`;
* device validation (``bhyveDomainDeviceDefValidate``): an ISA controller
  with index ≠ 0 is refused (libvirt reports no message:
  ``An error occurred, but the cause is unknown``).

Host capabilities: ``ctx.options["host_caps"]`` (``--host-caps FILE``), else
the built-in ``bhyve-test`` profile (libvirt's ``virBhyveCapsBuild``: guest
hvm/x86_64, emulator ``bhyve``, domain type bhyve).  bhyve's own capability
flags (what ``bhyve -h`` reports) come from ``ctx.options["bhyve_caps"]``
(an iterable of names from :data:`BHYVE_CAPS`, or a profile name of
:data:`BHYVE_CAPS_PROFILES`) or ``--caps-profile`` naming such a profile;
default :data:`DEFAULT_BHYVE_CAPS`.  Only AHCI32SLOT changes post-parse."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

from drivers.common import check_domain_supported, host_caps_for, make_host_caps
from postparse.driver import Driver, Feature, PostParseContext
from postparse.util import devlist, get
from virtxml.caps.hostcaps import HostCaps
from virtxml.errors import PostParseError, ValidationError

#: virBhyveCapsFlags of libvirt 9.0 (bhyve_capabilities.h), in bit order
BHYVE_CAPS: tuple[str, ...] = (
    "RTC_UTC", "AHCI32SLOT", "NET_E1000", "LPC_BOOTROM", "FBUF", "XHCI", "CPUTOPOLOGY",
    "SOUND_HDA", "VNC_PASSWORD", "VIRTIO_9P",
)

#: the flags libvirt's bhyvexml2xml test runs with (tests/bhyvexml2xmltest.c)
DEFAULT_BHYVE_CAPS: frozenset[str] = frozenset({"AHCI32SLOT"})

#: named flag sets (``options["bhyve_caps"]`` or ``--caps-profile NAME``):
#: the test programs' setups of libvirt 9.0
BHYVE_CAPS_PROFILES: dict[str, frozenset[str]] = {
    # bhyvexml2xmltest.c
    "bhyve-test": DEFAULT_BHYVE_CAPS,
    # bhyvexml2xmltest.c, "the same without 32 devs per controller support"
    "bhyve-test-no32devs": frozenset(),
    # bhyvexml2argvtest.c
    "bhyve-argv-test": frozenset(BHYVE_CAPS),
}

#: libvirt's message when a callback fails without reporting an error
UNKNOWN_ERROR = "An error occurred, but the cause is unknown"


@lru_cache(maxsize=1)
def builtin_host_caps() -> HostCaps:
    """libvirt's bhyve host capabilities (virBhyveCapsBuild) on an x86_64
    host: one guest, os type hvm, arch x86_64, emulator ``bhyve``, domain
    type ``bhyve`` (testdata/hosts/bhyve-test.xml is the same document)."""
    return make_host_caps("x86_64", [("hvm", "x86_64", 64, "bhyve", ["bhyve"])])


def host_caps(ctx: PostParseContext) -> HostCaps:
    return host_caps_for(ctx, builtin_host_caps)


def bhyve_caps(ctx: PostParseContext | None) -> frozenset[str]:
    """The bhyve capability flags of this run: ``options["bhyve_caps"]``
    (flag names, or the name of one of :data:`BHYVE_CAPS_PROFILES`), else
    ``options["caps_profile"]`` when it names a bhyve profile, else
    :data:`DEFAULT_BHYVE_CAPS`."""
    from virtxml.errors import UsageError

    opts = getattr(ctx, "options", None) or {}
    val: str | Iterable[str] | None = opts.get("bhyve_caps")
    if val is None:
        prof = opts.get("caps_profile")
        return BHYVE_CAPS_PROFILES.get(prof, DEFAULT_BHYVE_CAPS) if isinstance(prof, str) \
            else DEFAULT_BHYVE_CAPS
    if isinstance(val, str):
        if val not in BHYVE_CAPS_PROFILES:
            raise UsageError(f"unknown bhyve capability profile '{val}'; known: "
                             f"{', '.join(BHYVE_CAPS_PROFILES)}")
        return BHYVE_CAPS_PROFILES[val]
    flags = frozenset(str(v).upper().removeprefix("BHYVE_CAP_") for v in val)
    unknown = flags - set(BHYVE_CAPS)
    if unknown:
        raise UsageError(f"unknown bhyve capability flags: {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(BHYVE_CAPS)}")
    return flags


# ---------------------------------------------------------------- helpers
def _kind(dev: Any) -> str:
    return getattr(type(dev), "__xml_tag__", "")


def needs_isa_controller(dom: Any) -> bool:
    """bhyveDomainDefNeedsISAController (libvirt 9.0: no arch test)."""
    os_ = get(dom, "os")
    if get(dom, "bootloader") is None and get(os_, "loader") is not None:
        return True
    if get(os_, "firmware") == "efi":
        return True
    if devlist(dom, "serials") or devlist(dom, "consoles"):
        return True
    if devlist(dom, "graphics") and devlist(dom, "videos"):
        return True
    return False


def _uuid(dom: Any) -> str:
    return str(get(dom, "uuid") or "")


def disk_assign_address(disk: Any, caps: frozenset[str]) -> None:
    """bhyveDomainDiskDefAssignAddress."""
    from postparse.disks import disk_name_to_index, target_bus, target_dev
    from virtxml.model.devices.info import AddressDrive

    dst = target_dev(disk)
    idx = disk_name_to_index(dst)
    if idx < 0:
        raise PostParseError(f"Unknown disk name '{dst}' and no address specified")
    if target_bus(disk) == "sata":
        if "AHCI32SLOT" in caps:
            controller, unit = idx // 32, idx % 32
        else:
            controller, unit = idx, 0
        disk.address = AddressDrive(controller=controller, bus=0, target=0, unit=unit)


def nmdm_defaults(dom: Any, dev: Any) -> None:
    if get(dev, "type") != "nmdm":
        return
    srcs = get(dev, "sources")
    if srcs is None:
        return
    if not srcs:
        from virtxml.model.devices.chardev import ChrSourceEl

        srcs.append(ChrSourceEl())
    src = srcs[0]
    if not src.master:
        uuid = _uuid(dom)
        src.master = f"/dev/nmdm{uuid}A"
        src.slave = f"/dev/nmdm{uuid}B"


# ---------------------------------------------------------------- the driver
class BhyveDriver(Driver):
    name = "bhyve"
    features = Feature.FW_AUTOSELECT
    def_arch = None
    description = ("libvirt's bhyve driver (bhyve:///system); host caps from --host-caps or the "
                   "bhyve-test profile")

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        from postparse.implicit import maybe_add_controller

        check_domain_supported(dom, host_caps(ctx))
        maybe_add_controller(dom, "pci", 0, "pci-root")
        if needs_isa_controller(dom):
            maybe_add_controller(dom, "isa", 0)

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        kind = _kind(dev)
        if kind == "disk":
            if get(dev, "address") is None:
                disk_assign_address(dev, bhyve_caps(ctx))
        elif kind == "controller":
            if (get(dev, "type") == "pci" and get(dev, "model") in ("pci-root", "pcie-root")
                    and (get(dev, "index") or 0) != 0):
                raise PostParseError("pci-root and pcie-root controllers should have index 0")
        elif kind == "video":
            model = get(dev, "model")
            if model is not None and get(model, "type") == "default":
                model.type = "gop"
        elif kind in ("serial", "parallel", "console", "channel"):
            nmdm_defaults(dom, dev)

    def assign_addresses(self, dom: Any, ctx: PostParseContext) -> None:
        from .addresses import assign_addresses

        assign_addresses(dom)

    def device_validate(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        if _kind(dev) == "controller" and get(dev, "type") == "isa" and (get(dev, "index") or 0) != 0:
            raise ValidationError(UNKNOWN_ERROR)


driver = BhyveDriver()

__all__ = ["BhyveDriver", "driver", "builtin_host_caps", "host_caps", "bhyve_caps", "BHYVE_CAPS",
           "DEFAULT_BHYVE_CAPS", "BHYVE_CAPS_PROFILES", "needs_isa_controller"]
