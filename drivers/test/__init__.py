"""STUB: libvirt's test driver (to be completed)."""

from __future__ import annotations

from postparse.driver import Driver, Feature


class TestDriver(Driver):
    name = "test"
    features = (Feature.MEMORY_HOTPLUG | Feature.OFFLINE_VCPUPIN | Feature.INDIVIDUAL_VCPUS
                | Feature.USER_ALIAS | Feature.FW_AUTOSELECT | Feature.NET_MODEL_STRING)
    def_arch = "i686"
    description = "libvirt's test driver (test:///default)"


driver = TestDriver()
