"""The bare parser config of libvirt's test harness (tests/testutils.c,
``virTestGenericDomainDefParserConfig``): feature INDIVIDUAL_VCPUS only, no
callbacks, no default arch (the host's arch is used).  libvirt's
genericxml2xml tests run with it; it is the "driver-independent" profile."""

from __future__ import annotations

from postparse.driver import Driver, Feature


class GenericDriver(Driver):
    name = "generic"
    features = Feature.INDIVIDUAL_VCPUS
    def_arch = None
    description = "driver-independent parser config (libvirt's generic test xmlopt)"


driver = GenericDriver()
