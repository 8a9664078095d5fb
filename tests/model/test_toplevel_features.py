"""<features>: every feature in libvirt's enum order with its own rules."""

from __future__ import annotations

import pytest

from tests.model.test_toplevel_support import parse_error, roundtrip

ALL = """  <features>
    <tcg><tb-cache unit='MiB'>128</tb-cache></tcg>
    <ibs value='fixed-na'/>
    <sbbc value='broken'/>
    <cfpc value='workaround'/>
    <xen><passthrough state='on' mode='share_pt'/><e820_host state='on'/></xen>
    <ccf-assist state='on'/>
    <msrs unknown='fail'/>
    <nested-hv state='off'/>
    <htm state='on'/>
    <vmcoreinfo/>
    <hpt resizing='enabled'><maxpagesize unit='MiB'>1</maxpagesize></hpt>
    <ioapic driver='kvm'/>
    <smm><tseg unit='KiB'>49152</tseg></smm>
    <gic version='3'/>
    <vmport state='off'/>
    <pmu/>
    <capabilities policy='allow'><sys_admin/><mknod state='off'/></capabilities>
    <pvspinlock/>
    <kvm><dirty-ring state='on' size='8192'/><hidden state='on'/></kvm>
    <hyperv mode='custom'>
      <vendor_id state='on' value='KVM'/>
      <stimer state='on'><direct state='on'/></stimer>
      <spinlocks state='on' retries='0x1fff'/>
      <relaxed state='off'/>
    </hyperv>
    <privnet/>
    <viridian/>
    <hap state='off'/>
    <pae/>
    <apic eoi='on'/>
    <acpi/>
  </features>
"""


def test_all_features_in_enum_order() -> None:
    assert roundtrip(ALL, "features") == """  <features>
    <acpi/>
    <apic eoi='on'/>
    <pae/>
    <hap state='off'/>
    <viridian/>
    <privnet/>
    <hyperv mode='custom'>
      <relaxed state='off'/>
      <spinlocks state='on' retries='8191'/>
      <stimer state='on'>
        <direct state='on'/>
      </stimer>
      <vendor_id state='on' value='KVM'/>
    </hyperv>
    <kvm>
      <hidden state='on'/>
      <dirty-ring state='on' size='8192'/>
    </kvm>
    <pvspinlock state='on'/>
    <capabilities policy='allow'>
      <mknod state='off'/>
      <sys_admin state='on'/>
    </capabilities>
    <pmu state='on'/>
    <vmport state='off'/>
    <gic version='3'/>
    <smm state='on'>
      <tseg unit='MiB'>48</tseg>
    </smm>
    <ioapic driver='kvm'/>
    <hpt resizing='enabled'>
      <maxpagesize unit='KiB'>1024</maxpagesize>
    </hpt>
    <vmcoreinfo state='on'/>
    <htm state='on'/>
    <nested-hv state='off'/>
    <msrs unknown='fail'/>
    <ccf-assist state='on'/>
    <xen>
      <e820_host state='on'/>
      <passthrough state='on' mode='share_pt'/>
    </xen>
    <cfpc value='workaround'/>
    <sbbc value='broken'/>
    <ibs value='fixed-na'/>
    <tcg>
      <tb-cache unit='KiB'>131072</tb-cache>
    </tcg>
  </features>
"""


def test_off_states_drop_details_and_empty_blocks() -> None:
    body = ("  <features><hyperv><spinlocks state='off' retries='5'/><vendor_id state='off' value='x'/>"
            "<stimer state='off'><direct state='on'/></stimer></hyperv>"
            "<smm state='off'><tseg>4</tseg></smm><capabilities/><hpt/><gic/></features>\n")
    assert roundtrip(body, "features") == """  <features>
    <hyperv mode='custom'>
      <spinlocks state='off'/>
      <stimer state='off'/>
      <vendor_id state='off'/>
    </hyperv>
    <gic/>
    <smm state='off'/>
  </features>
"""
    assert roundtrip("  <features/>\n", "features") == ""
    assert roundtrip("  <features><kvm/><hyperv mode='passthrough'/></features>\n", "features") == \
        "  <features>\n    <hyperv mode='passthrough'>\n    </hyperv>\n    <kvm>\n    </kvm>\n  </features>\n"


@pytest.mark.parametrize("body,msg", [
    ("<foo/>", "unexpected feature 'foo'"),
    ("<gic version='none'/>", "Invalid value for attribute 'version' in element 'gic': 'none'."),
    ("<ioapic driver='none'/>", "Invalid value for attribute 'driver' in element 'ioapic': 'none'."),
    ("<hyperv><magic state='on'/></hyperv>", "unsupported HyperV Enlightenment feature: magic"),
    ("<hyperv><relaxed/></hyperv>", "Missing required attribute 'state' in element 'relaxed'"),
    ("<hyperv><relaxed state='yes'/></hyperv>", "Invalid value for attribute 'state' in element 'relaxed': 'yes'."),
    ("<hyperv><spinlocks state='on' retries='100'/></hyperv>", "HyperV spinlock retry count must be at least 4095"),
    ("<hyperv><spinlocks state='on'/></hyperv>", "Missing required attribute 'retries' in element 'spinlocks'"),
    ("<hyperv><vendor_id state='on'/></hyperv>", "missing 'value' attribute for HyperV feature 'vendor_id'"),
    ("<hyperv><vendor_id state='on' value='0123456789abc'/></hyperv>",
     "HyperV vendor_id value must not be more than 12 characters."),
    ("<hyperv><vendor_id state='on' value='a,b'/></hyperv>", "HyperV vendor_id value is invalid"),
    ("<hyperv><stimer state='on'><indirect state='on'/></stimer></hyperv>",
     "unsupported Hyper-V stimer feature: indirect"),
    ("<hyperv mode='full'/>", "Invalid value for attribute 'mode' in element 'hyperv': 'full'."),
    ("<kvm><hiddenx state='on'/></kvm>", "unsupported KVM feature: hiddenx"),
    ("<kvm><dirty-ring state='on' size='1000'/></kvm>", "dirty ring must be power of 2 and ranges [1024, 65536]"),
    ("<xen><pci state='on'/></xen>", "unsupported Xen feature: pci"),
    ("<capabilities><fly/></capabilities>", "unexpected capability feature 'fly'"),
    ("<msrs/>", "Missing required attribute 'unknown' in element 'msrs'"),
    ("<pmu state='yes'/>", "Invalid value for attribute 'state' in element 'pmu': 'yes'."),
    ("<smm><tseg unit='XB'>1</tseg></smm>", "unknown suffix 'XB'"),
    ("<cfpc value='none'/>", "Invalid value for attribute 'value' in element 'cfpc': 'none'."),
    ("<htm/>", "Missing required attribute 'state' in element 'htm'"),
    ("<nested-hv state='yes'/>", "Invalid value for attribute 'state' in element 'nested-hv': 'yes'."),
    ("<hpt><maxpagesize unit='ZiB'>1</maxpagesize></hpt>", "Unable to parse HPT maxpagesize setting"),
    ("<smm><tseg>x</tseg></smm>", "Invalid value 'x' for element or attribute 'string(./features/smm/tseg)'"),
    ("<tcg><tb-cache unit='k'>y</tb-cache></tcg>", "Invalid value 'y' for element or attribute './tb-cache'"),
])

def test_feature_errors(body: str, msg: str) -> None:
    assert parse_error(f"  <features>{body}</features>\n") == msg


def test_repeated_features_and_passthrough() -> None:
    body = ("  <features><pmu state='on'/><pmu state='off'/><hyperv mode='passthrough'><bogus/>"
            "<relaxed state='on'/></hyperv><tcg><tb-cache unit='b'>1025</tb-cache></tcg></features>\n")
    assert roundtrip(body, "features") == """  <features>
    <hyperv mode='passthrough'>
    </hyperv>
    <pmu state='off'/>
    <tcg>
      <tb-cache unit='KiB'>2</tb-cache>
    </tcg>
  </features>
"""
