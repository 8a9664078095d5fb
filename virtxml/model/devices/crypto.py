"""``<crypto>`` (virtio-crypto), a device libvirt 9.0 does not know yet.

libvirt 9.0's parser never looks at ``<devices><crypto>`` (and its schema
refuses it): a definition that has one is accepted and the device is
silently dropped.  The class declares the later libvirt form (``<crypto
model='virtio' type='qemu'><backend model='builtin' queues='N'/>...``) for
the JSON shape, but binding reads nothing of it (nothing in it can be an
error) and virtxml.parserules drops the device, as libvirt 9.0 does.
"""

from __future__ import annotations

from ...binding import UINT, attribute, custom_format, element, xml
from ..common import unread_when
from .info import ACPI, Address, Alias

CRYPTO_MODELS = ("virtio",)
CRYPTO_TYPES = ("qemu",)
CRYPTO_BACKENDS = ("builtin", "lkcf")


@xml("backend")
class CryptoBackend:
    model: str | None = attribute("model")
    queues: int | None = attribute("queues", UINT)


@xml("crypto")
class Crypto:
    model: str | None = attribute("model")
    type: str | None = attribute("type")
    backend: CryptoBackend | None = element("backend", CryptoBackend)
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        """libvirt 9.0 drops the device: nothing is written."""
        return


# libvirt 9.0 never reads the element
unread_when(Crypto, lambda ctx: True)


__all__ = ["Crypto", "CryptoBackend", "CRYPTO_MODELS", "CRYPTO_TYPES", "CRYPTO_BACKENDS"]
