"""The vmware (Workstation/Player) driver: its own parser config with the
vmx callbacks, and the vmx define-time checks run with its xmlopt."""

from __future__ import annotations

import pytest

from drivers import get_driver
from drivers.vmware import builtin_host_caps
from postparse.driver import Feature
from virtxml.errors import PostParseError, ValidationError
from virtxml.flags import ParseFlags

from .drvtest import HOSTS, cli_lint_text, cli_smoke, doc, fmt, parse, profile_file_matches


HOME_DISK = ("    <disk type='file' device='disk'>\n      <source file='/vmware/vm/vm.vmdk'/>\n"
             "      <target dev='hdd' bus='ide'/>\n    </disk>")


def vm(devices: str = "", home_disk: bool = True, **kw):
    if home_disk:
        devices = (devices + "\n" if devices else "") + HOME_DISK
    return doc(devices, virt=kw.pop("virt", "vmware"), **kw)


def vmw(xml: str, **kw):
    return parse(xml, "vmware", **kw)


def test_parser_config():
    drv = get_driver("vmware")
    assert drv.features == Feature.NONE and drv.def_arch == "i686" and drv.mac_prefix == "52:54:00"


def test_builtin_profile_file():
    assert profile_file_matches(HOSTS / "vmware-test.xml", builtin_host_caps())


def test_default_arch_i686_and_boot_order_default():
    dom = vmw(vm())
    assert dom.os.type.arch == "i686"
    assert [b.dev for b in dom.os.boot] == ["hd"]  # no NO_BOOT_ORDER feature


def test_x86_64_supported():
    assert vmw(vm(arch="x86_64")).os.type.arch == "x86_64"


def test_default_video_vmvga():
    assert vmw(vm("    <graphics type='vnc'/>")).devices.videos[0].model.type == "vmvga"


def test_name_slash_refused():
    with pytest.raises(PostParseError) as ei:
        vmw(vm(name="a/b"))
    assert ei.value.message == "name a/b cannot contain '/'"


def test_narrow_scsi_addresses_are_verified_narrow():
    """sdh is unit 7 of controller 1 with the narrow layout of vmware's
    xmlopt: the address libvirt assigns and then verifies."""
    dom = vmw(vm("    <disk type='file' device='disk'>\n      <source file='/v/a.vmdk'/>\n"
                 "      <target dev='sdh' bus='scsi'/>\n    </disk>", home_disk=False))
    assert (dom.devices.disks[0].address.controller, dom.devices.disks[0].address.unit) == (1, 0)


def test_caps_triple_refused():
    with pytest.raises(PostParseError) as ei:
        vmw(vm(arch="ppc64"))
    assert ei.value.message == "could not find capabilities for arch=ppc64 domaintype=vmware "


def test_vmx_check_applies():
    with pytest.raises(ValidationError) as ei:
        vmw(vm("    <graphics type='spice'/>"))
    assert ei.value.message == "Unsupported graphics type 'spice'"


def test_vmx_checks_skipped_with_skip_validate():
    vmw(vm("    <graphics type='spice'/>"), flags=ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE)


def test_hw_version_is_always_7():
    xml = vm("\n".join(["    <interface type='bridge'>\n      <source bridge='b'/>\n    </interface>"] * 5))
    vmw(xml, options={"vmx_hw_version": 4})


def test_generated_mac_uses_default_prefix():
    out = fmt(vmw(vm("    <interface type='bridge'>\n      <source bridge='b'/>\n    </interface>")))
    assert "<mac address='52:54:00:" in out


def test_cli_convert_and_lint(capsys):
    out = cli_smoke("vmware", "vmware.xml", capsys)
    assert "<boot dev='hd'/>" in out and "<model type='vmvga'" in out


def test_cli_lint_reports_libvirt_text(tmp_path, capsys):
    rc, out = cli_lint_text("vmware", vm(arch="aarch64"), tmp_path, capsys)
    assert rc == 1 and "could not find capabilities for arch=aarch64 domaintype=vmware" in out


@pytest.mark.parametrize("devices,text", [
    ("", "Domain XML doesn't contain any disks, cannot deduce datastore and path for VMX file"),
    ("    <disk type='file' device='cdrom'>\n      <source file='/iso/a.iso'/>\n"
     "      <target dev='hda' bus='ide'/>\n    </disk>",
     "Domain XML doesn't contain any file-based harddisks, cannot deduce datastore and path for VMX file"),
])
def test_vmx_path_refusals(devices, text):
    with pytest.raises(ValidationError) as ei:
        vmw(vm(devices, home_disk=False))
    assert ei.value.message == text


def test_vmx_path_suffix_is_case_insensitive():
    vmw(vm("    <disk type='file' device='disk'>\n      <source file='/vm/A.VMDK'/>\n"
           "      <target dev='hda' bus='ide'/>\n    </disk>", home_disk=False))


def test_generic_validation_comes_before_the_vmx_steps():
    """libvirt runs the .vmx conversion after virDomainDefValidate: a hard
    disk without source is the generic error, not the vmx path one."""
    with pytest.raises(ValidationError) as ei:
        vmw(vm("    <disk type='file' device='disk'>\n      <target dev='hda' bus='ide'/>\n    </disk>\n"
               "    <graphics type='spice'/>", home_disk=False))
    assert ei.value.message == "missing source information for device hda"
