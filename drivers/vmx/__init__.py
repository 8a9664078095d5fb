"""libvirt's VMX parser config (src/vmx/vmx.c, ``virVMXDomainDefParserConfig``),
shared by the esx driver (which parses with it) and the vmware driver
(which parses with its own config, vmware_driver.c, but the same callbacks
and the same ``.vmx`` conversion at define time).

Parser config: MAC prefix ``00:0c:29``; features WIDE_SCSI, NAME_SLASH,
FW_AUTOSELECT, NO_BOOT_ORDER; default arch i686.  Callbacks:

* domain post-parse (``virVMXDomainDefPostParse``): the (os type, arch,
  virt type) triple must be in the host capabilities
  (``could not find capabilities for ...``, fatal);
* device post-parse (``virVMXDomainDevicesDefPostParse``): a ``default``
  video model becomes ``vmvga``.

No validate callbacks.  At define time the driver then converts the
definition to a ``.vmx`` file (``virVMXFormatConfig``) after refusing a
name with a newline; virtxml runs both in this driver's validation step
(:mod:`drivers.vmx.format_checks`), after the generic validation checks, as
libvirt does.

Host capabilities: ``ctx.options["host_caps"]`` (``--host-caps FILE``), else
the built-in ``vmx-test`` profile, the host of libvirt's vmx2xml/xml2vmx
tests: an i686 host that runs hvm guests of arch i686 and x86_64 with
domain type ``vmware`` (testdata/hosts/vmx-test.xml).

Options: ``ctx.options["vmx_hw_version"]`` (int, default 7) — the
``virtualHW.version`` the conversion writes (NIC limit 4 below 7, else 10).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from drivers.common import check_domain_supported, host_caps_for, make_host_caps
from postparse.driver import Driver, Feature, PostParseContext
from virtxml.caps.hostcaps import HostCaps

from .format_checks import check_vmx_format, first_file_harddisk_source
from .helpers import after_generic_validation, check_name_newline, default_video_type, is_video

VMX_MAC_PREFIX = "00:0c:29"
VMX_FEATURES = Feature.WIDE_SCSI | Feature.NAME_SLASH | Feature.FW_AUTOSELECT | Feature.NO_BOOT_ORDER
VMX_DEF_ARCH = "i686"
DEFAULT_HW_VERSION = 7


@lru_cache(maxsize=1)
def builtin_host_caps() -> HostCaps:
    """tests/vmx2xmltest.c ``testCapsInit``: host i686; hvm guests i686
    (wordsize 32) and x86_64 (wordsize 64), domain type vmware."""
    return make_host_caps("i686", [
        ("hvm", "i686", 32, None, ["vmware"]),
        ("hvm", "x86_64", 64, None, ["vmware"]),
    ])


class VmxDriver(Driver):
    """The callbacks shared by vmware and esx; parser config of vmx.c."""

    name = "vmx"
    features = VMX_FEATURES
    def_arch = VMX_DEF_ARCH
    mac_prefix = VMX_MAC_PREFIX
    description = "libvirt's VMX parser config (vmx.c)"

    def host_caps(self, ctx: PostParseContext) -> HostCaps:
        return host_caps_for(ctx, builtin_host_caps)

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        check_domain_supported(dom, self.host_caps(ctx))

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        if is_video(dev):
            default_video_type(dev, "vmvga")

    def hw_version(self, ctx: PostParseContext) -> int:
        return int((ctx.options or {}).get("vmx_hw_version", DEFAULT_HW_VERSION))

    def vmx_file_name(self, path: str) -> None:
        """The driver's ``formatFileName`` hook (file names as they are)."""

    def after_vmx(self, dom: Any, ctx: PostParseContext) -> None:
        """Driver-specific define-time checks after the .vmx conversion."""

    def define_steps(self, dom: Any, ctx: PostParseContext) -> None:
        check_name_newline(dom)
        check_vmx_format(dom, wide_scsi=self.has(Feature.WIDE_SCSI), hw_version=self.hw_version(ctx),
                         file_name=self.vmx_file_name)
        self.after_vmx(dom, ctx)

    def validate(self, dom: Any, ctx: PostParseContext) -> None:
        """No validate callback in libvirt: the define-time steps of the
        vmware/esx drivers, after the generic validation (see module doc)."""
        after_generic_validation(dom, ctx, lambda: self.define_steps(dom, ctx))


__all__ = ["VmxDriver", "VMX_MAC_PREFIX", "VMX_FEATURES", "VMX_DEF_ARCH", "builtin_host_caps",
           "check_vmx_format", "first_file_harddisk_source"]
