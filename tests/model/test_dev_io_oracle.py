"""Differential check against real libvirt 9.0 (its test driver: define
parses with PARSE_INACTIVE, dumpxml of a defined guest formats INACTIVE).
Each probe is one device; the device's XML (or libvirt's parse-time error
text) must be what this model gives.  The probes avoid what post-parse or
validation would change.  Skipped when libvirt's Python binding is not
installed (see /work/shared/tools/oracle)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from lxml import etree

from tests.model.test_dev_io_corpus import CLASSES
from virtxml.binding import ParseContext
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags, ParseFlags

PY = "/usr/bin/python3"

ORACLE = r'''
import libvirt, sys, json
libvirt.registerErrorHandler(lambda *a: None, None)
conn = libvirt.open('test:///default')
res = []
for i, (devs, secure) in enumerate(json.loads(sys.stdin.read())):
    xml = ("<domain type='test'><name>p%d</name><memory>1024</memory><os><type>hvm</type></os>"
           "<devices>%s</devices></domain>" % (i, devs))
    try:
        d = conn.defineXML(xml)
    except libvirt.libvirtError as e:
        res.append(['ERROR', e.get_error_message()])
        continue
    res.append(['OK', d.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE if secure else 0)])
    d.undefine()
print(json.dumps(res))
'''

_PREFIX = re.compile(r"^(XML error|unsupported configuration|internal error|invalid argument|numerical overflow): ")


def _oracle_available() -> bool:
    if shutil.which(PY) is None:
        return False
    r = subprocess.run([PY, "-c", "import libvirt"], capture_output=True)
    return r.returncode == 0


PROBES: list[tuple[str, bool]] = [("<serial type='nmdm'><source master='/dev/nmdm0A' slave='/dev/nmdm0B'/><target port='0'/></serial>", False),
 ("<serial type='udp'><source host='a' service='1'/><source host='b' service='2'/><target port='0'/></serial>",
  False),
 ("<serial type='file'><source path='/tmp/f' append='off'/><log file='/tmp/l'/><target port='0'/></serial>",
  False),
 ("<serial type='pipe'><source path='/tmp/p'><seclabel model='dac' relabel='no'/></source><target "
  "port='0'/></serial>",
  False),
 ("<serial type='file'><source path='/tmp/p'><seclabel model='dac' relabel='yes'/></source><target "
  "port='0'/></serial>",
  False),
 ("<serial type='file'><source path='/tmp/p'><seclabel model='dac' "
  "relabel='yes'><label>x:y</label></seclabel></source><target port='0'/></serial>",
  False),
 ("<serial type='spiceport'><source channel='org.qemu.console.serial.0'/><target port='0'/></serial>", False),
 ("<serial type='pty'><target type='isa-serial' port='0'><model name='isa-serial'/></target></serial>", False),
 ("<serial type='pty'><target type='isa-debug' port='0'><model name='isa-debugcon'/></target></serial>", False),
 ("<serial type='null'><target port='0'/></serial>", False),
 ("<serial type='vc'><target port='0'/></serial>", False),
 ("<serial type='stdio'><target port='0'/></serial>", False),
 ("<serial type='unix'><source mode='connect' path='/tmp/s'><reconnect enabled='yes' "
  "timeout='10'/></source><target port='0'/></serial>",
  False),
 ("<parallel type='pty'><target port='0'/></parallel>", False),
 ("<parallel type='file'><source path='/tmp/x'/><target port='0'/></parallel>", False),
 ("<channel type='unix'><source mode='bind' path='/tmp/guestfwd'/><target type='guestfwd' address='10.0.2.1' "
  "port='4600'/></channel>",
  False),
 ("<channel type='pty'><target type='virtio' name='org.linux-kvm.port.0' state='connected'/></channel>", False),
 ("<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>", False),
 ("<channel type='qemu-vdagent'><source><clipboard copypaste='yes'/><mouse mode='client'/></source><target "
  "type='virtio' name='com.redhat.spice.0'/></channel>",
  False),
 ("<channel type='qemu-vdagent'><target type='virtio'/></channel>", False),
 ("<channel type='dbus'><source channel='org.qemu.x'/><target type='virtio' name='org.qemu.x'/></channel>", False),
 ("<channel type='pty'><target type='xen' name='x'/></channel>", False),
 ("<channel type='pty'><target type='none'/></channel>", False),
 ("<console type='pty'><target type='virtio' port='0'/></console>", False),
 ("<console type='pty' tty='/dev/pts/1'><source path='/dev/pts/1'/><target type='virtio' port='0'/></console>",
  False),
 ("<console type='file'><source path='/tmp/c'/><target type='virtio' port='0'/></console>", False),
 ("<serial type='pty'><target type='usb-serial' port='0'><model name='usb-serial'/></target><address type='usb' "
  "bus='0' port='1'/></serial>",
  False),
 ("<serial type='pty'><target port='0'/><alias name='ua-x'/></serial>", False),
 ("<serial type='tcp'><source mode='connect' host='h' service='1' tls='no'/><target port='0'/></serial>", False),
 ("<serial type='bogus'/>", False),
 ("<channel type='pty'/>", False),
 ("<serial type='spicevmc'><target port='0'/></serial>", False),
 ("<graphics type='vnc'/>", False),
 ("<graphics type='vnc' port='5900' autoport='yes' listen='0.0.0.0' keymap='en-us' sharePolicy='force-shared' "
  "powerControl='yes' passwd='abc' passwdValidTo='2010-04-09T15:51:00' connected='keep'/>",
  False),
 ("<graphics type='vnc' port='5900' autoport='no' passwd='abc'/>", True),
 ("<graphics type='vnc' port='-1' autoport='no'/>", False),
 ("<graphics type='vnc' port='5901' autoport='bogus'/>", False),
 ("<graphics type='vnc' socket='/tmp/s'><listen type='address' address='1.2.3.4'/><listen type='network' "
  "network='default' address='5.6.7.8'/></graphics>",
  False),
 ("<graphics type='vnc' listen=''><listen type='address'/></graphics>", False),
 ("<graphics type='vnc'><listen type='none'/></graphics>", False),
 ("<graphics type='vnc'><listen type='socket'/></graphics>", False),
 ("<graphics type='vnc' websocket='-1'/>", False),
 ("<graphics type='vnc' websocket='5700' port='5900'/>", False),
 ("<graphics type='spice' port='5903' tlsPort='5904' autoport='no' listen='127.0.0.1' defaultMode='secure' "
  "keymap='de' passwd='x' passwdValidTo='2011-5-6T1:2:3' connected='disconnect'><channel name='main' "
  "mode='secure'/><channel name='inputs' mode='insecure'/><channel name='record' mode='any'/><image "
  "compression='auto_glz'/><jpeg compression='auto'/><zlib compression='auto'/><playback "
  "compression='on'/><streaming mode='filter'/><mouse mode='client'/><clipboard copypaste='no'/><filetransfer "
  "enable='no'/><gl enable='yes' rendernode='/dev/dri/foo'/></graphics>",
  False),
 ("<graphics type='spice' port='-1' tlsPort='-1'/>", False),
 ("<graphics type='spice'><listen type='none'/></graphics>", False),
 ("<graphics type='spice'><listen type='socket' socket='/tmp/spice.sock'/></graphics>", False),
 ("<graphics type='rdp'/>", False),
 ("<graphics type='rdp' port='3389' autoport='no' replaceUser='yes' multiUser='yes' listen='1.2.3.4'/>", False),
 ("<graphics type='rdp' port='3389' autoport='yes'/>", False),
 ("<graphics type='sdl' display=':0.1' xauth='/root/.Xauthority' fullscreen='yes'><gl enable='yes'/></graphics>",
  False),
 ("<graphics type='sdl' fullscreen='no'/>", False),
 ("<graphics type='desktop' display=':0.1' fullscreen='yes'/>", False),
 ("<graphics type='egl-headless'><gl rendernode='/dev/dri/renderD128'/></graphics>", False),
 ("<graphics type='egl-headless'/>", False),
 ("<graphics type='dbus'/>", False),
 ("<graphics type='dbus' p2p='yes'><gl enable='yes' rendernode='/dev/dri/foo'/><audio id='1'/></graphics>", False),
 ("<graphics type='dbus' address='unix:path=/tmp/foo'><gl enable='no'/></graphics>", False),
 ("<graphics type='vnc' passwd='p' connected='fail'/>", False),
 ("<graphics type='rdp'><listen type='socket'/></graphics>", False),
 ("<graphics type='vnc' port=' 5900'/>", False),
 ("<graphics type='vnc'><listen type='network' network='n' address='1.2.3.4'/></graphics>", False),
 ("<interface type='network'><mac address='52:54:00:11:22:33'/><source network='default' portgroup='pg' "
  "portid='1aa8b6b4-7a6e-4e6e-a1d2-000000000001'/><target dev='vnet3'/><model type='virtio'/></interface>",
  False),
 ("<interface type='network'><mac address='52:54:00:11:22:33'/><source network='default'/><virtualport "
  "type='802.1Qbh'/></interface>",
  False),
 ("<interface type='bridge'><mac address='52:54:00:11:22:33'/><source bridge='br0'/><virtualport "
  "type='802.1Qbh'><parameters profileid='finance'/></virtualport></interface>",
  False),
 ("<interface type='bridge'><mac address='52:54:00:11:22:33'/><source bridge='br0'/><filterref "
  "filter='clean-traffic'><parameter name='IP' value='10.0.0.1'/><parameter name='A' value='1'/><parameter "
  "name='IP' value='10.0.0.2'/></filterref></interface>",
  False),
 ("<interface type='direct'><mac address='52:54:00:11:22:33'/><source dev='eth0' mode='private'/></interface>",
  False),
 ("<interface type='ethernet'><mac address='52:54:00:11:22:33'/><target dev='tap0' managed='no'/><script "
  "path='/etc/qemu-ifup'/><downscript path=''/><model type='e1000'/></interface>",
  False),
 ("<interface type='ethernet'><mac address='52:54:00:11:22:33'/><source><ip address='192.168.122.12' "
  "prefix='24'/><route family='ipv4' address='192.168.0.0' prefix='16' gateway='192.168.122.1'/></source><ip "
  "address='192.168.122.13' family='ipv4' prefix='24' peer='192.168.122.1'/><route family='ipv6' "
  "address='2001:db8::' prefix='32' gateway='fe80::1' metric='2'/><route address='10.0.0.0' netmask='255.0.0.0' "
  "gateway='192.168.122.1'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='VirTio'/><driver name='vhost' "
  "txmode='iothread' ioeventfd='on' event_idx='off' queues='5' rx_queue_size='256' tx_queue_size='256' rss='on' "
  "rss_hash_report='on' iommu='on' ats='on' packed='on' page_per_vq='on'><host csum='off' gso='off' tso4='off' "
  "tso6='off' ecn='off' ufo='off' mrg_rxbuf='off'/><guest csum='off' tso4='off' tso6='off' ecn='off' "
  "ufo='off'/></driver></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver "
  "queues='1'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><backend tap='//dev/net//tun' "
  "vhost='/dev/vhost-net/'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='e1000'/><backend tap='/dev/net/tun' "
  "vhost='/dev/vhost-net'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><link state='down'/><mtu "
  "size='1500'/><tune><sndbuf>1600</sndbuf></tune><teaming type='persistent'/><coalesce><rx><frames "
  "max='7'/></rx></coalesce></interface>",
  False),
 ("<interface type='vhostuser'><mac address='52:54:00:11:22:33'/><source type='unix' path='/tmp/vhost.sock' "
  "mode='client'><reconnect enabled='no'/></source><model type='virtio'/></interface>",
  False),
 ("<interface type='server'><mac address='52:54:00:11:22:33'/><source address='192.168.0.1' "
  "port='5558'/></interface>",
  False),
 ("<interface type='server'><mac address='52:54:00:11:22:33'/><source port='5558'/></interface>", False),
 ("<interface type='udp'><mac address='52:54:00:11:22:33'/><source address='192.168.10.1' port='5555'><local "
  "address='192.168.10.1' port='5556'/></source></interface>",
  False),
 ("<interface type='mcast'><mac address='52:54:00:11:22:33'/><source address='230.0.0.1' "
  "port='5558'/></interface>",
  False),
 ("<interface type='vdpa'><mac address='52:54:00:11:22:33'/><source dev='/dev/vhost-vdpa-0'/></interface>", False),
 ("<interface type='null'><mac address='52:54:00:11:22:33'/></interface>", False),
 ("<interface type='hostdev' managed='yes'><mac address='52:54:00:11:22:33'/><driver "
  "name='vfio'/><source><address type='pci' domain='0x0002' bus='0x03' slot='0x07' "
  "function='0x1'/></source><vlan><tag id='42'/></vlan></interface>",
  False),
 ("<interface type='hostdev'><mac address='52:54:00:11:22:33'/><source><vendor id='0x1234'/><product "
  "id='0xbeef'/></source></interface>",
  False),
 ("<interface type='network' trustGuestRxFilters='yes'><mac address='52:54:00:11:22:33'/><source "
  "network='n'/><bandwidth><inbound average='1000' peak='5000' floor='200' burst='1024'/><outbound average='128' "
  "peak='256' burst='256'/></bandwidth><vlan trunk='yes'><tag id='42' nativeMode='untagged'/><tag "
  "id='47'/></vlan><port isolated='yes'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><guest dev='eth1' actual='x'/><boot order='1' "
  "loadparm='ab'/><rom bar='off' file='/x'/><acpi index='3'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:AA:bb:CC' type='generated' check='no'/><model "
  "type='spapr-vlan'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='unknown'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='my_model-1'/></interface>", False),
 ("<interface type='internal'><mac address='52:54:00:11:22:33'/><source name='x'/></interface>", False),
 ("<interface type='bridge'><mac address='52:54:00:11:22:33'/><source bridge='br0'/><target "
  "dev='macvtap0'/><backenddomain name='dom0'/></interface>",
  False),
 ("<interface type='ethernet'><mac address='52:54:00:11:22:33'/><target dev='vnet0' managed='no'/></interface>",
  False),
 ("<video><model type='qxl' ram='65536' vram='32768' vgamem='8192' heads='1' primary='yes'/></video>", False),
 ("<input type='mouse' bus='ps2'/>", False),
 ("<input type='tablet' bus='usb'><address type='usb' bus='0' port='1'/></input>", False),
 ("<input type='keyboard' bus='virtio' model='virtio-non-transitional'><driver iommu='on' ats='on' packed='on' "
  "page_per_vq='off'/></input>",
  False),
 ("<input type='passthrough' bus='virtio'><source evdev='/dev/input//event1234/'/></input>", False),
 ("<input type='evdev'><source dev='/dev/input/event1234' grab='all' grabToggle='ctrl-ctrl' repeat='on'/></input>",
  False),
 ("<input type='evdev'><source dev='/dev/input/event1234'/></input>", False),
 ("<input type='evdev'><source evdev='/dev/input/event1234'/></input>", False),
 ("<input type='mouse' bus='ps2'><source evdev='/x' grab='all'/></input>", False),
 ("<input type='mouse' bus='virtio'/>", False),
 ("<sound model='ich9'/>", False),
 ("<sound model='usb' multichannel='yes'/>", False),
 ("<sound model='ac97'><codec type='micro'/></sound>", False),
 ("<sound model='es1370'><address type='pci' domain='0' bus='0' slot='7' function='0'/></sound>", False),
 ("<audio id='1' type='none'/>", False),
 ("<audio id='1' type='oss' tryMMap='yes' exclusive='yes' dspPolicy='4'><input dev='/dev/dsp0' bufferCount='50' "
  "tryPoll='yes' mixingEngine='yes' fixedSettings='yes' voices='1' bufferLength='100'><settings frequency='44100' "
  "channels='2' format='s16'/></input><output dev='/dev/dsp1'/></audio>",
  False),
 ("<audio id='1' type='alsa' timerPeriod='100'><input dev='/dev/dsp0'/><output dev='/dev/dsp1'/></audio>", False),
 ("<audio id='1' type='coreaudio'><input bufferCount='50'/><output bufferCount='42' dev='x'/></audio>", False),
 ("<audio id='1' type='jack'><input serverName='s' clientName='c' connectPorts='p' exactName='yes'/><output "
  "serverName='s2'/></audio>",
  False),
 ("<audio id='1' type='pulseaudio' serverName='srv'><input name='n' streamName='s' latency='4'/><output "
  "name='o'/></audio>",
  False),
 ("<audio id='1' type='sdl' driver='esd'><input bufferCount='3'/><output bufferCount='4'/></audio>", False),
 ("<audio id='1' type='spice'><input mixingEngine='no'/></audio>", False),
 ("<audio id='1' type='file' path='/tmp/audio.wav'/>", False),
 ("<audio id='1' type='dbus'><output mixingEngine='yes' fixedSettings='yes'/></audio>", False),
 ("<audio id='1' type='oss' dspPolicy='-1'/>", False),
 ("<interface type='bogus'/>", False),
 ("<interface type='network'/>", False),
 ("<interface type='network'><source/></interface>", False),
 ("<interface type='bridge'><source/></interface>", False),
 ("<interface type='direct'><source dev='e' mode='x'/></interface>", False),
 ("<interface type='vhostuser'><source type='tcp' path='/p' mode='client'/></interface>", False),
 ("<interface type='vhostuser'><source type='unix' path='/p'/></interface>", False),
 ("<interface type='udp'><source address='1.2.3.4' port='5'/></interface>", False),
 ("<interface type='client'><source port='5'/></interface>", False),
 ("<interface type='mcast'><source address='1.2.3.4' port='x'/></interface>", False),
 ("<interface type='user'><virtualport type='openvswitch'/></interface>", False),
 ("<interface type='bridge'><source bridge='b'/><virtualport/></interface>", False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='x'/></interface>", False),
 ("<interface type='network'><source network='n'/><virtualport><parameters "
  "managerid='300'/></virtualport></interface>",
  False),
 ("<interface type='network'><source network='n'/><vlan/></interface>", False),
 ("<interface type='network'><source network='n'/><vlan><tag id='5000'/></vlan></interface>", False),
 ("<interface type='network'><source network='n'/><vlan trunk='no'><tag id='1'/><tag id='2'/></vlan></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><bandwidth><inbound floor='1'/></bandwidth></interface>", False),
 ("<interface type='network'><source network='n'/><bandwidth><inbound peak='1'/></bandwidth></interface>", False),
 ("<interface type='user'><model type='e1000 x'/></interface>", False),
 ("<interface type='user'><link state='sideways'/></interface>", False),
 ("<interface type='user'><teaming persistent='x'/></interface>", False),
 ("<interface type='user'><tune><sndbuf>x</sndbuf></tune></interface>", False),
 ("<interface type='user'><mtu size='x'/></interface>", False),
 ("<interface type='user'><coalesce><rx><frames max='x'/></rx></coalesce></interface>", False),
 ("<interface type='user'><model type='virtio'/><driver name='default'/></interface>", False),
 ("<interface type='user'><model type='virtio'/><driver queues='-5'/></interface>", False),
 ("<interface type='user'><backend type='default'/></interface>", False),
 ("<interface type='user'><ip family='ipv4'/></interface>", False),
 ("<interface type='user'><ip address='::1' family='ipv4'/></interface>", False),
 ("<interface type='ethernet'><route address='192.168.1.0' prefix='24'/></interface>", False),
 ("<interface type='ethernet'><source><route address='192.168.1.1' prefix='24' "
  "gateway='192.168.1.254'/></source></interface>",
  False),
 ("<interface type='user'><portForward/></interface>", False),
 ("<interface type='user'><portForward proto='tcp' address='x'/></interface>", False),
 ("<interface type='user'><portForward proto='tcp'><range start='0'/></portForward></interface>", False),
 ("<interface type='hostdev'><driver name='bogus'/><source><address type='pci' bus='1'/></source></interface>",
  False),
 ("<interface type='hostdev'><source/></interface>", False),
 ("<interface type='hostdev'><source><address type='pci' slot='0x20'/></source></interface>", False),
 ("<interface type='hostdev'><source><vendor id='0x1234'/></source></interface>", False),
 ("<channel type='pty'><target name='x'/></channel>", False),
 ("<serial><target type='bogus'/></serial>", False),
 ("<serial><target><model name='bogus'/></target></serial>", False),
 ("<serial><target port='x'/></serial>", False),
 ("<channel type='pty'><target type='guestfwd' port='1'/></channel>", False),
 ("<channel type='pty'><target type='guestfwd' address='::1' port='1'/></channel>", False),
 ("<channel type='pty'><target type='guestfwd' address='1.2.3.4'/></channel>", False),
 ("<serial type='spicevmc'/>", False),
 ("<serial type='pty'><target type='usb-serial'/><address type='pci'/></serial>", False),
 ("<serial type='tcp'><source host='a' service='1'/><protocol type='bogus'/></serial>", False),
 ("<serial type='tcp'><source host='a'/><source host='b'/></serial>", False),
 ("<serial type='udp'><source/><source/><source/></serial>", False),
 ("<serial type='file'><log file='a'/><log file='b'/></serial>", False),
 ("<serial type='tcp'><protocol type='raw'/><protocol type='raw'/></serial>", False),
 ("<serial type='tcp'><source mode='listen'/></serial>", False),
 ("<serial type='unix'><source path='/a'><reconnect enabled='yes'/></source></serial>", False),
 ("<serial type='file'><source path='/a' append='yes'/></serial>", False),
 ("<serial type='file'><source path='/a'><seclabel relabel='maybe'/></source></serial>", False),
 ("<serial type='file'><source path='/a'><seclabel relabel='no'><label>x</label></seclabel></source></serial>",
  False),
 ('<graphics/>', False),
 ("<graphics type='foo'/>", False),
 ("<graphics type='vnc'><listen/></graphics>", False),
 ("<graphics type='vnc'><listen type='bogus'/></graphics>", False),
 ("<graphics type='rdp'><listen type='none'/></graphics>", False),
 ("<graphics type='vnc' listen='1.2.3.4'><listen type='address' address='5.6.7.8'/></graphics>", False),
 ("<graphics type='vnc' socket='/a'><listen type='socket' socket='/b'/></graphics>", False),
 ("<graphics type='spice' socket='/a'><listen type='socket' socket='/b'/></graphics>", False),
 ("<graphics type='vnc'><listen type='address' network='n'/></graphics>", False),
 ("<graphics type='vnc'><listen type='address' socket='/x'/></graphics>", False),
 ("<graphics type='vnc' port='abc'/>", False),
 ("<graphics type='rdp' port='abc'/>", False),
 ("<graphics type='vnc' websocket='x'/>", False),
 ("<graphics type='spice' port='x'/>", False),
 ("<graphics type='spice' tlsPort='x'/>", False),
 ("<graphics type='spice' autoport='maybe'/>", False),
 ("<graphics type='spice' defaultMode='bogus'/>", False),
 ("<graphics type='vnc' sharePolicy='bogus'/>", False),
 ("<graphics type='vnc' powerControl='x'/>", False),
 ("<graphics type='spice' passwd='p' connected='bogus'/>", False),
 ("<graphics type='spice' passwd='p' connected='default'/>", False),
 ("<graphics type='vnc' passwd='p' passwdValidTo='2010-11-28 14:29:01'/>", False),
 ("<graphics type='spice'><channel mode='secure'/></graphics>", False),
 ("<graphics type='spice'><channel name='main'/></graphics>", False),
 ("<graphics type='spice'><channel name='bogus' mode='any'/></graphics>", False),
 ("<graphics type='spice'><image compression='default'/></graphics>", False),
 ("<graphics type='spice'><image/></graphics>", False),
 ("<graphics type='spice'><jpeg compression='x'/></graphics>", False),
 ("<graphics type='spice'><zlib compression='x'/></graphics>", False),
 ("<graphics type='spice'><playback compression='yes'/></graphics>", False),
 ("<graphics type='spice'><streaming mode='default'/></graphics>", False),
 ("<graphics type='spice'><clipboard/></graphics>", False),
 ("<graphics type='spice'><filetransfer enable='on'/></graphics>", False),
 ("<graphics type='spice'><mouse mode='default'/></graphics>", False),
 ("<graphics type='spice'><gl/></graphics>", False),
 ("<graphics type='sdl'><gl enable='on'/></graphics>", False),
 ("<graphics type='dbus'><gl rendernode='/dev/dri/x'/></graphics>", False),
 ("<graphics type='vnc'><audio id='0'/></graphics>", False),
 ("<graphics type='vnc'><audio/></graphics>", False),
 ("<video><model type='bogus'/></video>", False),
 ("<video><model type='vga'><acceleration/></model></video>", False),
 ("<video><model type='vga'><resolution x='1'/></model></video>", False),
 ("<video><model type='vga' vram='-1'/></video>", False),
 ("<video><driver name='default'/></video>", False),
 ('<input/>', False),
 ("<input type='joystick'/>", False),
 ("<input type='mouse' bus='serial'/>", False),
 ("<input type='mouse' model='x'/>", False),
 ("<input type='tablet' bus='usb'><address type='pci'/></input>", False),
 ("<input type='evdev'><source/></input>", False),
 ("<input type='evdev'><source dev='/d' grab='none'/></input>", False),
 ('<sound/>', False),
 ("<sound model='gus'/>", False),
 ("<sound model='ich9'><codec type='bogus'/></sound>", False),
 ("<sound model='ich9'><codec/></sound>", False),
 ("<audio type='none'/>", False),
 ("<audio id='1'/>", False),
 ("<audio id='0' type='none'/>", False),
 ("<audio id='1' type='bogus'/>", False),
 ("<audio id='1' type='oss' dspPolicy='-2'/>", False),
 ("<audio id='1' type='sdl' driver='x'/>", False),
 ("<audio id='1' type='none'><input fixedSettings='yes'/></audio>", False),
 ("<audio id='1' type='none'><input><settings/></input></audio>", False),
 ("<audio id='1' type='none'><output voices='0'/></audio>", False),
 ("<video><model type='vga' ram='x'/></video>", False),
 ("<video><model type='vga' vram64='x'/></video>", False),
 ("<video><model type='vga' vgamem='x'/></video>", False),
 ("<video><model type='vga' heads='x'/></video>", False),
 ("<video><model type='vga' heads='-1'/></video>", False),
 ("<video><model type='vga'><acceleration accel3d='x'/></model></video>", False),
 ("<video><model type='vga'><resolution x='a' y='1'/></model></video>", False),
 ("<video><driver name='bogus'/><model type='vga'/></video>", False),
 ("<video><driver name='default'/><model type='vga'/></video>", False),
 ("<video><driver iommu='x'/><model type='vga'/></video>", False),
 ("<input type='mouse' bus='ps2'><driver iommu='x'/></input>", False),
 ("<input type='evdev'><source dev='/d' grabToggle='x'/></input>", False),
 ("<input type='evdev'><source dev='/d' repeat='x'/></input>", False),
 ("<input type='mouse' model='default'/>", False),
 ("<input type='mouse' bus='default'/>", False),
 ("<sound model='ich6'><audio id='x'/></sound>", False),
 ("<sound model='ich6'><audio/></sound>", False),
 ("<audio id='x' type='none'/>", False),
 ("<audio id='1' type='none' timerPeriod='0'/>", False),
 ("<audio id='1' type='oss' tryMMap='x'/>", False),
 ("<audio id='1' type='none'><input mixingEngine='x'/></audio>", False),
 ("<audio id='1' type='none'><input mixingEngine='yes' fixedSettings='yes'><settings format='x'/></input></audio>",
  False),
 ("<audio id='1' type='none'><input mixingEngine='yes' fixedSettings='yes'><settings "
  "frequency='0'/></input></audio>",
  False),
 ("<audio id='1' type='oss'><input bufferCount='x'/></audio>", False),
 ("<audio id='1' type='none'><input bufferCount='x'/></audio>", False),
 ("<audio id='1' type='pulseaudio'><input latency='x'/></audio>", False),
 ("<audio id='1' type='jack'><input exactName='x'/></audio>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33' type='x'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33' check='x'/></interface>", False),
 ("<interface type='user' trustGuestRxFilters='x'/>", False),
 ("<interface type='ethernet'><target dev='t' managed='x'/></interface>", False),
 ("<interface type='user'><model type='virtio'/><driver txmode='x'/></interface>", False),
 ("<interface type='user'><model type='virtio'/><driver ioeventfd='x'/></interface>", False),
 ("<interface type='user'><model type='virtio'/><driver queues='x'/></interface>", False),
 ("<interface type='user'><model type='virtio'/><driver><host csum='x'/></driver></interface>", False),
 ("<interface type='user'><port isolated='x'/></interface>", False),
 ("<interface type='vds'><source switchid='x' portid='1' portgroupid='p' connectionid='1'/></interface>", False),
 ("<interface type='vds'><source switchid='36f9f3ef-8c07-4b75-8a27-f5f6c7b7a0e8' portid='x' portgroupid='p' "
  "connectionid='1'/></interface>",
  False),
 ("<interface type='udp'><source address='1.2.3.4' port='5'><local port='6'/></source></interface>", False),
 ("<interface type='udp'><source address='1.2.3.4' port='5'><local address='1.2.3.4' "
  "port='x'/></source></interface>",
  False),
 ("<interface type='network'><source network='n'/><bandwidth><inbound average='x'/></bandwidth></interface>",
  False),
 ("<interface type='network'><source network='n'/><bandwidth classID='5'><inbound "
  "average='1'/></bandwidth></interface>",
  False),
 ("<interface type='network'><source network='n'/><virtualport><parameters "
  "managerid='x'/></virtualport></interface>",
  False),
 ("<interface type='network'><source network='n'/><virtualport><parameters "
  "instanceid='x'/></virtualport></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='802.1Qbg'><parameters "
  "managerid='1'/></virtualport></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='802.1Qbh'><parameters managerid='1' "
  "profileid='x'/></virtualport></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='openvswitch'><parameters "
  "typeid='1'/></virtualport></interface>",
  False),
 ("<interface type='network'><source network='n'/><vlan><tag/></vlan></interface>", False),
 ("<interface type='network'><source network='n'/><vlan><tag id='1' nativeMode='x'/></vlan></interface>", False),
 ("<interface type='network'><source network='n'/><vlan trunk='x'><tag id='1'/></vlan></interface>", False),
 ("<interface type='network'><source network='n'/><vlan trunk='no'><tag id='1' "
  "nativeMode='tagged'/></vlan></interface>",
  False),
 ("<interface type='user'><teaming type='x'/></interface>", False),
 ("<interface type='user'><portForward proto='none'/></interface>", False),
 ("<interface type='user'><portForward proto='tcp'><range start='x'/></portForward></interface>", False),
 ("<interface type='user'><portForward proto='tcp'><range exclude='x'/></portForward></interface>", False),
 ("<interface type='user'><mtu size='-1'/></interface>", False),
 ("<interface type='user'><ip address='1.2.3.4' prefix='x'/></interface>", False),
 ("<interface type='user'><ip address='1.2.3.4' peer='x'/></interface>", False),
 ("<interface type='ethernet'><route address='1.2.3.0' prefix='24' gateway='x'/></interface>", False),
 ("<interface type='ethernet'><route family='ipv6' address='1.2.3.0' prefix='24' gateway='1.2.3.1'/></interface>",
  False),
 ("<interface type='ethernet'><route family='ipx' address='1.2.3.0' prefix='24' gateway='1.2.3.1'/></interface>",
  False),
 ("<interface type='ethernet'><route address='1.2.3.0' prefix='24' gateway='1.2.3.1' metric='0'/></interface>",
  False),
 ("<interface type='user'><backend type='x'/></interface>", False),
 ("<interface type='hostdev'><source><address type='pci' bus='1'/></source><driver name='x'/></interface>", False),
 ("<interface type='hostdev'><source><address type='bogus'/></source></interface>", False),
 ("<interface type='hostdev'><source><vendor id='0'/><product id='1'/></source></interface>", False),
 ("<interface type='hostdev'><source><address type='usb' bus='1'/></source></interface>", False),
 ("<serial type='pty'><target port='0'/><log file='/x' append='x'/></serial>", False),
 ("<serial type='tcp'><source host='a' service='1' tls='x'/></serial>", False),
 ("<serial type='unix'><source path='/a'><reconnect enabled='x'/></source></serial>", False),
 ("<serial type='unix'><source path='/a'><reconnect enabled='yes' timeout='x'/></source></serial>", False),
 ("<channel type='pty'><target type='virtio' state='x'/></channel>", False),
 ("<channel type='pty'><target type='virtio' state='default'/></channel>", False),
 ("<channel type='pty'><target type='guestfwd' address='x' port='1'/></channel>", False),
 ("<channel type='pty'><target type='guestfwd' address='1.2.3.4' port='x'/></channel>", False),
 ("<channel type='qemu-vdagent'><source><clipboard copypaste='x'/></source><target type='virtio'/></channel>",
  False),
 ("<channel type='qemu-vdagent'><source><mouse/></source><target type='virtio'/></channel>", False),
 ("<console type='pty'><target type='bogus'/></console>", False),
 ("<serial type='unix'><source mode='x' path='/a'/></serial>", False),
 ("<graphics type='vnc'><listen type='address' fromConfig='x'/></graphics>", False),
 ("<graphics type='vnc' autoport='x'/>", False),
 ("<graphics type='sdl' fullscreen='x'/>", False),
 ("<graphics type='dbus' p2p='x'/>", False),
 ("<graphics type='spice'><gl enable='yes' rendernode='x'/><mouse mode='x'/></graphics>", False),
 ("<interface type='network'><source network='n'/><bandwidth><inbound average='1' "
  "peak='x'/></bandwidth></interface>",
  False),
 ("<interface type='network'><source network='n'/><bandwidth><inbound average='1' "
  "burst='x'/></bandwidth></interface>",
  False),
 ("<interface type='network'><source network='n'/><bandwidth><inbound floor='x'/></bandwidth></interface>", False),
 ("<interface type='network'><source network='n'/><bandwidth><inbound/></bandwidth></interface>", False),
 ("<interface type='network'><source network='n'/><bandwidth><inbound floor='1' "
  "peak='2'/></bandwidth></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><bandwidth><inbound average='1' "
  "floor='1'/></bandwidth></interface>",
  False),
 ("<interface type='network'><source network='n'/><bandwidth><outbound average='1' "
  "floor='1'/></bandwidth></interface>",
  False),
 ("<interface type='network'><source network='n'/><bandwidth><inbound average='-1'/></bandwidth></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='802.1Qbg'><parameters managerid='1' "
  "typeid='2'/></virtualport></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='802.1Qbg'><parameters managerid='1' typeid='2' "
  "typeidversion='3' profileid='x'/></virtualport></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='802.1Qbg'><parameters managerid='1' typeid='2' "
  "typeidversion='3' interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='802.1Qbh'/></interface>", False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='802.1Qbh'><parameters "
  "interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f' profileid='x'/></virtualport></interface>",
  False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='midonet'/></interface>", False),
 ("<interface type='bridge'><source bridge='b'/><virtualport type='openvswitch'><parameters "
  "instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport></interface>",
  False),
 ("<interface type='network'><source network='n'/><virtualport><parameters "
  "typeid='99999999'/></virtualport></interface>",
  False),
 ("<interface type='network'><source network='n'/><virtualport><parameters "
  "typeidversion='x'/></virtualport></interface>",
  False),
 ("<interface type='network'><source network='n'/><virtualport><parameters "
  "profileid='0123456789012345678901234567890123456789'/></virtualport></interface>",
  False),
 ("<interface type='network'><source network='n'/><virtualport><parameters "
  "interfaceid='zz'/></virtualport></interface>",
  False),
 ("<interface type='network'><source network='n'/><virtualport type='x'/></interface>", False),
 ("<interface type='network'><source network='n'/><vlan><tag id='x'/></vlan></interface>", False),
 ("<interface type='network'><source network='n'/><vlan><tag id='-1'/></vlan></interface>", False),
 ("<interface type='network'><source network='n'/><vlan><tag id='1' nativeMode='tagged'/><tag id='2' "
  "nativeMode='untagged'/></vlan></interface>",
  False),
 ("<interface type='user'><ip address='x'/></interface>", False),
 ("<interface type='user'><ip address='1.2.3.4' family='ipv6'/></interface>", False),
 ("<interface type='user'><ip address='1.2.3.4' prefix='-1'/></interface>", False),
 ("<interface type='user'><ip address='1.2.3.4' peer='::1'/></interface>", False),
 ("<interface type='ethernet'><route address='1.2.3.0' prefix='x' gateway='1.2.3.1'/></interface>", False),
 ("<interface type='ethernet'><route address='1.2.3.0' prefix='24' gateway='1.2.3.1' metric='x'/></interface>",
  False),
 ("<interface type='ethernet'><route address='1.2.3.0' netmask='255.255.255.0' prefix='24' "
  "gateway='1.2.3.1'/></interface>",
  False),
 ("<interface type='ethernet'><route address='::1' gateway='1.2.3.1'/></interface>", False),
 ("<interface type='user'><tune><sndbuf>-1</sndbuf></tune></interface>", False),
 ("<interface type='user'><teaming type='none'/></interface>", False),
 ("<interface type='user'><link state='default'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><mac address='52:54:00:11:22:34'/></interface>",
  False),
 ("<interface type='user'><mac address='52-54-00-11-22-33'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:3'/></interface>", False),
 ("<interface type='user'><mac address=' 52:54:00:11:22:33'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:333'/></interface>", False),
 ("<graphics type='spice'><channel name='main' mode='bogus'/></graphics>", False),
 ("<graphics type='desktop' fullscreen='x'/>", False),
 ("<console type='pty'><target type='xen' port='0'/></console>", False),
 ("<console type='pty'><target type='uml' port='0'/></console>", False),
 ("<console type='pty'><target type='lxc' port='0'/></console>", False),
 ("<console type='pty'><target type='openvz' port='0'/></console>", False),
 ("<console type='pty'><target type='sclp' port='0'/></console>", False),
 ("<console type='pty'><target type='sclplm' port='0'/></console>", False),
 ("<serial type='pty'><target type='pci-serial' port='0'><model name='pci-serial'/></target></serial>", False),
 ("<serial type='pty'><target type='spapr-vio-serial' port='0'><model name='spapr-vty'/></target></serial>",
  False),
 ("<serial type='pty'><target type='system-serial' port='0'><model name='pl011'/></target></serial>", False),
 ("<serial type='pty'><target type='sclp-serial' port='0'><model name='sclplmconsole'/></target></serial>", False),
 ("<serial type='pty'><target type='isa-serial' port='0'><model name='16550a'/></target></serial>", False),
 ("<serial type='pty'><target port='0'><model name='none'/></target></serial>", False),
 ('<serial type=\'file\'><source path="/tmp/a&amp;b\'c&lt;"/><target port=\'0\'/></serial>', False),
 ('<serial type=\'tcp\'><source host="h\'&amp;" service=\'1\'/><target port=\'0\'/></serial>', False),
 ("<channel type='unix'><source mode='bind' path='/tmp/x'/><target type='virtio' "
  'name="org.&amp;\'x"/></channel>',
  False),
 ('<graphics type=\'vnc\' keymap="e\'n&amp;"/>', False),
 ('<graphics type=\'vnc\' listen="1.2.3.4"/>', False),
 ('<graphics type=\'dbus\' address="unix:path=/tmp/a&amp;b"/>', False),
 ('<graphics type=\'sdl\' display="a\'b" xauth=\'&amp;\'/>', False),
 ('<graphics type=\'vnc\'><listen type=\'network\' network="n\'&amp;"/></graphics>', False),
 ('<graphics type=\'vnc\' socket="/tmp/s\'&amp;"/>', False),
 ('<interface type=\'ethernet\'><mac address=\'52:54:00:11:22:33\'/><script path="/a&amp;\'"/><target '
  'dev="t\'&amp;"/></interface>',
  False),
 ('<interface type=\'bridge\'><mac address=\'52:54:00:11:22:33\'/><source bridge="br\'&amp;"/></interface>',
  False),
 ('<interface type=\'user\'><mac address=\'52:54:00:11:22:33\'/><model type=\'virtio\'/><backend tap="/a\'&amp;" '
  'vhost="/b&lt;"/></interface>',
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><teaming type='transient' "
  'persistent="ua-\'&amp;"/></interface>',
  False),
 ('<audio id=\'1\' type=\'pulseaudio\' serverName="s\'&amp;"><input name="n&lt;"/></audio>', False),
 ('<audio id=\'1\' type=\'file\' path="/a\'&amp;"/>', False),
 ('<input type=\'passthrough\' bus=\'virtio\'><source evdev="/dev/input/a\'&amp;"/></input>', False),
 ("<graphics type='vnc' port='5905' autoport='no'><listen type='network' network='vnet'/></graphics>", False),
 ("<graphics type='vnc' port='5905' autoport='no' listen='1.2.3.4'><listen type='network' "
  "network='vnet'/></graphics>",
  False),
 ("<graphics type='vnc' listen='1.2.3.4'><listen type='none'/></graphics>", False),
 ("<graphics type='vnc' socket='/s'><listen type='none'/></graphics>", False),
 ("<graphics type='vnc' socket='/s'><listen type='socket'/></graphics>", False),
 ("<graphics type='spice' socket='/s'><listen type='socket'/></graphics>", False),
 ("<graphics type='spice' listen='1.2.3.4'><listen type='socket' socket='/s'/></graphics>", False),
 ("<graphics type='rdp' listen='1.2.3.4'><listen type='network' network='n'/></graphics>", False),
 ("<input type='tablet' bus='usb'><address type='usb' bus='0' port='1.2'/></input>", False),
 ("<input type='keyboard' bus='usb'/>", False),
 ("<input type='mouse' bus='parallels'/>", False),
 ("<input type='mouse' bus='none'/>", False),
 ("<sound model='ich7'><codec type='output'/></sound>", False),
 ("<sound model='pcspk'><alias name='ua-beep'/></sound>", False),
 ("<audio id='2' type='sdl'/>", False),
 ("<audio id='3' type='alsa'><input mixingEngine='no'/><output fixedSettings='no'/></audio>", False),
 ("<audio id='1' type='coreaudio' timerPeriod='1'><input bufferCount='0'/></audio>", False),
 ("<audio id='1' type='oss' dspPolicy='0'/>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver "
  "event_idx='x'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver "
  "rx_queue_size='x'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver "
  "tx_queue_size='-1'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver rss='x'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver "
  "rss_hash_report='x'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver "
  "txmode='default'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver name='x'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver><guest "
  "ufo='x'/></driver></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver "
  "packed='x'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='e1000'/><driver packed='x'/></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='e1000'/><driver name='x' "
  "queues='y'/></interface>",
  False),
 ("<interface type='vhostuser'><mac address='52:54:00:11:22:33'/><source type='unix' path='/p' "
  "mode='x'/></interface>",
  False),
 ("<interface type='vhostuser'><mac address='52:54:00:11:22:33'/><source path='/p' mode='client'/></interface>",
  False),
 ("<interface type='vhostuser'><mac address='52:54:00:11:22:33'/><source type='unix' mode='client'/></interface>",
  False),
 ("<interface type='vhostuser'><mac address='52:54:00:11:22:33'/></interface>", False),
 ("<interface type='vdpa'><mac address='52:54:00:11:22:33'/><source/></interface>", False),
 ("<interface type='internal'><mac address='52:54:00:11:22:33'/><source/></interface>", False),
 ("<interface type='vds'><mac address='52:54:00:11:22:33'/><source portid='1' portgroupid='p' "
  "connectionid='1'/></interface>",
  False),
 ("<interface type='vds'><mac address='52:54:00:11:22:33'/><source "
  "switchid='36f9f3ef-8c07-4b75-8a27-f5f6c7b7a0e8' portgroupid='p' connectionid='1'/></interface>",
  False),
 ("<interface type='vds'><mac address='52:54:00:11:22:33'/><source "
  "switchid='36f9f3ef-8c07-4b75-8a27-f5f6c7b7a0e8' portid='1' connectionid='1'/></interface>",
  False),
 ("<interface type='vds'><mac address='52:54:00:11:22:33'/><source "
  "switchid='36f9f3ef-8c07-4b75-8a27-f5f6c7b7a0e8' portid='1' portgroupid='p'/></interface>",
  False),
 ("<interface type='vds'><mac address='52:54:00:11:22:33'/><source "
  "switchid='36f9f3ef-8c07-4b75-8a27-f5f6c7b7a0e8' portid='1' portgroupid='p' connectionid='x'/></interface>",
  False),
 ("<interface type='server'><mac address='52:54:00:11:22:33'/><source/></interface>", False),
 ("<interface type='server'><mac address='52:54:00:11:22:33'/><source address='1.2.3.4'/></interface>", False),
 ("<interface type='mcast'><mac address='52:54:00:11:22:33'/><source port='1'/></interface>", False),
 ("<interface type='udp'><mac address='52:54:00:11:22:33'/><source address='a' port='1'><local "
  "address='b'/></source></interface>",
  False),
 ("<interface type='direct'><mac address='52:54:00:11:22:33'/><source mode='vepa'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><source dev='eth0'/><virtualport/></interface>",
  False),
 ("<interface type='ethernet'><mac address='52:54:00:11:22:33'/><virtualport type='openvswitch'/></interface>",
  False),
 ("<interface type='direct'><mac address='52:54:00:11:22:33'/><source dev='e'/><virtualport/></interface>", False),
 ("<interface type='hostdev'><mac address='52:54:00:11:22:33'/><source><address type='pci' "
  "bus='1'/></source><virtualport/></interface>",
  False),
 ("<interface type='network'><mac address='52:54:00:11:22:33'/><source network='n'/><virtualport "
  "type='802.1Qbh'><parameters profileid='p' managerid='1'/></virtualport></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><port isolated='x'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><mtu size='x'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><mtu size='0'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><coalesce><rx><frames "
  "max='-1'/></rx></coalesce></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><coalesce><rx><frames "
  "max='0'/></rx></coalesce></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><coalesce><rx><frames/></rx></coalesce></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><tune><sndbuf>0</sndbuf></tune></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><tune><sndbuf>x</sndbuf></tune></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><link state='up'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><portForward proto='tcp' address='1.2.3.4'><range "
  "start='1' end='x'/></portForward></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><portForward proto='tcp'><range start='1' "
  "to='0'/></portForward></interface>",
  False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><portForward proto='x'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><rom enabled='no' bar='on'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><boot order='0'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><acpi index='0'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><guest actual='x'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='E1000'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='netfront'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='a.b'/></interface>", False),
 ("<interface type='user'><mac address='01:02:03:04:05:06'/></interface>", False),
 ("<interface type='user'><mac address='03:02:03:04:05:06'/></interface>", False),
 ("<interface type='user'><mac address='52:54:00:11:22:33' type=''/></interface>", False),
 ("<serial type='file'><source path='/a'/><log file='/l' append='x'/><target port='0'/></serial>", False),
 ("<serial type='pty'><target port='99999999999'/></serial>", False),
 ("<serial type='pty'><target port=' 7'/></serial>", False),
 ("<serial type='pty'><target port='+7'/></serial>", False),
 ("<console type='pty'><target type='serial' port='x'/></console>", False),
 ("<parallel type='pty'><target port='x'/></parallel>", False),
 ("<channel type='pty'><target type='guestfwd' address='1.2.3.4' port='-1'/></channel>", False),
 ("<channel type='pty'><target type='guestfwd' address='1.2.3.4' port='70000'/></channel>", False),
 ("<channel type='pty'><target type='virtio' state='disconnected'/></channel>", False),
 ("<channel type='unix'><source mode='bind' path='/x' append='on'/><target type='virtio'/></channel>", False),
 ("<serial type='tcp'><source mode='connect' host='h' service='1' tlsFromConfig='1'/><target port='0'/></serial>",
  False),
 ("<serial type='udp'><source mode='connect' host='h' service='1'/><source mode='connect' host='h2' "
  "service='2'/><target port='0'/></serial>",
  False),
 ("<serial type='udp'><source mode='bind' host='h' service='1'/><source mode='bind' host='h2' "
  "service='2'/><source mode='connect' host='c' service='3'/></serial>",
  False),
 ("<serial type='spicevmc'><target type='usb-serial' port='0'/></serial>", False),
 ("<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/><source path='/x'/></channel>",
  False),
 ("<console type='spicevmc'><target type='xen' port='0'/></console>", False),
 ("<serial type='pty'><target type='usb-serial' port='0'/><address type='usb' bus='0' port='1'/></serial>", False),
 ("<serial type='dev'><source path='/dev/ttyS0'/><protocol type='telnet'/><target port='0'/></serial>", False),
 ("<serial type='tcp'><source host='h' service='1'/><protocol/><target port='0'/></serial>", False)]


def _mine(devs: str, secure: bool) -> tuple[str, str]:
    el = etree.fromstring(devs)
    try:
        obj = CLASSES[el.tag]._xml_parse(el, ParseContext(ParseFlags.INACTIVE))
    except ParseError as e:
        return "ERROR", e.message
    out: list[str] = []
    obj.xml_format(out, "    ", int(FormatFlags.INACTIVE | (FormatFlags.SECURE if secure else 0)))
    return "OK", "".join(out)


def _block(xml: str, tag: str) -> str:
    """The first <tag> device of libvirt's output, found by lines (libvirt
    does not escape every attribute, so its output is not always XML)."""
    lines = xml.split("\n")
    i = next(n for n, line in enumerate(lines) if re.match(r"    <%s[ >/]" % tag, line))
    e = i
    if not lines[i].rstrip().endswith("/>"):
        while not lines[e].startswith("    </%s>" % tag):
            e += 1
    block = "\n".join(lines[i:e + 1]) + "\n"
    # the test driver names every tap device at define time (post-parse)
    return re.sub(r"\n\s*<target dev='testnet\d+'/>", "", block)


@pytest.mark.skipif(not _oracle_available(), reason="libvirt 9.0 Python binding not installed")
def test_against_libvirt() -> None:
    r = subprocess.run([PY, "-c", ORACLE], input=json.dumps(PROBES), capture_output=True, text=True, timeout=600)
    results = json.loads(r.stdout)
    bad = []
    for (devs, secure), (status, out) in zip(PROBES, results):
        tag = etree.fromstring(devs).tag
        mst, mine = _mine(devs, secure)
        want = _PREFIX.sub("", out) if status == "ERROR" else _block(out, tag)
        if (status, want) != (mst, mine):
            bad.append((devs, status, want, mst, mine))
    assert bad == []
    assert len(results) == len(PROBES) > 300
