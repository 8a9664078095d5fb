"""``<sound>`` (virDomainSoundDefParseXML / virDomainSoundDefFormat)."""

from __future__ import annotations

from typing import Any

from ...binding import Enum, Int, attribute, element, elements, xml
from .chardev import missing_attr
from .info import ACPI, Address, Alias, Master

SOUND_MODELS = ("sb16", "es1370", "pcspk", "ac97", "ich6", "ich9", "usb", "ich7")
CODEC_TYPES = ("duplex", "micro", "output")
_CODEC_MODELS = ("ich6", "ich9")


@xml("codec")
class SoundCodec:
    type: str | None = attribute("type")


@xml("audio")
class AudioRef:
    """``<audio id='N'/>`` reference from a sound or graphics device."""

    id: int | None = attribute("id", Int(nonzero=True))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if el.get("id") is None:
            raise missing_attr(ctx, el, "id")


@xml("sound")
class Sound:
    model: str | None = attribute("model", Enum(SOUND_MODELS))
    codecs: list[SoundCodec] = elements("codec", SoundCodec)
    audio: AudioRef | None = element("audio", AudioRef)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if el.get("model") is None:
            raise missing_attr(ctx, el, "model")
        if kw["model"] not in _CODEC_MODELS:
            kw.pop("codecs", None)
        else:
            for c, cel in zip(kw.get("codecs") or [], [ch for ch in el if ch.tag == "codec"]):
                if c.type not in CODEC_TYPES:
                    raise ctx.error(cel, "unknown codec type '%s'" % ("(null)" if c.type is None else c.type))


__all__ = ["Sound", "SoundCodec", "AudioRef", "SOUND_MODELS"]
