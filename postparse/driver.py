"""What a driver supplies to the post-parse engine.

A driver is a :class:`Driver` subclass: a parser config (feature set, default
arch, MAC prefix) plus callbacks.  The engine (``postparse.engine``) calls
them in libvirt's order and never asks which driver it runs.  A callback
signals a *tolerable* failure (libvirt's callbacks returning 1) by raising
:class:`virtxml.errors.PostParseTolerableError`, a fatal one by raising any
other :class:`virtxml.errors.VirtXMLError`.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:  # pragma: no cover
    from virtxml.model import Domain


class Feature(enum.Flag):
    """virDomainDefFeatures."""

    NONE = 0
    WIDE_SCSI = enum.auto()
    MEMORY_HOTPLUG = enum.auto()
    OFFLINE_VCPUPIN = enum.auto()
    NAME_SLASH = enum.auto()
    INDIVIDUAL_VCPUS = enum.auto()
    USER_ALIAS = enum.auto()
    NO_BOOT_ORDER = enum.auto()
    FW_AUTOSELECT = enum.auto()
    NET_MODEL_STRING = enum.auto()
    DISK_FD = enum.auto()


@attrs.define(kw_only=True)
class PostParseContext:
    """What every callback sees: the parse flags, the driver's private data
    for this run (QEMU: the capabilities of the emulator binary), and the
    options the caller gave (capability sources, qemu.conf, ...)."""

    flags: int = 0
    driver: "Driver"
    data: Any = None  # result of Driver.data_alloc (parseOpaque)
    options: dict[str, Any] = attrs.field(factory=dict)
    #: non-fatal failures recorded under ALLOW_POST_PARSE_FAIL
    failures: list[Any] = attrs.field(factory=list)


class Driver:
    """Base driver: no callbacks, no features.  Subclasses override."""

    name: str = "generic"
    features: Feature = Feature.NONE
    #: default arch when <os><type arch> is absent; None = host arch
    def_arch: str | None = None
    mac_prefix: str = "52:54:00"
    #: prefix of generated tap names dropped on INACTIVE parse (besides vnet/macvtap/macvlan)
    net_prefix: str | None = None
    #: the host arch to assume (used for the arch default when neither the
    #: document nor ``def_arch`` has one); None = the real host's
    #: (``platform.machine()`` mapped to libvirt's names).  A parse
    #: context's ``data["host_arch"]`` takes precedence.
    host_arch: str | None = None
    description: str = ""

    def has(self, feature: Feature) -> bool:
        # on the plain values: Flag's ``&`` builds a new member on every call
        try:
            return bool(self.features._value_ & feature._value_)
        except AttributeError:
            return bool(self.features & feature)

    def prepare_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The options of a run of many documents, with what depends only on
        them resolved once (a driver's capability source, its qemu.conf),
        so that each document does not resolve them again.  Returns the
        options to pass to every :func:`postparse.engine.post_parse`."""
        return dict(options)

    # -- post-parse callbacks, libvirt's order (see postparse.engine) --------
    def basic(self, dom: "Domain", ctx: PostParseContext) -> None:
        """domainPostParseBasicCallback."""

    def data_alloc(self, dom: "Domain", ctx: PostParseContext) -> Any:
        """domainPostParseDataAlloc: returns the per-run data (parseOpaque)."""
        return None

    def domain(self, dom: "Domain", ctx: PostParseContext) -> None:
        """domainPostParseCallback."""

    def device(self, dom: "Domain", dev: Any, ctx: PostParseContext) -> None:
        """devicesPostParseCallback, once per device."""

    def assign_addresses(self, dom: "Domain", ctx: PostParseContext) -> None:
        """assignAddressesCallback."""

    # -- validation (skipped with SKIP_VALIDATE) -------------------------------
    def validate(self, dom: "Domain", ctx: PostParseContext) -> None:
        """domainValidateCallback."""

    def device_validate(self, dom: "Domain", dev: Any, ctx: PostParseContext) -> None:
        """deviceValidateCallback."""

    # -- formatting ------------------------------------------------------------
    def migratable(self, dom: "Domain", ctx: PostParseContext) -> "Domain":
        """Driver rewrites for MIGRATABLE output on a re-parsed inactive copy."""
        return dom
