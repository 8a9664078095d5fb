"""libvirt's VMware Workstation/Player/Fusion driver (``vmwarews:///session``,
src/vmware/vmware_driver.c).

Parser config (``vmwareDomainDefParserConfig``): default arch i686, no
features, the default MAC prefix (52:54:00; libvirt sets none for this
driver).  Callbacks, the same as vmx.c's (:class:`drivers.vmx.VmxDriver`):
the capabilities triple check in domain post-parse and ``vmvga`` for a
``default`` video model.  No validate callbacks; at define time
(``vmwareDomainDefineXMLFlags``) a newline in the name is refused, the
definition is converted with ``virVMXFormatConfig(..., virtualHW 7)`` (file
names kept as they are) and the .vmx path is deduced from the first
file-based hard disk (``vmwareVmxPath``: ``Domain XML doesn't contain any
disks ...``, ``path '%s' doesn't reference a file``, ``Expecting source
'%s' of first file-based harddisk to be a VMDK image``): these refusals are
this driver's validation step (:mod:`drivers.vmx.format_checks`; SCSI
addresses are verified with the narrow layout, as libvirt does with this
driver's xmlopt).

Host capabilities: ``--host-caps FILE`` or the built-in ``vmware-test``
profile (``vmwareCapsInit`` on an x86_64 host: hvm guests i686 and x86_64,
domain type vmware; testdata/hosts/vmware-test.xml)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from drivers.common import host_caps_for, make_host_caps
from drivers.vmx import VMX_DEF_ARCH, VmxDriver
from drivers.vmx.format_checks import check_vmdk_source, first_file_harddisk_source
from postparse.driver import Feature, PostParseContext
from virtxml.caps.hostcaps import HostCaps
from virtxml.errors import ValidationError


@lru_cache(maxsize=1)
def builtin_host_caps() -> HostCaps:
    return make_host_caps("x86_64", [
        ("hvm", "i686", 32, None, ["vmware"]),
        ("hvm", "x86_64", 64, None, ["vmware"]),
    ])


class VmwareDriver(VmxDriver):
    name = "vmware"
    features = Feature.NONE
    def_arch = VMX_DEF_ARCH
    mac_prefix = "52:54:00"
    description = "libvirt's VMware Workstation/Player driver; host caps from --host-caps or vmware-test"

    def host_caps(self, ctx: PostParseContext) -> HostCaps:
        return host_caps_for(ctx, builtin_host_caps)

    def hw_version(self, ctx: Any) -> int:
        return 7  # vmwareDomainDefineXMLFlags always writes virtualHW.version 7

    def after_vmx(self, dom: Any, ctx: Any) -> None:
        """vmwareVmxPath: the .vmx goes next to the first file-based hard disk."""
        src = first_file_harddisk_source(dom)
        sep = src.rfind("/")
        if sep >= 0 and sep == len(src) - 1:
            raise ValidationError("path '%s' doesn't reference a file" % src)
        check_vmdk_source(src, src[sep + 1:])


driver = VmwareDriver()

__all__ = ["VmwareDriver", "driver", "builtin_host_caps"]
