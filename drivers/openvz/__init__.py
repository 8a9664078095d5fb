"""libvirt's OpenVZ driver (``openvz:///system``, src/openvz/openvz_conf.c
and openvz_driver.c).

Parser config (``openvzDomainDefParserConfig``): feature NAME_SLASH, no
default arch (the host's), the default MAC prefix.  Callbacks:

* domain post-parse (``openvzDomainDefPostParse``): the (os type, arch,
  virt type) triple must be in the host capabilities (``could not find
  capabilities for ...``, fatal); os type ``exe`` without ``<init>`` gets
  ``/sbin/init`` (before the generic "init binary must be specified");
* device post-parse (``openvzDomainDeviceDefPostParse``): console target
  ``none`` → ``openvz``; hostdev mode capabilities → ``hostdev mode
  'capabilities' is not supported in openvz``; a ``default`` video model →
  ``vga`` for hvm guests, else ``parallels``.

No validate callbacks; at define time (``openvzDomainDefineXMLFlags``) a
newline in the name is refused (run in this driver's validation step,
after the generic checks).

Host capabilities: ``--host-caps FILE`` or the built-in ``openvz-test``
profile (``openvzCapsInit`` on an x86_64 host: an ``exe`` guest of the host
arch, domain type openvz; testdata/hosts/openvz-test.xml)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from drivers.common import check_domain_supported, host_caps_for, make_host_caps
from drivers.vmx.helpers import (after_generic_validation, check_name_newline, default_video_type, is_video,
                                 reject_capabilities_hostdev)
from postparse.chr import chr_kind, set_target_type, target_type
from postparse.driver import Driver, Feature, PostParseContext
from postparse.util import device_kind, get, os_type
from virtxml.caps.hostcaps import HostCaps

OPENVZ_INIT = "/sbin/init"


@lru_cache(maxsize=1)
def builtin_host_caps() -> HostCaps:
    return make_host_caps("x86_64", [("exe", "x86_64", 64, None, ["openvz"])])


class OpenvzDriver(Driver):
    name = "openvz"
    features = Feature.NAME_SLASH
    def_arch = None
    description = "libvirt's OpenVZ driver; host caps from --host-caps or openvz-test"

    def host_caps(self, ctx: PostParseContext) -> HostCaps:
        return host_caps_for(ctx, builtin_host_caps)

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        check_domain_supported(dom, self.host_caps(ctx))
        os_ = get(dom, "os")
        if os_type(dom) == "exe" and os_ is not None and not get(os_, "init"):
            os_.init = OPENVZ_INIT

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        if chr_kind(dev) == "console" and target_type(dev) in (None, "none"):
            set_target_type(dev, "openvz")
        if device_kind(dev) == "hostdev":
            reject_capabilities_hostdev(dom, dev)
        if is_video(dev):
            default_video_type(dev, "vga" if os_type(dom) == "hvm" else "parallels")

    def validate(self, dom: Any, ctx: PostParseContext) -> None:
        after_generic_validation(dom, ctx, lambda: check_name_newline(dom))


driver = OpenvzDriver()

__all__ = ["OpenvzDriver", "driver", "builtin_host_caps", "OPENVZ_INIT"]
