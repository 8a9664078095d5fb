"""libvirt's Microsoft Hyper-V driver (``hyperv://host``,
src/hyperv/hyperv_driver.c).

Its parser config (``hypervDomainDefParserConfig``) is an empty, zeroed
structure: no features, no default arch (the host's), the default MAC
prefix 52:54:00, and no callbacks at all — no post-parse defaults, no
capabilities check (``hypervCapsInit`` feeds only ``virsh capabilities``)
and no validation.  Only the generic post-parse and validation apply, with
none of the optional features: ``<maxMemory>``/memory devices, ``<vcpus>``,
a ``/`` in the name, user aliases and model strings unknown to libvirt are
refused by the generic feature checks.  What the driver's define
(``hypervDomainDefineXML``) refuses by asking the Hyper-V host is not
reproduced."""

from __future__ import annotations

from postparse.driver import Driver, Feature


class HypervDriver(Driver):
    name = "hyperv"
    features = Feature.NONE
    def_arch = None
    description = "libvirt's Hyper-V driver: empty parser config, no callbacks"


driver = HypervDriver()

__all__ = ["HypervDriver", "driver"]
