"""Generic post-parse steps (behaviour §2.3) with libvirt's texts."""

from __future__ import annotations

import pytest

from postparse.disks import disk_name_to_index, drive_address
from postparse.video import round_up_pow2
from virtxml.errors import VirtXMLError
from virtxml.flags import ParseFlags

from .helpers import doc, fmt, parse


def refused(xml: str, driver: str = "generic", flags: int = 0) -> str:
    with pytest.raises(VirtXMLError) as ei:
        parse(xml, driver=driver, flags=flags)
    return ei.value.message


# ------------------------------------------------------------- controllers

def test_controller_index_assignment() -> None:
    dom = parse(doc("<controller type='scsi' index='0'/><controller type='scsi'/>"
                    "<controller type='ide'/>"))
    conts = dom.devices.controllers
    assert [(c.type, c.index) for c in conts] == [("scsi", 0), ("scsi", 1), ("ide", 0)]


def test_usb2_companions_share_index() -> None:
    dom = parse(doc("<controller type='usb' index='0' model='ich9-ehci1'/>"
                    "<controller type='usb' model='ich9-uhci1'><master startport='0'/></controller>"))
    assert [c.index for c in dom.devices.controllers] == [0, 0]


def test_duplicate_controllers() -> None:
    assert refused(doc("<controller type='pci' index='1' model='pci-bridge'/>"
                       "<controller type='pci' index='1' model='pci-bridge'/>"
                       "<controller type='pci' index='0' model='pci-root'/>")) == \
        "Multiple 'pci' controllers with index '1'"
    # USB controllers may share an index
    parse(doc("<controller type='usb' index='0' model='ich9-ehci1'/>"
              "<controller type='usb' index='0' model='ich9-uhci1'><master startport='0'/></controller>"))


# ------------------------------------------------------------- chardevs

def _serial(port: str = "", ttype: str = "isa-serial") -> str:
    p = f" port='{port}'" if port else ""
    return f"<serial type='pty'><target type='{ttype}'{p}/></serial>"


def test_isa_serial_ports() -> None:
    dom = parse(doc(_serial("1") + _serial() + _serial()))
    assert [s.target.port for s in dom.devices.serials] == [1, 0, 2]
    assert refused(doc(_serial("1") + _serial("1"))) == "target port '1' already allocated"
    assert refused(doc(_serial("4"))) == "Maximum supported number of ISA serial ports is '4'"
    assert refused(doc(_serial() * 5)) == "Maximum supported number of ISA serial ports is '4'"


def test_chr_ports_and_console_target() -> None:
    dom = parse(doc("<parallel type='pty'/><parallel type='pty'><target port='3'/></parallel>"
                    "<parallel type='pty'/>"))
    # libvirt's parser: one more than the highest port of the parallels before it
    assert [p.target.port for p in dom.devices.parallels] == [0, 3, 4]
    dom = parse(doc("<console type='pty'><target type='virtio'/></console>"))
    assert dom.devices.consoles[0].target.port == 0


def test_isa_debug_only_x86() -> None:
    xml = doc(_serial(ttype="isa-debug")).replace("arch='x86_64'", "arch='aarch64'")
    assert refused(xml) == "isa-debug serial type only valid on x86 architecture"


def test_console_compat_moves_console_to_serial() -> None:
    dom = parse(doc("<console type='pty'><target type='serial'/></console>"))
    assert len(dom.devices.serials) == 1
    assert dom.devices.serials[0].target.port == 0
    assert dom.devices.consoles[0].target.type == "serial"
    out = fmt(dom)
    assert "<serial type='pty'>" in out and "<console type='pty'>" in out


def test_compat_console_written_as_first_serial() -> None:
    dom = parse(doc("<serial type='file'><source path='/tmp/x'/></serial>"))
    out = fmt(dom)
    assert ("<console type='file'>\n      <source path='/tmp/x'/>\n      <target type='serial' port='0'/>\n"
            "    </console>") in out
    # the console follows later changes of serials[0] (libvirt formats a copy)
    from virtxml.model.devices.info import AddressSpaprVio

    dom.devices.serials[0].address = AddressSpaprVio(reg=0x30000000)
    assert fmt(dom).count("<address type='spapr-vio' reg='0x30000000'/>") == 2


def test_console_compat_stub_for_serial() -> None:
    dom = parse(doc("<serial type='pty'/>"))
    assert len(dom.devices.consoles) == 1
    assert dom.devices.consoles[0].target.type == "serial"


def test_only_first_console_serial() -> None:
    assert refused(doc("<console type='pty'><target type='virtio'/></console>"
                       "<console type='pty'><target type='serial'/></console>")) == \
        "Only the first console can be a serial port"


# ------------------------------------------------------------------- disks

def test_disk_name_to_index() -> None:
    assert disk_name_to_index("hda") == 0
    assert disk_name_to_index("sdz") == 25
    assert disk_name_to_index("sdaa") == 26
    assert disk_name_to_index("vdb1") == 1
    assert disk_name_to_index("xvdc") == 2
    assert disk_name_to_index("foo") == -1
    assert disk_name_to_index("hd") == -1
    assert disk_name_to_index("hda1x") == -1


def test_drive_address() -> None:
    assert drive_address("ide", 3, False) == (0, 1, 0, 1)
    assert drive_address("scsi", 8, False) == (1, 0, 0, 1)
    assert drive_address("scsi", 7, True) == (0, 0, 0, 8)
    assert drive_address("sata", 7, False) == (1, 0, 0, 1)
    assert drive_address("fdc", 1, False) == (0, 0, 0, 1)
    assert drive_address("virtio", 1, False) is None


def _disk(dev: str, bus: str = "", device: str = "disk", extra: str = "") -> str:
    b = f" bus='{bus}'" if bus else ""
    return (f"<disk type='file' device='{device}'><source file='/tmp/{dev}.img'/>"
            f"<target dev='{dev}'{b}/>{extra}</disk>")


def test_disk_defaults() -> None:
    dom = parse(doc(_disk("sdb") + _disk("hdc", device="cdrom") + _disk("vda") + _disk("fda", device="floppy")))
    # the parser orders disks without bus= by target index alone (libvirt
    # 9.0 sets the default bus in post-parse; see the oracle golden
    # testdata/oracle-generic/test/disk-order-unset-bus)
    d = {x.target.dev: x for x in dom.devices.disks}
    assert list(d) == ["vda", "fda", "sdb", "hdc"]
    assert [x.target.bus for x in d.values()] == ["virtio", "fdc", "scsi", "ide"]
    assert d["hdc"].readonly and d["hdc"].snapshot == "no"
    a = d["sdb"].address
    assert (a.type, a.controller, a.bus, a.target, a.unit) == ("drive", 0, 0, 0, 1)
    a = d["hdc"].address
    assert (a.controller, a.bus, a.unit) == (0, 1, 0)
    assert d["vda"].address is None
    # implicit controllers for the drive addresses
    types = [(c.type, c.index) for c in dom.devices.controllers]
    assert ("scsi", 0) in types and ("ide", 0) in types and ("fdc", 0) in types


def test_disk_unknown_name() -> None:
    assert refused(doc(_disk("foo", bus="ide"))) == "Unknown disk name 'foo' and no address specified"


def test_duplicate_disk_target_and_drive_address() -> None:
    assert refused(doc(_disk("sda", bus="scsi") + _disk("sda", bus="usb"))) == \
        "target 'sda' duplicated for disk sources '/tmp/sda.img' and '/tmp/sda.img'"
    addr = "<address type='drive' controller='0' bus='0' target='0' unit='0'/>"
    assert refused(doc(_disk("sda", bus="scsi", extra=addr) + _disk("sdb", bus="scsi", extra=addr))) == \
        ("Found duplicate drive address for disk with target name 'sda' controller='0' bus='0' "
         "target='0' unit='0'")


# ------------------------------------------------------------------- video

def test_round_up_pow2() -> None:
    assert [round_up_pow2(v) for v in (0, 1, 3, 16384, 16385)] == [0, 1, 4, 16384, 32768]


def test_video_defaults() -> None:
    dom = parse(doc("<video><model type='vga' vram='9000'/></video><video><model type='qxl'/></video>"))
    v0, v1 = (v.model for v in dom.devices.videos)
    assert (v0.vram, v0.primary) == (16384, True)
    assert (v1.ram, v1.vram, v1.primary) == (65536, 65536, None)


def test_video_none_cleared() -> None:
    dom = parse(doc("<video><model type='none' vram='1024' heads='1'/></video>"))
    m = dom.devices.videos[0].model
    assert m.type == "none" and not m.vram and not m.primary and not m.heads
    assert "<model type='none'/>" in fmt(dom)


def test_implicit_video_for_graphics() -> None:
    dom = parse(doc("<graphics type='vnc'/>"), flags=ParseFlags.SKIP_VALIDATE)
    assert [v.model.type for v in dom.devices.videos] == ["default"]
    # without a driver to pick the type, validation refuses it
    assert refused(doc("<graphics type='vnc'/>")) == "missing video model and cannot determine default"
    dom = parse(doc("<graphics type='vnc'/>"), driver="test")
    assert [(v.model.type, v.model.vram) for v in dom.devices.videos] == [("cirrus", 16384)]
    dom = parse(doc("<graphics type='vnc'/>").replace("hvm", "xen").replace("type='qemu'", "type='xen'"),
                driver="test")
    assert [v.model.type for v in dom.devices.videos] == ["xen"]


def test_primary_video_validation() -> None:
    dom = parse(doc("<video><model type='vga'/></video>"))
    dom.devices.videos.append(dom.devices.videos[0])
    from drivers import get_driver
    from postparse import validate

    with pytest.raises(VirtXMLError, match="Only one primary video device is supported"):
        validate(dom, get_driver("generic"))


# ------------------------------------------------------------------ memory

def test_current_memory_defaults() -> None:
    dom = parse(doc())
    assert dom.current_memory == 219136
    dom = parse(doc(extra="<currentMemory unit='KiB'>999999999</currentMemory>"))
    assert dom.current_memory == 219136


def test_max_memory_rules() -> None:
    mm = "<maxMemory slots='16' unit='KiB'>100000</maxMemory>"
    assert refused(doc(extra=mm), driver="test") == \
        "maximum memory size must be equal or greater than the actual memory size"
    assert refused(doc(extra="<maxMemory slots='16' unit='KiB'>1000000</maxMemory>")) == \
        "memory hotplug tunables <maxMemory> are not supported by this hypervisor driver"
    parse(doc(extra="<maxMemory slots='16' unit='KiB'>1000000</maxMemory>"), driver="test")


def test_memory_devices() -> None:
    dimm = ("<memory model='dimm'><target><size unit='KiB'>{}</size><node>0</node></target></memory>")
    assert refused(doc(dimm.format(300000)), driver="test") == \
        "Total size of memory devices exceeds the total memory size"
    assert refused(doc(dimm.format(219136)), driver="test") == \
        "Memory size must be specified via <memory> or in the <numa> configuration"
    assert refused(doc(dimm.format(1024))) == "memory devices are not supported by this driver"


# -------------------------------------------------------------- boot order

def test_boot_order() -> None:
    dom = parse(doc(boot=""))
    assert [b.dev for b in dom.os.boot] == ["hd"]
    assert fmt(dom).count("<boot dev='hd'/>") == 1
    d1 = _disk("vda", extra="<boot order='1'/>")
    d2 = _disk("vdb", extra="<boot order='1'/>")
    assert refused(doc(d1 + d2, boot="")) == "boot order '1' used for more than one device"
    assert refused(doc(d1)) == "per-device boot elements cannot be used together with os/boot elements"
    dom = parse(doc(d1, boot=""))
    assert dom.os.boot == []


# ----------------------------------------------------------------- timers

@pytest.mark.parametrize("timer,msg", [
    ("<timer name='kvmclock' tickpolicy='delay'/>", "timer kvmclock doesn't support setting of timer tickpolicy"),
    ("<timer name='rtc' tickpolicy='delay'><catchup threshold='1'/></timer>",
     "setting of timer catchup policies is only supported with tickpolicy='catchup'"),
    ("<timer name='hpet' frequency='100'/>", "timer hpet doesn't support setting of timer frequency"),
    ("<timer name='pit' mode='auto'/>", "timer pit doesn't support setting of timer mode"),
    ("<timer name='hpet' track='guest'/>", "timer hpet doesn't support setting of timer track"),
])
def test_timers(timer: str, msg: str) -> None:
    assert refused(doc(extra=f"<clock offset='utc'>{timer}</clock>")) == msg


# ----------------------------------------------------------------- graphics

def test_spice_without_ports_listens_nowhere() -> None:
    vga = "<video><model type='vga'/></video>"
    dom = parse(doc("<graphics type='spice' autoport='no'><listen type='address' address='127.0.0.1'/>"
                    "</graphics>" + vga))
    ls = dom.devices.graphics[0].listens[0]
    assert (ls.type, ls.address) == ("none", None)
    dom = parse(doc("<graphics type='spice' port='5900' autoport='no'/>" + vga))
    assert dom.devices.graphics[0].listens[0].type == "address"


def test_listen_network_needs_network() -> None:
    assert refused(doc("<graphics type='vnc'><listen type='network'/></graphics><video><model type='vga'/></video>"),
                   flags=ParseFlags.INACTIVE) == "'network' attribute is required for listen type 'network'"


# --------------------------------------------------------------- features

def test_name_slash() -> None:
    assert refused(doc().replace("<name>t</name>", "<name>a/b</name>")) == "name a/b cannot contain '/'"


def test_individual_vcpus_feature() -> None:
    vcpus = "<vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/></vcpus>"
    from postparse import Driver, post_parse

    dom = parse(doc(extra=vcpus))
    with pytest.raises(VirtXMLError, match="individual CPU state configuration is not supported"):
        post_parse(dom, Driver())


def test_net_model_string_feature() -> None:
    iface = "<interface type='user'><model type='fancy-nic'/></interface>"
    assert refused(doc(iface)) == "driver does not support net model 'fancy-nic'"
    parse(doc(iface), driver="test")
    parse(doc("<interface type='user'><model type='E1000'/></interface>"))


# ---------------------------------------------------------------- others

def test_rng_default_backend_path() -> None:
    dom = parse(doc("<rng model='virtio'><backend model='random'/></rng>"))
    assert dom.devices.rngs[0].backend.file == "/dev/random"


def test_vsock_auto_cid() -> None:
    dom = parse(doc("<vsock model='virtio'><cid address='3'/></vsock>"))
    assert dom.devices.vsocks[0].cid.auto is False
    dom = parse(doc("<vsock model='virtio'/>"))
    assert dom.devices.vsocks[0].cid.auto is True


def test_duplicate_panics() -> None:
    assert refused(doc("<panic model='isa'/><panic model='isa'/>")) == "Multiple panic devices with model 'isa'"


def test_lifecycle_validation() -> None:
    assert refused(doc(extra="<on_poweroff>coredump-destroy</on_poweroff>")) == \
        "Lifecycle event 'poweroff' doesn't support 'coredump-destroy' action"
    parse(doc(extra="<on_crash>coredump-destroy</on_crash>"))


def test_boot_menu_timeout() -> None:
    assert refused(doc(boot="<boot dev='hd'/><bootmenu enable='yes' timeout='65536'/>")) == \
        "invalid value for boot menu timeout, must be in range [0,65535]"


def test_firmware_enrolled_keys() -> None:
    fw = "<firmware><feature enabled='yes' name='enrolled-keys'/>{}</firmware>"
    xml = doc(boot="<boot dev='hd'/>").replace("<os>", "<os firmware='efi'>" + fw.format(""), 1)
    dom = parse(xml, driver="test")
    assert [(f.name, f.enabled) for f in dom.os.firmware_info.features] == \
        [("enrolled-keys", True), ("secure-boot", True)]
    xml = doc().replace("<os>", "<os firmware='efi'>" + fw.format(
        "<feature enabled='no' name='secure-boot'/>"), 1)
    assert refused(xml, driver="test") == ("firmware feature 'enrolled-keys' cannot be enabled when firmware "
                                           "feature 'secure-boot' is disabled")


def test_loader_type_rom_default() -> None:
    xml = doc().replace("<os>", "<os><loader>/usr/share/fw.bin</loader>", 1)
    dom = parse(xml)
    assert dom.os.loader.type == "rom"


def test_chardev_source_validation() -> None:
    ch = "<channel type='tcp'><source mode='bind' service='1'/><target type='virtio' name='x'/></channel>"
    assert refused(doc(ch)) == "Missing source host attribute for char device"
    ch = "<serial type='file'><source/></serial>"
    assert refused(doc(ch)) == "Missing source path attribute for char device"
    ch = ("<channel type='tcp'><source mode='bind' host='h' service='1'><reconnect enabled='yes' timeout='1'/>"
          "</source><target type='virtio' name='x'/></channel>")
    assert refused(doc(ch)) == "chardev reconnect is possible only for connect mode"
    ch = ("<channel type='tcp'><source mode='connect' host='h' service='1'><reconnect enabled='yes' timeout='0'/>"
          "</source><target type='virtio' name='x'/></channel>")
    # a zero timeout is only the QEMU driver's rule (libvirt's test driver accepts it)
    parse(doc(ch), driver="generic")


def test_audio_references() -> None:
    assert refused(doc("<sound model='ich9'><audio id='2'/></sound><audio id='1' type='none'/>")) == \
        "no audio device with ID 2"


# ------------------------------------------------------------ validation

@pytest.mark.parametrize("devices,msg", [
    ("<disk type='file' device='disk'><source file='/a'/><target dev='sda' bus='sata'/>"
     "<address type='pci' domain='0' bus='0' slot='5' function='0'/></disk>",
     "Invalid address type 'pci' for the disk 'sda' with the bus type 'sata'"),
    ("<disk type='file' device='disk'><source file='/a'/><target dev='fda' bus='fdc'/></disk>",
     "Invalid bus type 'fdc' for disk"),
    ("<disk type='file' device='disk'><source file='/a'/><target dev='fda' bus='virtio'/></disk>",
     "Invalid harddisk device name: fda"),
    ("<disk type='file' device='floppy'><source file='/a'/><target dev='hda' bus='fdc'/></disk>",
     "Invalid floppy device name: hda"),
    ("<disk type='file' device='disk'><target dev='vda' bus='virtio'/></disk>",
     "missing source information for device vda"),
    ("<disk type='file' device='lun'><source file='/a'/><target dev='sda' bus='scsi'/></disk>",
     "disk device='lun' is only valid for block type disk source"),
    ("<video><model type='vga' ram='1024'/></video>", "ram attribute only supported for video type qxl"),
    ("<video><model type='none'/></video><video><model type='vga'/></video>",
     "a 'none' video type must be the only video device defined for the domain"),
    ("<vsock model='virtio'><cid address='2'/></vsock>", "guest CIDs must be >= 3"),
    ("<shmem name='a/b'/>", "shmem name cannot include '/' character"),
    ("<input type='tablet' bus='ps2'/>", "ps2 bus does not support tablet input device"),
    ("<controller type='pci' index='0' model='pci-root'><target index='1'/></controller>",
     "Only the PCI controller with index 0 can have target index 0, and vice versa"),
    ("<controller type='pci' index='0' model='pci-root'>"
     "<address type='pci' domain='0' bus='0' slot='5' function='0'/></controller>",
     "pci-root and pcie-root controllers should not have an address"),
    ("<audio id='1' type='none'/><audio id='1' type='none'/>", "audio ID 1 is used multiple times"),
    ("<memballoon model='virtio'><alias name='ua-x'/></memballoon><rng model='virtio'>"
     "<backend model='random'>/dev/urandom</backend><alias name='ua-x'/></rng>",
     "non unique alias detected: ua-x"),
    ("<serial type='nmdm'><source master='/dev/a'/></serial>",
     "Should define both master and slave path attributes for nmdm device"),
])
def test_device_validation(devices: str, msg: str) -> None:
    assert refused(doc(devices)) == msg


def test_skip_validate_skips_generic_checks() -> None:
    parse(doc("<shmem name='a/b'/>"), flags=ParseFlags.SKIP_VALIDATE)


def test_hugepages_validation() -> None:
    mb = "<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='1'/></hugepages></memoryBacking>"
    assert refused(doc(extra=mb)) == "hugepages: node 1 not found"
    # nodeset='0' without guest NUMA is dropped by post-parse
    mb0 = "<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='0'/></hugepages></memoryBacking>"
    dom = parse(doc(extra=mb0))
    assert dom.memory_backing.hugepages.pages[0].nodeset is None


def test_loader_without_path() -> None:
    xml = doc().replace("<os>", "<os><loader readonly='yes'/>", 1)
    assert refused(xml) == "no loader path specified and firmware auto selection disabled"
    xml = doc().replace("<os>", "<os firmware='efi'><loader readonly='yes'/>", 1)
    assert refused(xml) == "firmware auto selection not implemented for this driver"


def test_disks_inserted_by_bus_and_index() -> None:
    # libvirt inserts each parsed disk after the disks of its bus with a
    # lower index: the duplicate target is reported for the IDE disk first
    xml = doc(_disk("hda", bus="ide") + _disk("sda", bus="usb") + _disk("sda", bus="ide"))
    assert refused(xml) == "target 'sda' duplicated for disk sources '/tmp/sda.img' and '/tmp/sda.img'"
    dom = parse(doc(_disk("hdc", bus="ide") + _disk("vda") + _disk("hda", bus="ide")))
    assert [d.target.dev for d in dom.devices.disks] == ["hda", "hdc", "vda"]


def test_disk_address_conflicts_with_scsi_hostdev() -> None:
    hd = ("<hostdev mode='subsystem' type='scsi' managed='no'><source><adapter name='scsi_host2'/>"
          "<address bus='0' target='0' unit='1'/></source>"
          "<address type='drive' controller='0' bus='0' target='0' unit='0'/></hostdev>")
    assert refused(doc(_disk("sda", bus="scsi") + hd)) == (
        "using disk target name 'sda' conflicts with SCSI host device address controller='0' bus='0' "
        "target='0' unit='0")


def test_scsi_hostdev_address_and_implicit_controller() -> None:
    def hd(unit: int, addr: str = "") -> str:
        return (f"<hostdev mode='subsystem' type='scsi' managed='no'><source><adapter name='scsi_host0'/>"
                f"<address bus='0' target='0' unit='{unit}'/></source>{addr}</hostdev>")

    full = "".join(hd(i, f"<address type='drive' controller='0' bus='0' target='0' unit='{i}'/>")
                   for i in range(7))
    dom = parse(doc("<controller type='scsi' index='0' model='virtio-scsi'/>" + full + hd(9)))
    a = dom.devices.hostdevs[-1].address
    # narrow SCSI: units 0-6 per controller, then the next controller
    assert (a.controller, a.unit) == (1, 0)
    conts = [(c.type, c.index, c.model) for c in dom.devices.controllers if c.type == "scsi"]
    assert conts == [("scsi", 0, "virtio-scsi"), ("scsi", 1, "virtio-scsi")]


def test_console_ports_follow_position() -> None:
    dom = parse(doc("<console type='pty'><target type='virtio' port='5'/></console>"
                    "<console type='pty'><target type='virtio' port='0'/></console>"))
    assert [c.target.port for c in dom.devices.consoles] == [0, 1]
