"""IBM POWER Hypervisor (``phyp://``): **not part of libvirt 9.0.0**.

libvirt dropped its phyp driver before 9.0 (src/phyp is gone from the
9.0 tree: no ``subdir('phyp')`` in src/meson.build), so a 9.0 daemon has no
phyp parser config to reproduce.  This driver keeps the last one libvirt
shipped (``virPhypDriverDomainDefParserConfig``, phyp_driver.c): feature
NAME_SLASH, no default arch (the host's), the default MAC prefix, and
domain/device post-parse callbacks that do nothing — so only the generic
post-parse and validation apply.  No capabilities check, no validation
callbacks."""

from __future__ import annotations

from postparse.driver import Driver, Feature


class PhypDriver(Driver):
    name = "phyp"
    features = Feature.NAME_SLASH
    def_arch = None
    description = "IBM POWER Hypervisor (removed from libvirt before 9.0; last parser config kept)"


driver = PhypDriver()

__all__ = ["PhypDriver", "driver"]
