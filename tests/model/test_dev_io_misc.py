"""<video>, <input>, <sound>, <audio>: parse rules and format."""

from __future__ import annotations

import pytest
from lxml import etree

from virtxml.binding import ParseContext, to_xml
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags
from virtxml.model.devices.audio import Audio
from virtxml.model.devices.input import Input
from virtxml.model.devices.sound import Sound
from virtxml.model.devices.video import Video

CLS = {"video": Video, "input": Input, "sound": Sound, "audio": Audio}


def parse(xml: str, flags: int = 0):  # type: ignore[no-untyped-def]
    el = etree.fromstring(xml)
    return CLS[el.tag]._xml_parse(el, ParseContext(flags))


def fmt(xml: str, fflags: int = 0) -> str:
    return to_xml(parse(xml), int(fflags))


# ------------------------------------------------------------------- video

def test_video_without_model() -> None:
    assert fmt("<video/>") == "<video>\n  <model type='default' heads='1'/>\n</video>\n"


def test_video_model_attrs_order() -> None:
    out = fmt("<video><model primary='yes' heads='2' vgamem='16384' vram64='1' vram='2' ram='3' type='qxl'>"
              "<resolution x='800' y='600'/><acceleration rendernode='//dev/dri//x' accel2d='no' accel3d='yes'/>"
              "</model><driver name='vhostuser' vgaconf='on' iommu='on'/></video>")
    assert out == ("<video>\n  <driver iommu='on' vgaconf='on' name='vhostuser'/>\n"
                   "  <model type='qxl' ram='3' vram='2' vram64='1' vgamem='16384' heads='2' primary='yes'>\n"
                   "    <acceleration accel3d='yes' accel2d='no' rendernode='//dev/dri/x'/>\n"
                   "    <resolution x='800' y='600'/>\n  </model>\n</video>\n")


def test_video_primary_no_and_invalid_are_dropped() -> None:
    assert "primary" not in fmt("<video><model type='vga' primary='no'/></video>")
    assert "primary" not in fmt("<video><model type='vga' primary='bogus'/></video>")


def test_video_vgaconf_io_or_invalid_is_lost() -> None:
    assert "<driver" not in fmt("<video><driver vgaconf='io'/><model type='vga'/></video>")
    assert "<driver iommu='on'/>" in fmt("<video><driver vgaconf='bogus' iommu='on'/><model type='vga'/></video>")


@pytest.mark.parametrize("xml,message", [
    ("<video><model type='bogus'/></video>", "unknown video model 'bogus'"),
    ("<video><model type='vga'><acceleration/></model></video>", "missing values for acceleration"),
    ("<video><model type='vga'><resolution x='1'/></model></video>",
     "Missing required attribute 'y' in element 'resolution'"),
    ("<video><model type='vga' vram='-1'/></video>", "cannot parse video vram '-1'"),
    ("<video><model type='vga' heads='x'/></video>", "cannot parse video heads 'x'"),
    ("<video><driver name='default'/></video>", "Invalid value for attribute 'name' in element 'driver': 'default'."),
])
def test_video_errors(xml: str, message: str) -> None:
    with pytest.raises(ParseError) as ei:
        parse(xml)
    assert ei.value.message == message


# ------------------------------------------------------------------- input

def test_input_formats() -> None:
    assert fmt("<input type='mouse' bus='ps2'/>") == "<input type='mouse' bus='ps2'/>\n"
    assert fmt("<input type='evdev'><source dev='/dev/input//e1' grab='all' repeat='on'/></input>") == (
        "<input type='evdev'>\n  <source dev='/dev/input/e1' grab='all' repeat='on'/>\n</input>\n")
    assert fmt("<input type='passthrough' bus='virtio'><source evdev='/dev/input/e2' grab='all'/></input>") == (
        "<input type='passthrough' bus='virtio'>\n  <source evdev='/dev/input/e2'/>\n</input>\n")
    assert fmt("<input type='keyboard' bus='virtio' model='virtio-transitional'><driver ats='on'/></input>") == (
        "<input type='keyboard' bus='virtio' model='virtio-transitional'>\n  <driver ats='on'/>\n</input>\n")


def test_input_keyboard_migratable() -> None:
    assert fmt("<input type='keyboard' bus='ps2'/>", FormatFlags.MIGRATABLE) == ""
    assert fmt("<input type='keyboard' bus='usb'/>", FormatFlags.MIGRATABLE) != ""


@pytest.mark.parametrize("xml,message", [
    ("<input/>", "missing input device type"),
    ("<input type='joystick'/>", "unknown input device type 'joystick'"),
    ("<input type='mouse' bus='serial'/>", "unknown input bus type 'serial'"),
    ("<input type='mouse' model='x'/>", "unknown input model 'x'"),
    ("<input type='tablet' bus='usb'><address type='pci'/></input>", "Invalid address for a USB device"),
    ("<input type='evdev'><source/></input>", "Missing evdev path for input device"),
    ("<input type='evdev'><source dev='/d' grab='none'/></input>",
     "Invalid value for attribute 'grab' in element 'source': 'none'."),
])
def test_input_errors(xml: str, message: str) -> None:
    with pytest.raises(ParseError) as ei:
        parse(xml)
    assert ei.value.message == message


# ------------------------------------------------------------------- sound

def test_sound() -> None:
    assert fmt("<sound model='ich6'><codec type='micro'/><audio id='1'/><alias name='ua-s'/></sound>") == (
        "<sound model='ich6'>\n  <codec type='micro'/>\n  <audio id='1'/>\n  <alias name='ua-s'/>\n</sound>\n")
    # codecs only for ich6/ich9 (not ich7 in 9.0); no multichannel= in 9.0 (an unknown attribute)
    assert fmt("<sound model='ac97'><codec type='bogus'/></sound>") == "<sound model='ac97'/>\n"
    assert fmt("<sound model='ich7'><codec type='output'/></sound>") == "<sound model='ich7'/>\n"
    ctx = ParseContext(0)
    s = Sound._xml_parse(etree.fromstring("<sound model='usb' multichannel='yes'/>"), ctx)
    assert to_xml(s, 0) == "<sound model='usb'/>\n"
    assert [w for _l, _p, w in ctx.ignored] == ["@multichannel"]


@pytest.mark.parametrize("xml,message", [
    ("<sound/>", "Missing required attribute 'model' in element 'sound'"),
    ("<sound model='gus'/>", "Invalid value for attribute 'model' in element 'sound': 'gus'."),
    ("<sound model='ich9'><codec type='bogus'/></sound>", "unknown codec type 'bogus'"),
    ("<sound model='ich9'><codec/></sound>", "unknown codec type '(null)'"),
])
def test_sound_errors(xml: str, message: str) -> None:
    with pytest.raises(ParseError) as ei:
        parse(xml)
    assert ei.value.message == message


# ------------------------------------------------------------------- audio

def test_audio_backend_attrs() -> None:
    out = fmt("<audio id='1' type='oss' tryMMap='yes' exclusive='no' dspPolicy='3' serverName='x' path='/p'>"
              "<input dev='/dev/dsp0' bufferCount='2' tryPoll='yes' name='ignored'/><output voices='2'/></audio>")
    assert out == ("<audio id='1' type='oss' tryMMap='yes' exclusive='no' dspPolicy='3'>\n"
                   "  <input dev='/dev/dsp0' bufferCount='2' tryPoll='yes'/>\n  <output voices='2'/>\n</audio>\n")


def test_audio_settings() -> None:
    out = fmt("<audio id='2' type='pulseaudio' serverName='s' timerPeriod='50'>"
              "<input mixingEngine='yes' fixedSettings='yes' name='n' latency='9'>"
              "<settings frequency='44100' channels='2' format='s16'/></input>"
              "<output mixingEngine='yes' fixedSettings='yes'/></audio>")
    assert out == ("<audio id='2' type='pulseaudio' timerPeriod='50' serverName='s'>\n"
                   "  <input mixingEngine='yes' fixedSettings='yes' name='n' latency='9'>\n"
                   "    <settings frequency='44100' channels='2' format='s16'/>\n  </input>\n"
                   "  <output mixingEngine='yes' fixedSettings='yes'>\n    <settings/>\n  </output>\n</audio>\n")


def test_audio_backend_attrs_only_read_for_their_backend() -> None:
    assert fmt("<audio id='1' type='none' tryMMap='bogus'><input bufferCount='x' tryPoll='x'/></audio>") == (
        "<audio id='1' type='none'/>\n")


def test_audio_empty_io_not_written() -> None:
    assert fmt("<audio id='1' type='spice'><input/><output dev='x'/></audio>") == "<audio id='1' type='spice'/>\n"


@pytest.mark.parametrize("xml,message", [
    ("<audio type='none'/>", "Missing required attribute 'id' in element 'audio'"),
    ("<audio id='1'/>", "Missing required attribute 'type' in element 'audio'"),
    ("<audio id='0' type='none'/>", "Invalid value for attribute 'id' in element 'audio': Zero is not permitted"),
    ("<audio id='1' type='bogus'/>", "Invalid value for attribute 'type' in element 'audio': 'bogus'."),
    ("<audio id='1' type='oss' dspPolicy='-2'/>", "cannot parse 'dspPolicy' value '-2'"),
    ("<audio id='1' type='sdl' driver='x'/>", "Invalid value for attribute 'driver' in element 'audio': 'x'."),
    ("<audio id='1' type='sdl' driver='default'/>",
     "Invalid value for attribute 'driver' in element 'audio': 'default'."),
    ("<audio id='1' type='oss'><input bufferCount='x'/></audio>",
     "Invalid value for attribute 'bufferCount' in element 'input': 'x'. Expected non-negative integer value"),
    ("<audio id='1' type='jack'><output exactName='x'/></audio>",
     "Invalid value for attribute 'exactName' in element 'output': 'x'."),
    ("<audio id='1' type='none'><input fixedSettings='yes'/></audio>",
     "fixed audio settings requires mixing engine"),
    ("<audio id='1' type='none'><input><settings/></input></audio>",
     "audio settings specified without fixed settings flag"),
    ("<audio id='1' type='none'><output voices='0'/></audio>",
     "Invalid value for attribute 'voices' in element 'output': Zero is not permitted"),
])
def test_audio_errors(xml: str, message: str) -> None:
    with pytest.raises(ParseError) as ei:
        parse(xml)
    assert ei.value.message == message
