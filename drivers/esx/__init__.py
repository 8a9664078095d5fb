"""libvirt's VMware ESX/vCenter driver (``esx://host``, src/esx/esx_driver.c).

It parses with libvirt's VMX parser config (``virVMXDomainXMLConfInit``):
see :mod:`drivers.vmx` (MAC prefix 00:0c:29; WIDE_SCSI, NAME_SLASH,
FW_AUTOSELECT, NO_BOOT_ORDER; default arch i686; capabilities triple check;
``vmvga`` video default).  At define time (``esxDomainDefineXMLFlags``) a
newline in the name is refused and the definition is converted with
``virVMXFormatConfig`` at the host's default ``virtualHW.version``
(``ctx.options["vmx_hw_version"]``, default 7); its XML-only refusals are
this driver's validation step.  Not reproduced: the datastore path mapping
of disk/serial file names and everything that asks the ESX host.

Host capabilities: ``--host-caps FILE`` or the built-in ``vmx-test`` profile
(the host of libvirt's vmx2xml tests: an i686 host with hvm guests i686
and x86_64, domain type vmware, like ``esxCapsInit`` for a host with long
mode support; testdata/hosts/vmx-test.xml)."""

from __future__ import annotations

from drivers.vmx import VmxDriver


class EsxDriver(VmxDriver):
    name = "esx"
    description = "libvirt's VMware ESX driver (vmx parser config); host caps from --host-caps or vmx-test"


driver = EsxDriver()

__all__ = ["EsxDriver", "driver"]
