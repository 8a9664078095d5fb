"""``<audio>`` backends (virDomainAudioDefParseXML / virDomainAudioDefFormat).

Per-backend attributes are read only for the backend that owns them
(libvirt ignores the others): OSS ``tryMMap``/``exclusive``/``dspPolicy``,
PulseAudio ``serverName``, SDL ``driver``, file ``path``; on
``<input>``/``<output>``: ALSA ``dev``, CoreAudio ``bufferCount``, JACK
``serverName``/``clientName``/``connectPorts``/``exactName``, OSS
``dev``/``bufferCount``/``tryPoll``, PulseAudio
``name``/``streamName``/``latency``, SDL ``bufferCount``.
"""

from __future__ import annotations

from typing import Any

import attrs

from ...binding import INT, UINT, YESNO, ConvError, Enum, Int, attribute, custom_format, element, escape, xml
from .chardev import missing_attr

AUDIO_TYPES = ("none", "alsa", "coreaudio", "jack", "oss", "pulseaudio", "sdl", "spice", "file", "dbus")
AUDIO_FORMATS = ("u8", "s8", "u16", "s16", "u32", "s32", "f32")
SDL_DRIVERS = ("default", "esd", "alsa", "arts", "pulseaudio")

UINT_NZ = Int(nonzero=True)

#: which <input>/<output> backend attributes each audio type reads
_IO_ATTRS: dict[str, tuple[str, ...]] = {
    "alsa": ("dev",),
    "coreaudio": ("buffer_count",),
    "jack": ("server_name", "client_name", "connect_ports", "exact_name"),
    "oss": ("dev", "buffer_count", "try_poll"),
    "pulseaudio": ("name", "stream_name", "latency"),
    "sdl": ("buffer_count",),
}
_ALL_IO_ATTRS = ("dev", "buffer_count", "try_poll", "server_name", "client_name", "connect_ports",
                 "exact_name", "name", "stream_name", "latency")

#: which <audio> attributes each type reads
_TOP_ATTRS: dict[str, tuple[str, ...]] = {
    "oss": ("try_mmap", "exclusive", "dsp_policy"),
    "pulseaudio": ("server_name",),
    "sdl": ("driver",),
    "file": ("path",),
}
_ALL_TOP_ATTRS = ("try_mmap", "exclusive", "dsp_policy", "server_name", "driver", "path")


_ATTR_NAMES = {"buffer_count": "bufferCount", "try_poll": "tryPoll", "exact_name": "exactName",
               "latency": "latency", "try_mmap": "tryMMap", "exclusive": "exclusive", "dsp_policy": "dspPolicy",
               "driver": "driver"}
_CONV: dict[str, Any] = {"buffer_count": UINT, "try_poll": YESNO, "exact_name": YESNO, "latency": UINT,
                         "try_mmap": YESNO, "exclusive": YESNO, "dsp_policy": INT,
                         "driver": Enum(SDL_DRIVERS, zero="default")}


def _convert(ctx: Any, el: Any, field: str, value: str) -> Any:
    try:
        return _CONV[field].parse(value)
    except ConvError as e:
        ctx.bad_value(el, _ATTR_NAMES[field], value, e)


@xml("settings")
class AudioSettings:
    frequency: int | None = attribute("frequency", UINT_NZ)
    channels: int | None = attribute("channels", UINT_NZ)
    format: str | None = attribute("format", Enum(AUDIO_FORMATS))


@xml("input")
class AudioIO:
    """``<input>`` / ``<output>`` of an audio backend."""

    mixing_engine: bool | None = attribute("mixingEngine", YESNO)
    fixed_settings: bool | None = attribute("fixedSettings", YESNO)
    voices: int | None = attribute("voices", UINT_NZ)
    buffer_length: int | None = attribute("bufferLength", UINT_NZ)
    # backend specific, in libvirt's output order
    # (read as text; converted by Audio for the backend that owns them)
    dev: str | None = attribute("dev")
    buffer_count: Any = attribute("bufferCount")
    try_poll: Any = attribute("tryPoll")
    server_name: str | None = attribute("serverName")
    client_name: str | None = attribute("clientName")
    connect_ports: str | None = attribute("connectPorts")
    exact_name: Any = attribute("exactName")
    name: str | None = attribute("name")
    stream_name: str | None = attribute("streamName")
    latency: Any = attribute("latency")
    settings: AudioSettings | None = element("settings", AudioSettings)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("fixed_settings") is True and kw.get("mixing_engine") is not True:
            raise ctx.error(el, "fixed audio settings requires mixing engine")
        if kw.get("settings") is not None and kw.get("fixed_settings") is not True:
            raise ctx.error(el, "audio settings specified without fixed settings flag")

    def is_empty(self) -> bool:
        return all(getattr(self, f) in (None, 0) for f in
                   ("mixing_engine", "fixed_settings", "voices", "buffer_length")) and \
            not self._backend_attrs()

    def _backend_attrs(self) -> str:
        s = ""
        if self.dev is not None:
            s += " dev='%s'" % escape(self.dev)
        if self.buffer_count:
            s += " bufferCount='%u'" % self.buffer_count
        if self.try_poll is not None:
            s += " tryPoll='%s'" % ("yes" if self.try_poll else "no")
        for attr, v in (("serverName", self.server_name), ("clientName", self.client_name),
                        ("connectPorts", self.connect_ports)):
            if v is not None:
                s += " %s='%s'" % (attr, escape(v))
        if self.exact_name is not None:
            s += " exactName='%s'" % ("yes" if self.exact_name else "no")
        for attr, v in (("name", self.name), ("streamName", self.stream_name)):
            if v is not None:
                s += " %s='%s'" % (attr, escape(v))
        if self.latency:
            s += " latency='%u'" % self.latency
        return s

    def format_as(self, out: list[str], ind: str, tag: str) -> None:
        """virDomainAudioCommonFormat."""
        backend = self._backend_attrs()
        if (self.mixing_engine is None and self.fixed_settings is None and not self.voices
                and not self.buffer_length and not backend):
            return
        s = ind + "<" + tag
        if self.mixing_engine is not None:
            s += " mixingEngine='%s'" % ("yes" if self.mixing_engine else "no")
        if self.fixed_settings is not None:
            s += " fixedSettings='%s'" % ("yes" if self.fixed_settings else "no")
        if self.voices:
            s += " voices='%u'" % self.voices
        if self.buffer_length:
            s += " bufferLength='%u'" % self.buffer_length
        s += backend
        if self.fixed_settings is True:
            st = self.settings or AudioSettings()
            a = ""
            if st.frequency:
                a += " frequency='%u'" % st.frequency
            if st.channels:
                a += " channels='%u'" % st.channels
            if st.format is not None:
                a += " format='%s'" % st.format
            out.append(s + ">\n")
            out.append(ind + "  <settings" + a + "/>\n")
            out.append(ind + "</%s>\n" % tag)
        else:
            out.append(s + "/>\n")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        self.format_as(out, ind, "input")


@xml("output")
class AudioOutput(AudioIO):
    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        self.format_as(out, ind, "output")


@xml("audio")
class Audio:
    id: int | None = attribute("id", UINT_NZ)
    type: str | None = attribute("type", Enum(AUDIO_TYPES))
    timer_period: int | None = attribute("timerPeriod", UINT_NZ)
    # backend specific (read as text, converted for the owning backend)
    try_mmap: Any = attribute("tryMMap")
    exclusive: Any = attribute("exclusive")
    dsp_policy: Any = attribute("dspPolicy")
    server_name: str | None = attribute("serverName")
    driver: str | None = attribute("driver")
    path: str | None = attribute("path")
    input: AudioIO | None = element("input", AudioIO)
    output: AudioOutput | None = element("output", AudioOutput)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if el.get("type") is None:
            raise missing_attr(ctx, el, "type")
        if el.get("id") is None:
            raise missing_attr(ctx, el, "id")
        t = kw["type"]
        keep = _TOP_ATTRS.get(t, ())
        for f in _ALL_TOP_ATTRS:
            if f not in keep:
                kw.pop(f, None)
        for f in keep:
            if kw.get(f) is not None and f in _CONV:
                kw[f] = _convert(ctx, el, f, kw[f])
        if t == "oss" and kw.get("dsp_policy") is not None and kw["dsp_policy"] < 0:
            raise ctx.error(el, "cannot parse 'dspPolicy' value '%d'" % kw["dsp_policy"])
        keep_io = _IO_ATTRS.get(t, ())
        for side in ("input", "output"):
            io = kw.get(side)
            if io is not None:
                sel = next(ch for ch in el if ch.tag == side)
                new = {f: None for f in _ALL_IO_ATTRS if f not in keep_io}
                for f in keep_io:
                    v = getattr(io, f)
                    if v is not None and f in _CONV:
                        new[f] = _convert(ctx, sel, f, v)
                kw[side] = attrs.evolve(io, **new)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<audio id='%d' type='%s'" % (self.id or 0, self.type or "none")
        if self.timer_period:
            s += " timerPeriod='%u'" % self.timer_period
        if self.type == "oss":
            if self.try_mmap is not None:
                s += " tryMMap='%s'" % ("yes" if self.try_mmap else "no")
            if self.exclusive is not None:
                s += " exclusive='%s'" % ("yes" if self.exclusive else "no")
            if self.dsp_policy is not None:
                s += " dspPolicy='%d'" % self.dsp_policy
        elif self.type == "pulseaudio":
            if self.server_name is not None:
                s += " serverName='%s'" % escape(self.server_name)
        elif self.type == "sdl":
            if self.driver is not None:
                s += " driver='%s'" % self.driver
        elif self.type == "file":
            if self.path is not None:
                s += " path='%s'" % escape(self.path)
        child: list[str] = []
        ci = ind + "  "
        if self.input is not None:
            self.input.format_as(child, ci, "input")
        if self.output is not None:
            self.output.format_as(child, ci, "output")
        if child:
            out.append(s + ">\n")
            out.extend(child)
            out.append(ind + "</audio>\n")
        else:
            out.append(s + "/>\n")


__all__ = ["Audio", "AudioIO", "AudioOutput", "AudioSettings", "AUDIO_TYPES"]
