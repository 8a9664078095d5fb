"""The esx driver (libvirt's vmx.c parser config) and the vmx define-time
checks it shares with vmware (virVMXFormatConfig), with libvirt's texts."""

from __future__ import annotations

import pytest

from drivers import get_driver
from drivers.vmx import builtin_host_caps
from postparse.driver import Feature
from virtxml.errors import PostParseError, ValidationError
from virtxml.flags import ParseFlags

from .drvtest import HOSTS, cli_lint_text, cli_smoke, doc, fmt, parse, profile_file_matches

SCSI_DISK = ("    <disk type='file' device='disk'>\n      <source file='[ds] vm/{dev}.vmdk'/>\n"
             "      <target dev='{dev}' bus='scsi'/>\n    </disk>")


#: the .vmx location comes from the first file-based hard disk: every
#: document gets one at the end (IDE, so that it never moves SCSI addresses)
HOME_DISK = ("    <disk type='file' device='disk'>\n      <source file='[ds] vm/vm.vmdk'/>\n"
             "      <target dev='hdd' bus='ide'/>\n    </disk>")


def vm(devices: str = "", home_disk: bool = True, **kw):
    if home_disk:
        devices = (devices + "\n" if devices else "") + HOME_DISK
    return doc(devices, virt=kw.pop("virt", "vmware"), **kw)


def esx(xml: str, **kw):
    return parse(xml, "esx", **kw)


def test_parser_config():
    drv = get_driver("esx")
    assert drv.mac_prefix == "00:0c:29" and drv.def_arch == "i686"
    assert drv.features == (Feature.WIDE_SCSI | Feature.NAME_SLASH | Feature.FW_AUTOSELECT
                            | Feature.NO_BOOT_ORDER)


def test_builtin_profile_file():
    assert profile_file_matches(HOSTS / "vmx-test.xml", builtin_host_caps())
    assert builtin_host_caps().host_arch == "i686"


def test_default_arch_is_i686_and_mac_prefix():
    dom = esx(vm("    <interface type='bridge'>\n      <source bridge='VM Network'/>\n    </interface>"))
    assert dom.os.type.arch == "i686"
    assert "<mac address='00:0c:29:" in fmt(dom)


def test_no_boot_order_default():
    """NO_BOOT_ORDER: no <boot dev='hd'/> is added."""
    assert dom_boot(esx(vm())) == []


def dom_boot(dom):
    return [b.dev for b in dom.os.boot]


def test_name_with_slash_accepted():
    assert esx(vm(name="dc/vm")).name == "dc/vm"


def test_wide_scsi_addresses():
    dom = esx(vm("\n".join(SCSI_DISK.format(dev=d) for d in ("sda", "sdh", "sdp"))
                 + "\n    <controller type='scsi' index='0' model='lsilogic'/>"
                 + "\n    <controller type='scsi' index='1' model='lsilogic'/>"))
    assert [(d.address.controller, d.address.unit) for d in dom.devices.disks][:3] == [(0, 0), (0, 8), (1, 0)]


def test_default_video_is_vmvga():
    dom = esx(vm("    <graphics type='vnc'/>"))
    assert (dom.devices.videos[0].model.type, dom.devices.videos[0].model.vram) == ("vmvga", 4096)


@pytest.mark.parametrize("virt,arch,text", [
    ("vmware", "aarch64", "could not find capabilities for arch=aarch64 domaintype=vmware "),
    ("kvm", "i686", "could not find capabilities for arch=i686 domaintype=kvm "),
])
def test_capabilities_triple_checked_in_post_parse(virt, arch, text):
    with pytest.raises(PostParseError) as ei:
        esx(vm(virt=virt, arch=arch), flags=ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE)
    assert ei.value.message == text


def test_host_caps_option(tmp_path):
    f = tmp_path / "h.xml"
    f.write_text((HOSTS / "vmx-test.xml").read_text().replace("'x86_64'", "'aarch64'"))
    esx(vm(arch="aarch64"), options={"host_caps": str(f)}, flags=ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE)


# ---------------------------------------------------------------- vmx define-time checks
VNC = "    <graphics type='vnc'/>"


@pytest.mark.parametrize("kw,devices,text", [
    ({"arch": "x86_64", "extra": "<cpu mode='host-model'/>"}, "",
     "Expecting domain XML CPU mode 'custom' but found 'host-model'"),
    ({"pre": "", "extra": "<cpu><topology sockets='1' dies='1' cores='1' threads='2'/></cpu>"}, "",
     "Only 1 thread per core is supported"),
    ({"extra": "<cpu><topology sockets='1' dies='2' cores='1' threads='1'/></cpu>"}, "",
     "Only 1 die per socket is supported"),
    ({"extra": "<cpu><topology sockets='2' dies='1' cores='2' threads='1'/></cpu>"}, "",
     "Expecting domain XML CPU sockets per core as 1 but found 4"),
    ({"os": "<smbios mode='sysinfo'/>"}, "", "Unsupported SMBIOS mode 'sysinfo'"),
    ({}, "    <graphics type='sdl'/>", "Unsupported graphics type 'sdl'"),
    ({}, "    <disk type='file' device='disk'>\n      <source file='/a.img'/>\n      <target dev='vda'/>\n"
         "    </disk>", "Unsupported disk address type 'none'"),
    ({}, "    <disk type='file' device='disk'>\n      <source file='[ds] a.vmdk'/>\n"
         "      <target dev='sda' bus='scsi'/>\n"
         "      <address type='drive' controller='0' bus='0' target='0' unit='3'/>\n    </disk>",
     "Disk address 0:0:3 doesn't match target device 'sda'"),
    ({}, SCSI_DISK.format(dev="sdbi"), "SCSI controller index 4 out of [0..3] range"),
    ({}, "    <disk type='file' device='disk'>\n      <source file='[ds] a.vmdk'/>\n"
         "      <target dev='hde' bus='ide'/>\n    </disk>", "IDE controller index 1 out of [0] range"),
    ({}, "    <disk type='file' device='disk'>\n      <source file='[ds] a.vmdk'/>\n"
         "      <target dev='sda' bus='sata'/>\n    </disk>", "Unsupported bus type 'sata'"),
    ({}, "    <disk type='file' device='disk'>\n      <source file='[ds] a.vmdk'/>\n"
         "      <target dev='hda' bus='scsi'/>\n    </disk>",
     "Expecting domain XML attribute 'dev' of entry 'devices/disk/target' to start with 'sd'"),
    ({}, "    <disk type='file' device='disk'>\n      <source file='[ds] a.vmdk'/>\n"
         "      <target dev='sd' bus='scsi'/>\n"
         "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n    </disk>",
     "Could not verify disk address"),
    ({}, "    <disk type='file' device='floppy'>\n      <source file='[ds] a.flp'/>\n"
         "      <target dev='fdc' bus='fdc'/>\n    </disk>", "FDC controller index 1 out of [0] range"),
    ({}, "    <disk type='file' device='disk'>\n      <driver name='foo'/>\n      <source file='[ds] a.vmdk'/>\n"
         "      <target dev='sda' bus='scsi'/>\n    </disk>", "Unknown driver name 'foo'"),
    ({}, "    <disk type='file' device='disk'>\n      <driver name='buslogic'/>\n"
         "      <source file='[ds] a.vmdk'/>\n      <target dev='sda' bus='scsi'/>\n    </disk>\n"
         "    <controller type='scsi' index='0' model='lsilogic'/>",
     "Inconsistent SCSI controller model ('buslogic' is not 'lsilogic') for SCSI controller index 0"),
    ({}, SCSI_DISK.format(dev="sda") + "\n    <controller type='scsi' index='0' model='virtio-scsi'/>",
     "Expecting domain XML attribute 'model' of entry 'controller' to be 'buslogic' or 'lsilogic' or "
     "'lsisas1068' or 'vmpvscsi' but found 'virtio-scsi'"),
    ({}, "    <disk type='network' device='disk'>\n      <source protocol='nbd' name='x'>\n"
         "        <host name='h'/>\n      </source>\n      <target dev='sda' bus='scsi'/>\n    </disk>",
     "scsi none 'sda' has unsupported type 'net', expecting 'file' or 'block'"),
    ({}, "    <disk type='file' device='disk'>\n      <source file='[ds] a.img'/>\n"
         "      <target dev='sda' bus='scsi'/>\n    </disk>",
     "Image file for scsi none 'sda' has unsupported suffix, expecting '.vmdk'"),
    ({}, "    <disk type='file' device='cdrom'>\n      <source file='[ds] a.img'/>\n"
         "      <target dev='hda' bus='ide'/>\n    </disk>",
     "Image file for ide disk 'hda' has unsupported suffix, expecting '.iso'"),
    ({}, "    <disk type='block' device='disk'>\n      <source dev='/dev/sdb'/>\n"
         "      <target dev='sda' bus='scsi'/>\n    </disk>", "scsi none 'sda' has an unsupported type 'lease'"),
    ({}, "    <disk type='file' device='disk'>\n      <driver cache='none'/>\n      <source file='[ds] a.vmdk'/>\n"
         "      <target dev='sda' bus='scsi'/>\n    </disk>", "scsi harddisk 'sda' has unsupported cache mode 'none'"),
    ({}, "    <disk type='network' device='floppy'>\n      <source protocol='nbd' name='x'>\n"
         "        <host name='h'/>\n      </source>\n      <target dev='fda'/>\n    </disk>",
     "Floppy 'fda' has unsupported type 'network', expecting 'file' or 'block'"),
    ({}, "    <filesystem type='block'>\n      <source dev='/dev/sdb'/>\n      <target dir='x'/>\n"
         "    </filesystem>", "Only 'mount' filesystem type is supported"),
    ({}, "    <interface type='bridge'>\n      <source bridge='b'/>\n      <model type='virtio'/>\n"
         "    </interface>", "Expecting domain XML entry 'devices/interface/model' to be 'vlance' or 'vmxnet' or "
         "'vmxnet2' or 'vmxnet3' or 'e1000' or 'e1000e' but found 'virtio'"),
    ({}, "    <interface type='network'>\n      <source network='default'/>\n    </interface>",
     "Unsupported net type 'network'"),
    ({}, "\n".join(["    <interface type='bridge'>\n      <source bridge='b'/>\n    </interface>"] * 11),
     "Ethernet controller index 10 out of [0..9] range"),
    ({}, VNC + "\n    <video>\n      <model type='vmvga'/>\n    </video>\n    <video>\n"
         "      <model type='vmvga'/>\n    </video>", "No support for multiple video devices"),
    ({}, "    <video>\n      <model type='vga'/>\n    </video>", "Unsupported video device type 'vga'"),
    ({}, "    <video>\n      <model type='vmvga' heads='2'/>\n    </video>",
     "Multi-head video devices are unsupported"),
    ({}, "    <serial type='pty'>\n      <target port='0'/>\n    </serial>",
     "Unsupported character device type 'pty'"),
    ({}, "    <serial type='file'>\n      <source path='[ds] s.log'/>\n      <target port='4'/>\n    </serial>",
     "Serial port index 4 out of [0..3] range"),
    ({}, "    <parallel type='pipe'>\n      <source path='/p'/>\n      <target port='0'/>\n    </parallel>",
     "Unsupported character device type 'pipe'"),
])
def test_vmx_format_refusals(kw, devices, text):
    with pytest.raises(ValidationError) as ei:
        esx(vm(devices, **kw))
    assert ei.value.message == text


def test_vcpu_current_refused():
    with pytest.raises(ValidationError) as ei:
        esx(vm().replace("<vcpu placement='static'>1</vcpu>", "<vcpu current='1'>2</vcpu>"))
    assert ei.value.message == "No support for domain XML entry 'vcpu' attribute 'current'"


def test_cpuset_too_small_refused():
    with pytest.raises(ValidationError) as ei:
        esx(vm().replace("<vcpu placement='static'>1</vcpu>", "<vcpu cpuset='0'>2</vcpu>"))
    assert ei.value.message == "Expecting domain XML attribute 'cpuset' of entry 'vcpu' to contain at least 2 CPU(s)"


def test_legacy_scsi_driver_name_sets_controller_model():
    dom = esx(vm("    <disk type='file' device='disk'>\n      <driver name='LSILogic'/>\n"
                 "      <source file='[ds] a.vmdk'/>\n      <target dev='sda' bus='scsi'/>\n    </disk>"))
    assert [(c.type, c.model) for c in dom.devices.controllers if c.type == "scsi"] == [("scsi", "lsilogic")]


def test_nic_limit_below_hw_version_7():
    xml = vm("\n".join(["    <interface type='bridge'>\n      <source bridge='b'/>\n    </interface>"] * 5))
    esx(xml)
    with pytest.raises(ValidationError) as ei:
        esx(xml, options={"vmx_hw_version": 4})
    assert ei.value.message == "Ethernet controller index 4 out of [0..3] range"


def test_name_with_newline_refused():
    with pytest.raises(ValidationError) as ei:
        esx(vm(name="a&#10;b"))
    assert ei.value.message == "invalid char in name: \n"


def test_valid_definition_passes_all_checks():
    dom = esx(vm(SCSI_DISK.format(dev="sda") + "\n    <controller type='scsi' index='0' model='vmpvscsi'/>\n"
                 "    <disk type='file' device='cdrom'>\n      <source file='[ds] a.iso'/>\n"
                 "      <target dev='hda' bus='ide'/>\n    </disk>\n"
                 "    <interface type='bridge'>\n      <source bridge='VM Network'/>\n"
                 "      <model type='vmxnet3'/>\n    </interface>\n" + VNC,
                 extra="<cpu><topology sockets='1' dies='1' cores='1' threads='1'/></cpu>"))
    assert dom.devices.videos[0].model.type == "vmvga"


# ---------------------------------------------------------------- CLI
def test_cli_convert_and_lint(capsys):
    out = cli_smoke("esx", "esx.xml", capsys)
    assert "<model type='vmvga' vram='4096' heads='1' primary='yes'/>" in out
    assert "<boot dev=" not in out


def test_cli_lint_reports_libvirt_text(tmp_path, capsys):
    rc, out = cli_lint_text("esx", vm("    <video>\n      <model type='vga'/>\n    </video>"), tmp_path, capsys)
    assert rc == 1 and "Unsupported video device type 'vga'" in out


# ---------------------------------------------------------------- ESX define steps
@pytest.mark.parametrize("devices,text", [
    ("", "Domain XML doesn't contain any disks, cannot deduce datastore and path for VMX file"),
    ("    <disk type='file' device='cdrom'>\n      <source file='[ds] a.iso'/>\n"
     "      <target dev='hda' bus='ide'/>\n    </disk>",
     "Domain XML doesn't contain any file-based harddisks, cannot deduce datastore and path for VMX file"),
    ("    <disk type='file' device='disk'>\n      <source file='/vmfs/volumes/ds/a.vmdk'/>\n"
     "      <target dev='sda' bus='scsi'/>\n    </disk>",
     "Datastore path '/vmfs/volumes/ds/a.vmdk' doesn't have expected format '[<datastore>] <path>'"),
    ("    <disk type='file' device='disk'>\n      <source file='relative/a.vmdk'/>\n"
     "      <target dev='sda' bus='scsi'/>\n    </disk>", "Could not handle file name 'relative/a.vmdk'"),
    ("    <disk type='file' device='disk'>\n      <source file='[] a.vmdk'/>\n"
     "      <target dev='sda' bus='scsi'/>\n    </disk>",
     "Datastore path '[] a.vmdk' doesn't have expected format '[<datastore>] <path>'"),
    (HOME_DISK + "\n    <serial type='file'>\n      <source path='s.log'/>\n      <target port='0'/>\n"
     "    </serial>", "Could not handle file name 's.log'"),
])
def test_esx_define_refusals(devices, text):
    with pytest.raises(ValidationError) as ei:
        esx(vm(devices, home_disk=False))
    assert ei.value.message == text


def test_esx_location_from_first_file_harddisk_skips_cdroms():
    esx(vm("    <disk type='file' device='cdrom'>\n      <source file='/iso/a.iso'/>\n"
           "      <target dev='hda' bus='ide'/>\n    </disk>"))


def test_vmware_keeps_file_names_esx_maps_them():
    """vmware takes file names as they are; esx needs datastore paths."""
    xml = vm("    <disk type='file' device='disk'>\n      <source file='vm.vmdk'/>\n"
             "      <target dev='sda' bus='scsi'/>\n    </disk>", home_disk=False)
    parse(xml, "vmware")
    with pytest.raises(ValidationError) as ei:
        esx(xml)
    assert ei.value.message == "Could not handle file name 'vm.vmdk'"


def test_capability_failure_is_fatal_even_with_allow_post_parse_fail():
    """virVMXDomainDefPostParse returns -1 (not 1): never tolerated."""
    with pytest.raises(PostParseError):
        esx(vm(arch="aarch64"), flags=ParseFlags.INACTIVE | ParseFlags.ALLOW_POST_PARSE_FAIL)
