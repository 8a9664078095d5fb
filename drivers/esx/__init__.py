"""libvirt's VMware ESX/vCenter driver (``esx://host``, src/esx/esx_driver.c).

It parses with libvirt's VMX parser config (``virVMXDomainXMLConfInit``):
see :mod:`drivers.vmx` (MAC prefix 00:0c:29; WIDE_SCSI, NAME_SLASH,
FW_AUTOSELECT, NO_BOOT_ORDER; default arch i686; capabilities triple check;
``vmvga`` video default).

Define time (``esxDomainDefineXMLFlags``), as far as the XML decides it:
a newline in the name is refused; the definition is converted with
``virVMXFormatConfig`` at the host's default ``virtualHW.version``
(``ctx.options["vmx_hw_version"]``, default 7) with ESX's file name mapping
(``esxFormatVMXFileName``: a ``[datastore] path`` must have that form, an
absolute path is taken as is, anything else is ``Could not handle file
name '%s'``); then the ``.vmx`` location is deduced from the first
file-based hard disk (``Domain XML doesn't contain any disks ...``, ``...
any file-based harddisks ...``, ``First file-based harddisk has no source
...``, its datastore path form, ``Expecting source '%s' of first
file-based harddisk to be a VMDK image``).  Not reproduced: the lookups on
the ESX host (existing domain, datastores).

Host capabilities: ``--host-caps FILE`` or the built-in ``vmx-test`` profile
(the host of libvirt's vmx2xml tests: an i686 host with hvm guests i686
and x86_64, domain type vmware, like ``esxCapsInit`` for a host with long
mode support; testdata/hosts/vmx-test.xml)."""

from __future__ import annotations

from typing import Any

from drivers.vmx import VmxDriver
from drivers.vmx.format_checks import check_vmdk_source, first_file_harddisk_source
from virtxml.errors import ValidationError


def parse_datastore_path(path: str) -> tuple[str, str]:
    """esxUtil_ParseDatastorePath: ``[<datastore>] <path>`` → (datastore, path)."""
    if not path.startswith("[") or path[1:2] == "]" or "]" not in path[1:] or not path[1:].split("]")[0]:
        raise ValidationError("Datastore path '%s' doesn't have expected format '[<datastore>] <path>'"
                              % path)
    name, _, rest = path[1:].partition("]")
    return name, rest.strip()


def esx_file_name(path: str) -> None:
    """esxFormatVMXFileName, without the datastore lookups."""
    if path.startswith("["):
        parse_datastore_path(path)
    elif path.startswith("/"):
        return
    else:
        raise ValidationError("Could not handle file name '%s'" % path)


def check_vmx_location(dom: Any) -> None:
    src = first_file_harddisk_source(dom)
    parse_datastore_path(src)
    check_vmdk_source(src, src)


class EsxDriver(VmxDriver):
    name = "esx"
    description = "libvirt's VMware ESX driver (vmx parser config); host caps from --host-caps or vmx-test"

    def vmx_file_name(self, path: str) -> None:
        esx_file_name(path)

    def after_vmx(self, dom: Any, ctx: Any) -> None:
        check_vmx_location(dom)


driver = EsxDriver()

__all__ = ["EsxDriver", "driver", "esx_file_name", "parse_datastore_path", "check_vmx_location"]
