"""libvirt's LXC driver (lxc:///system, src/lxc/lxc_domain.c) on the
post-parse Driver interface (behaviour §9).

Parser config: no features, no default arch (host arch), default MAC
prefix.  Callbacks:

* domain post-parse (``virLXCDomainDefPostParse``): the (os type, arch,
  virt type) triple must be in the host capabilities
  (``could not find capabilities for ...``, fatal); no ``<emulator>`` →
  the emulator of the matching capabilities guest (``libvirt_lxc``);
* device post-parse (``virLXCDomainDeviceDefPostParse``): a console with
  target type ``none`` (or none given) gets target type ``lxc``.

No driver validation callbacks (the generic checks apply; os type ``exe``
needs ``<init>``, from the generic post-parse).

Host capabilities: ``ctx.options["host_caps"]`` (``--host-caps FILE``), else
the built-in ``lxc-test`` profile: libvirt's LXC test host
(tests/testutilslxc.c), see :func:`builtin_host_caps`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from drivers.common import check_domain_supported, host_caps_for, make_host_caps, set_default_emulator
from postparse.driver import Driver, Feature, PostParseContext
from virtxml.caps.hostcaps import HostCaps

LXC_EMULATOR = "/usr/libexec/libvirt_lxc"


@lru_cache(maxsize=1)
def builtin_host_caps() -> HostCaps:
    """libvirt's LXC test host: an x86_64 host that runs ``exe`` guests of
    arch i686 (wordsize 32) and x86_64 (wordsize 64), both with emulator
    ``/usr/libexec/libvirt_lxc`` and domain type ``lxc``
    (testdata/hosts/lxc-test.xml is the same document)."""
    return make_host_caps("x86_64", [
        ("exe", "i686", 32, LXC_EMULATOR, ["lxc"]),
        ("exe", "x86_64", 64, LXC_EMULATOR, ["lxc"]),
    ])


def host_caps(ctx: PostParseContext) -> HostCaps:
    return host_caps_for(ctx, builtin_host_caps)


class LxcDriver(Driver):
    name = "lxc"
    features = Feature.NONE
    def_arch = None
    description = "libvirt's LXC driver (lxc:///system); host caps from --host-caps or the lxc-test profile"

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        caps = host_caps(ctx)
        check_domain_supported(dom, caps)
        set_default_emulator(dom, caps)

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        from postparse.chr import chr_kind, set_target_type, target_type

        if chr_kind(dev) == "console" and target_type(dev) in (None, "none"):
            set_target_type(dev, "lxc")


driver = LxcDriver()

__all__ = ["LxcDriver", "driver", "builtin_host_caps", "host_caps", "LXC_EMULATOR"]
