"""schemas/domain.xsd: loads with both XSD engines, gives libvirt's RelaxNG
verdicts on the corpus, and refuses hand-written invalid documents."""

from __future__ import annotations

import json
import os

import pytest
from lxml import etree

from schemas import DOMAIN_XSD, SCHEMA_DIR
from tests.corpus_paths import CORPUS, corpus_available, need_corpus

pytestmark = []


_need_corpus = need_corpus


@pytest.fixture(scope="module")
def lxml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DOMAIN_XSD)))


@pytest.fixture(scope="module")
def xs_schema():
    import xmlschema

    return xmlschema.XMLSchema10(str(DOMAIN_XSD))


def _valid(schema: etree.XMLSchema, text: str) -> bool:
    return bool(schema.validate(etree.fromstring(text.encode())))


# ---------------------------------------------------------------- loading


def test_lxml_loads(lxml_schema: etree.XMLSchema) -> None:
    assert _valid(lxml_schema, MINIMAL)


def test_xmlschema_loads(xs_schema) -> None:
    assert xs_schema.is_valid(etree.fromstring(MINIMAL.encode()))
    # every area file is reachable from the entry point
    loaded = {os.path.basename(s.url) for s in xs_schema.maps.iter_schemas() if s.url}
    on_disk = {p.name for p in SCHEMA_DIR.glob("*.xsd") if p.name != "domstatus.xsd"}
    assert on_disk <= loaded


def test_virtxml_schema_module() -> None:
    from virtxml import schema

    assert schema.is_valid(etree.fromstring(MINIMAL.encode()))
    assert not schema.is_valid(etree.fromstring(MINIMAL.replace("<name>", "<nmae>").replace("</name>", "</nmae>").encode()))


# ---------------------------------------------------------------- corpus


def _corpus_cases() -> list[tuple[str, bool]]:
    out: dict[str, bool] = {}
    for case in json.loads((CORPUS / "manifest.json").read_text()):
        verdict = case.get("libvirt_rng_valid")
        if verdict is None:
            continue
        out[case["input"]] = bool(verdict) and out.get(case["input"], True)
    return sorted(out.items())


@pytest.mark.corpus
def test_corpus_verdicts(lxml_schema: etree.XMLSchema) -> None:
    _need_corpus()
    cases = _corpus_cases()
    valid_refused: list[str] = []
    invalid_total = invalid_refused = 0
    for rel, expected in cases:
        ok = lxml_schema.validate(etree.parse(str(CORPUS / rel)))
        if expected and not ok:
            valid_refused.append(f"{rel}: {lxml_schema.error_log[0].message}")
        if not expected:
            invalid_total += 1
            invalid_refused += not ok
    assert not valid_refused, "\n".join(valid_refused)
    assert invalid_total > 0
    assert invalid_refused >= 0.95 * invalid_total, (invalid_refused, invalid_total)


@pytest.mark.corpus
def test_domainschemadata_valid(lxml_schema: etree.XMLSchema) -> None:
    _need_corpus()
    files = sorted((CORPUS / "domainschemadata").glob("*.xml"))
    assert files
    bad = [f.name for f in files if not lxml_schema.validate(etree.parse(str(f)))]
    assert not bad, bad


@pytest.mark.corpus
def test_libvirt_outputs_valid(lxml_schema: etree.XMLSchema) -> None:
    """Whatever libvirt formats from a schema-valid input is schema-valid."""
    _need_corpus()
    verdicts = dict(_corpus_cases())
    outputs: set[str] = set()
    for case in json.loads((CORPUS / "manifest.json").read_text()):
        if case["suite"] == "qemustatusxml2xml" or not verdicts.get(case["input"], False):
            continue
        outputs.update(v for v in (case.get("expected") or {}).values() if v and v.endswith(".xml"))
    assert len(outputs) > 100
    bad = [f"{rel}: {lxml_schema.error_log[0].message}" for rel in sorted(outputs)
           if not lxml_schema.validate(etree.parse(str(CORPUS / rel)))]
    assert not bad, "\n".join(bad)


@pytest.mark.corpus
def test_engines_agree_on_corpus(lxml_schema: etree.XMLSchema, xs_schema) -> None:
    """xmlschema (used to explain failures) must judge like libxml2."""
    _need_corpus()
    cases = _corpus_cases()
    # every invalid document and a sample of the valid ones (xmlschema is slow)
    sample = [c for c in cases if not c[1]] + [c for c in cases if c[1]][::15]
    differ = []
    for rel, _ in sample:
        doc = etree.parse(str(CORPUS / rel))
        if bool(lxml_schema.validate(doc)) != xs_schema.is_valid(doc):
            differ.append(rel)
    assert not differ, differ


# ---------------------------------------------------------------- hand-written

MINIMAL = """<domain type='kvm'>
  <name>guest</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='block' device='disk'>
      <source dev='/dev/HostVG/QEMUGuest1'/>
      <target dev='hda' bus='ide'/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:12:34:56'/>
      <source network='default'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </interface>
    <memballoon model='virtio'/>
  </devices>
</domain>"""


def test_minimal_valid_in_any_order(lxml_schema: etree.XMLSchema) -> None:
    root = etree.fromstring(MINIMAL.encode())
    root[:] = list(reversed(root))  # libvirt accepts children in any order
    disk = root.find("devices/disk")
    disk[:] = list(reversed(disk))
    assert lxml_schema.validate(root), lxml_schema.error_log


def test_blank_text_in_empty_elements(lxml_schema: etree.XMLSchema, xs_schema) -> None:
    """RelaxNG's <empty/> ignores whitespace; so does the XSD."""
    doc = MINIMAL.replace("<boot dev='hd'/>", "<boot dev='hd'>\n  </boot>").replace(
        "<mac address='52:54:00:12:34:56'/>", "<mac address='52:54:00:12:34:56'> </mac>")
    assert _valid(lxml_schema, doc), lxml_schema.error_log
    assert xs_schema.is_valid(etree.fromstring(doc.encode()))


def test_foreign_namespaces_and_metadata(lxml_schema: etree.XMLSchema) -> None:
    doc = MINIMAL.replace(
        "<domain type='kvm'>",
        "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>"
        "<metadata><app:thing xmlns:app='http://example.org/app' x='1'><app:y/></app:thing></metadata>"
        "<qemu:commandline><qemu:arg value='-foo'/><qemu:env name='A_B' value='1'/></qemu:commandline>",
    )
    assert _valid(lxml_schema, doc), lxml_schema.error_log


INVALID = {
    "unknown element": ("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>1</vcpu><bogus/>"),
    "unknown device": ("<memballoon model='virtio'/>", "<memballoon model='virtio'/><gadget/>"),
    "unknown attribute": ("<boot dev='hd'/>", "<boot dev='hd' speed='fast'/>"),
    "bad enum": ("<boot dev='hd'/>", "<boot dev='usbstick'/>"),
    "bad hypervisor": ("<domain type='kvm'>", "<domain type='vmx'>"),
    "missing required attribute": ("<boot dev='hd'/>", "<boot/>"),
    "missing mac address": ("<mac address='52:54:00:12:34:56'/>", "<mac/>"),
    "non-numeric number": ("<memory unit='KiB'>219136</memory>", "<memory unit='KiB'>lots</memory>"),
    "negative vcpu": ("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>-1</vcpu>"),
    "bad unit": ("<memory unit='KiB'>", "<memory unit='furlongs'>"),
    "bad uuid": ("c7a5fdbd-edaf-9455-926a-d65c16db1809", "c7a5fdbd-edaf-9455-926a"),
    "pci slot out of range": ("slot='0x03'", "slot='0x20'"),
    "pci bus out of range": ("bus='0x00' slot", "bus='0x100' slot"),
    "multicast mac": ("52:54:00:12:34:56", "01:54:00:12:34:56"),
    "missing name": ("<name>guest</name>", ""),
    "missing disk target": ("<target dev='hda' bus='ide'/>", ""),
    "two disk targets": ("<target dev='hda' bus='ide'/>", "<target dev='hda'/><target dev='hdb'/>"),
    "relative emulator path": ("/usr/bin/qemu-system-x86_64", "qemu-system-x86_64"),
    "text in empty element": ("<boot dev='hd'/>", "<boot dev='hd'>x</boot>"),
    "unknown namespace element": ("<vcpu placement='static'>1</vcpu>",
                                  "<vcpu placement='static'>1</vcpu><x:y xmlns:x='urn:x'/>"),
}


# rules that tie several attributes/children together
DEV = "<memballoon model='virtio'/>"
RULES = {
    "lun switch with a file source": "<disk type='file' device='lun' rawio='yes'><source file='/a'/><target dev='sda'/></disk>",
    "mdev named by a PCI address": ("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>"
                                    "<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>"),
    "hostdev without source": "<hostdev mode='subsystem' type='pci'><address type='pci' bus='0x01' slot='0x00'/></hostdev>",
    "channel without target": "<channel type='pty'/>",
    "serial without type": "<serial><target port='0'/></serial>",
    "tpm without backend": "<tpm model='tpm-tis'/>",
    "rng without backend": "<rng model='virtio'/>",
    "cipher without ivgen": ("<disk type='file'><source file='/a'><encryption format='luks'><secret type='passphrase' "
                             "uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><cipher name='aes' size='256'/></encryption>"
                             "</source><target dev='vda'/></disk>"),
    "secret by uuid and usage": ("<disk type='network'><source protocol='rbd' name='p/i'><auth username='u'>"
                                 "<secret type='ceph' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f' usage='x'/></auth>"
                                 "</source><target dev='vda'/></disk>"),
    "secret without type": ("<disk type='network'><source protocol='rbd' name='p/i'><auth username='u'>"
                            "<secret usage='x'/></auth></source><target dev='vda'/></disk>"),
    "total and read iotune": ("<disk type='file'><source file='/a'/><target dev='vda'/><iotune>"
                              "<total_bytes_sec>1</total_bytes_sec><read_bytes_sec>1</read_bytes_sec></iotune></disk>"),
    "two source kinds": "<disk type='file'><source file='/a' dev='/dev/b'/><target dev='vda'/></disk>",
    "vnc socket and port": "<graphics type='vnc' socket='/tmp/s' port='5900'/>",
    "lease without key": "<lease><lockspace>a</lockspace><target path='/p'/></lease>",
    "evdev input without device": "<input type='evdev'><source grab='all'/></input>",
    "two memballoons": "<memballoon model='none'/>",
    "watchdog bad action": "<watchdog model='i6300esb' action='explode'/>",
    "hostdev pci slot out of range": ("<hostdev mode='subsystem' type='pci'><source>"
                                          "<address domain='0x0000' bus='0x06' slot='0x20' function='0x0'/></source></hostdev>"),
}
VALID_RULES = {
    "lun with block source": "<disk type='block' device='lun' rawio='yes'><source dev='/dev/sda'/><target dev='sda'/></disk>",
    "mdev by uuid": ("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>"
                     "<address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source></hostdev>"),
    "cipher with ivgen": ("<disk type='file'><source file='/a'><encryption format='luks'><secret type='passphrase' "
                          "uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><cipher name='aes' size='256'/>"
                          "<ivgen name='plain64'/></encryption></source><target dev='vda'/></disk>"),
    "read and write iotune": ("<disk type='file'><source file='/a'/><target dev='vda'/><iotune>"
                              "<read_bytes_sec>1</read_bytes_sec><write_bytes_sec>1</write_bytes_sec>"
                              "<total_iops_sec>5</total_iops_sec></iotune></disk>"),
    "channel": "<channel type='unix'><source mode='bind' path='/tmp/c'/><target type='virtio' name='org.x'/></channel>",
    "console with tty only": "<console tty='/dev/pts/1'/>",
    "lease": "<lease><target path='/p' offset='1024'/><key>k</key><lockspace>a</lockspace></lease>",
}


@pytest.mark.parametrize("what", sorted(RULES))
def test_rule_refused(lxml_schema: etree.XMLSchema, xs_schema, what: str) -> None:
    doc = MINIMAL.replace(DEV, DEV + RULES[what])
    assert not _valid(lxml_schema, doc)
    assert not xs_schema.is_valid(etree.fromstring(doc.encode()))


@pytest.mark.parametrize("what", sorted(VALID_RULES))
def test_rule_accepted(lxml_schema: etree.XMLSchema, xs_schema, what: str) -> None:
    doc = MINIMAL.replace(DEV, DEV + VALID_RULES[what])
    assert _valid(lxml_schema, doc), lxml_schema.error_log
    assert xs_schema.is_valid(etree.fromstring(doc.encode()))


@pytest.mark.parametrize("what", sorted(INVALID))
def test_invalid_refused(lxml_schema: etree.XMLSchema, xs_schema, what: str) -> None:
    old, new = INVALID[what]
    assert old in MINIMAL
    doc = MINIMAL.replace(old, new, 1)
    assert not _valid(lxml_schema, doc)
    assert not xs_schema.is_valid(etree.fromstring(doc.encode()))


def test_explain_names_the_problem() -> None:
    from virtxml import schema

    doc = etree.fromstring(MINIMAL.replace("<boot dev='hd'/>", "<boot dev='usbstick'/>").encode())
    errs = schema.explain(doc)
    assert errs and any("usbstick" in str(e) or "dev" in str(e) for e in errs)
    assert all(e.line == 6 and e.path == "/domain/os/boot" for e in errs), errs
    xs = schema.explain(doc, engine="xmlschema")
    assert xs and any("usbstick" in str(e) for e in xs) and xs[0].line == 6


def test_explain_drops_libxml2_noise() -> None:
    """libxml2 follows a badly typed value with a 'No precomputed value'
    warning: one finding per problem, not two."""
    from virtxml import schema

    doc = etree.fromstring(MINIMAL.replace("219136</memory>", "lots</memory>", 1).encode())
    errs = schema.explain(doc)
    assert len(errs) == 1 and "'lots'" in errs[0].message and errs[0].path == "/domain/memory", errs


# ---------------------------------------------------------------- status XML

STATUS_XSD = SCHEMA_DIR / "domstatus.xsd"


@pytest.fixture(scope="module")
def status_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(STATUS_XSD)))


def test_domstatus_loads_with_both_engines(status_schema: etree.XMLSchema) -> None:
    import xmlschema

    doc = (f"<domstatus state='running' reason='booted' pid='42'>"
           f"<monitor path='/x' type='unix'/><qemuCaps><flag name='kvm'/></qemuCaps>"
           f"{MINIMAL.replace('<domain ', '<domain id=' + chr(39) + '1' + chr(39) + ' ')}</domstatus>")
    assert status_schema.validate(etree.fromstring(doc.encode())), status_schema.error_log
    assert xmlschema.XMLSchema10(str(STATUS_XSD)).is_valid(etree.fromstring(doc.encode()))
    # the plain domain grammar is untouched by the status redefinitions
    assert not _valid(etree.XMLSchema(etree.parse(str(DOMAIN_XSD))), MINIMAL.replace(
        "<source network='default'/>", "<source network='default'/><actual type='network'/>"))


def test_domstatus_refuses(status_schema: etree.XMLSchema) -> None:
    # no <domain>
    assert not status_schema.validate(etree.fromstring(b"<domstatus state='running'><monitor/></domstatus>"))
    # bad state
    doc = f"<domstatus state='dancing'>{MINIMAL}</domstatus>"
    assert not status_schema.validate(etree.fromstring(doc.encode()))
    # the live definition is still checked
    doc = f"<domstatus state='running'>{MINIMAL.replace('<boot dev=' + chr(39) + 'hd', '<boot dev=' + chr(39) + 'xx')}</domstatus>"
    assert not status_schema.validate(etree.fromstring(doc.encode()))


@pytest.mark.corpus
def test_domstatus_corpus(status_schema: etree.XMLSchema, lxml_schema: etree.XMLSchema) -> None:
    _need_corpus()
    files = sorted((CORPUS / "qemustatusxml2xmldata").glob("*.xml"))
    assert files
    bad = [f"{f.name}: {status_schema.error_log[0].message}" for f in files
           if not status_schema.validate(etree.parse(str(f)))]
    assert not bad, bad
    # and the domain grammar refuses them (libvirt's RelaxNG verdict)
    assert not any(lxml_schema.validate(etree.parse(str(f))) for f in files)
