"""Capabilities in libvirt's own formats, and where the QEMU driver gets them.

* :mod:`.qemucaps` — the QEMU capability cache ``<qemuCaps>``;
* :mod:`.hostcaps` — host ``<capabilities>``;
* :mod:`.domcaps` — ``<domainCapabilities>``;
* :mod:`.source` — :class:`CapsSource` ("caps for binary X");
* :mod:`.probe` — probing a QEMU binary on this machine (cached on disk);
* :mod:`.profile` — built-in profiles (``libvirt-test``: libvirt's fake test host).
"""

from __future__ import annotations

from .domcaps import DomainCaps, parse_domain_caps
from .hostcaps import HostCaps, parse_host_caps
from .probe import cache_file_name, caps_probe_main, probe
from .profile import profile
from .qemucaps import (CapsError, MachineType, QemuCaps, format_qemu_caps, order_machines,
                       parse_qemu_caps)
from .source import CapsSource, source_from_options

__all__ = ["CapsError", "CapsSource", "DomainCaps", "HostCaps", "MachineType", "QemuCaps",
           "cache_file_name", "caps_probe_main", "format_qemu_caps", "order_machines",
           "parse_domain_caps", "parse_host_caps", "parse_qemu_caps", "probe", "profile",
           "source_from_options"]
