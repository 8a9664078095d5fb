"""Domain objects and the domain drivers behind a connection: the embedded
QEMU driver (state under a root) and the in-memory test driver.

libvirt's model is kept: a *domain object* (virDomainObj) holds ``def``
(the live definition while running, else the persistent one), ``new_def``
(the persistent next-boot definition while running), ``persistent`` and
the run state.  Name/UUID uniqueness follows virDomainObjListAddLocked."""

from __future__ import annotations

import os
import threading
import uuid as _uuid
from typing import Any, Iterable

import attrs

from .. import api
from ..errors import VirtXMLError
from ..flags import FormatFlags, ParseFlags, XMLDescFlags, xmldesc_to_format
from . import fsutil, live
from .errors import ConnectError, OperationError, system_error


def uuid_key(text: str | None) -> str:
    """Canonical form used to compare UUIDs (libvirt compares raw bytes)."""
    if text is None:
        return ""
    try:
        return str(_uuid.UUID(text.strip()))
    except ValueError:
        return text.strip().lower()


@attrs.define(eq=False)
class DomainObj:
    def_: Any
    new_def: Any = None
    persistent: bool = False
    state: str = "shutoff"
    reason: str = "unknown"
    pid: int = 0
    qemu_caps: list[str] | None = None
    removing: bool = False
    autostart: bool = False

    @property
    def active(self) -> bool:
        return self.state != "shutoff"

    @property
    def name(self) -> str:
        return self.def_.name

    @property
    def uuid(self) -> str:
        return uuid_key(self.def_.uuid)

    @property
    def config(self) -> Any:
        """The persistent definition (next boot)."""
        return self.new_def if self.new_def is not None else self.def_


class DomainList:
    """virDomainObjList: two indexes, uuid and name."""

    def __init__(self) -> None:
        self.by_uuid: dict[str, DomainObj] = {}
        self.by_name: dict[str, DomainObj] = {}

    def __iter__(self) -> Iterable[DomainObj]:
        return iter(list(self.by_uuid.values()))

    def __len__(self) -> int:
        return len(self.by_uuid)

    def find_uuid(self, uuid: str) -> DomainObj | None:
        return self.by_uuid.get(uuid_key(uuid))

    def find_name(self, name: str) -> DomainObj | None:
        return self.by_name.get(name)

    def add_obj(self, obj: DomainObj) -> None:
        self.by_uuid[obj.uuid] = obj
        self.by_name[obj.name] = obj

    def remove(self, obj: DomainObj) -> None:
        self.by_uuid.pop(obj.uuid, None)
        if self.by_name.get(obj.name) is obj:
            del self.by_name[obj.name]

    def add(self, new: Any, *, live: bool = False, check_live: bool = False
            ) -> tuple[DomainObj, Any, bool]:
        """virDomainObjListAddLocked: returns (object, old definition, created)."""
        obj = self.find_uuid(new.uuid)
        if obj is not None:
            if obj.removing:
                raise OperationError(f"domain '{obj.name}' is already being removed",
                                     code="VIR_ERR_OPERATION_FAILED")
            if obj.name != new.name:
                raise OperationError(f"domain '{obj.name}' is already defined with uuid "
                                     f"{obj.uuid}", code="VIR_ERR_OPERATION_FAILED")
            if check_live:
                if obj.active:
                    raise OperationError(f"domain '{obj.name}' is already active",
                                         code="VIR_ERR_OPERATION_INVALID")
                if not obj.persistent:
                    raise OperationError(f"domain '{obj.name}' is already being started",
                                         code="VIR_ERR_OPERATION_INVALID")
            old = assign_def(obj, new, live)
            return obj, old, False
        other = self.find_name(new.name)
        if other is not None:
            raise OperationError(f"domain '{new.name}' already exists with uuid {other.uuid}",
                                 code="VIR_ERR_OPERATION_FAILED")
        obj = DomainObj(def_=new)
        self.add_obj(obj)
        return obj, None, True


def assign_def(obj: DomainObj, new: Any, live: bool) -> Any:
    """virDomainObjAssignDef: returns the definition that was replaced."""
    if obj.active:
        if live:
            old = obj.def_
            obj.def_ = new
        else:
            old = obj.new_def
            obj.new_def = new
    else:
        old = obj.def_
        obj.def_ = new
        obj.new_def = None
    return old


def no_domain_uuid(uuid: str, name: str) -> OperationError:
    return OperationError(f"no domain with matching uuid '{uuid}' ({name})",
                          code="VIR_ERR_NO_DOMAIN")


class DomainDriver:
    """Shared per-process state of one domain driver (all connections to
    the same driver instance share it, as in libvirt)."""

    name = "generic"
    #: parse flags of define (qemuDomainDefineXMLFlags / testDomainDefineXMLFlags)
    define_flags = ParseFlags.INACTIVE
    persistent_storage = False

    def __init__(self, parse_driver: Any, options: dict[str, Any]) -> None:
        from drivers import get_driver

        self.parse_driver = get_driver(parse_driver) if isinstance(parse_driver, str) \
            else parse_driver
        self.options = dict(options)
        self.domains = DomainList()
        self.lock = threading.RLock()
        self.last_id = 0
        self.load_errors: list[ConnectError | VirtXMLError] = []
        self.refs = 0

    # -- hooks of the concrete drivers -----------------------------------------
    def save_config(self, obj: DomainObj) -> None:
        pass

    def delete_config(self, obj: DomainObj) -> None:
        pass

    def save_status(self, obj: DomainObj) -> None:
        pass

    def delete_status(self, obj: DomainObj) -> None:
        pass

    def close(self) -> None:
        pass

    # -- parsing -----------------------------------------------------------------
    def parse(self, source: Any, flags: int, *, file: str | None = None) -> Any:
        dom = api.parse(source, driver=self.parse_driver, flags=flags, options=self.options,
                        file=file)
        if not dom.name:
            raise ConnectError("missing name information", code="VIR_ERR_NO_NAME")
        if "/" in dom.name:
            raise ConnectError(f"name {dom.name} cannot contain '/'", code="VIR_ERR_XML_ERROR")
        if dom.uuid is None:
            dom.uuid = str(_uuid.uuid4())
            dom.uuid_generated = True
        return dom

    def allocate_id(self) -> int:
        self.last_id += 1
        return self.last_id

    # -- operations (callers hold self.lock) -------------------------------------
    def check_define(self, new: Any) -> None:
        """Driver checks on a parsed definition before it is added."""

    def define(self, xml: Any) -> DomainObj:
        new = self.parse(xml, self.define_flags)
        self.check_define(new)
        obj, old, created = self.domains.add(new)
        was_persistent = obj.persistent
        obj.persistent = True
        try:
            self.save_config(obj)
        except BaseException:
            # roll back as qemuDomainDefineXMLFlags does
            if created:
                self.domains.remove(obj)
            else:
                obj.persistent = was_persistent
                if obj.active:
                    obj.new_def = old
                else:
                    obj.def_ = old
            raise
        return obj

    def undefine(self, obj: DomainObj) -> None:
        if not obj.persistent:
            raise OperationError("cannot undefine transient domain",
                                 code="VIR_ERR_OPERATION_INVALID")
        self.delete_config(obj)
        obj.autostart = False
        if obj.active:
            obj.persistent = False
        else:
            self.domains.remove(obj)

    def check_start(self, obj: DomainObj) -> None:
        if obj.active:
            raise OperationError("domain is already running", code="VIR_ERR_OPERATION_INVALID")

    def set_autostart(self, obj: DomainObj, flag: bool) -> None:
        if not obj.persistent:
            raise OperationError("cannot set autostart for transient domain",
                                 code="VIR_ERR_OPERATION_INVALID")
        obj.autostart = bool(flag)

    def start(self, obj: DomainObj) -> None:
        self.check_start(obj)
        config = obj.def_
        if getattr(config, "post_parse_failed", False):
            from postparse import engine

            engine.rerun_post_parse(config, self.parse_driver, self.options)
        dom_id = self.allocate_id()
        live_def, data = live.prepare_live(config, driver=self.parse_driver,
                                           options=self.options, dom_id=dom_id,
                                           paths=self.paths())
        live_def.id = dom_id
        obj.new_def = config if obj.persistent else None
        obj.def_ = live_def
        obj.state, obj.reason, obj.pid = "running", "booted", 0
        obj.qemu_caps = live._caps_flags(data)
        try:
            self.save_status(obj)
        except BaseException:
            self._stop(obj, keep_status=True)
            raise

    def destroy(self, obj: DomainObj) -> None:
        if not obj.active:
            raise OperationError("domain is not running", code="VIR_ERR_OPERATION_INVALID")
        self.delete_status(obj)
        self._stop(obj)

    def _stop(self, obj: DomainObj, keep_status: bool = False) -> None:
        """qemuProcessStop + virDomainObjRemoveTransientDef."""
        if obj.new_def is not None:
            obj.def_ = obj.new_def
            obj.new_def = None
        obj.def_.id = None
        obj.state, obj.reason, obj.pid, obj.qemu_caps = "shutoff", "destroyed", 0, None
        if not obj.persistent:
            self.domains.remove(obj)

    def xml_desc(self, obj: DomainObj, flags: int = 0) -> str:
        flags = int(flags)
        if flags & XMLDescFlags.INACTIVE and obj.new_def is not None:
            dom = obj.new_def
        else:
            dom = obj.def_
        return api.format(dom, xmldesc_to_format(flags))

    def paths(self) -> dict[str, str]:
        return {}


class TestDomainDriver(DomainDriver):
    """test:///default: in memory, starts with libvirt's default domain."""

    name = "test"
    define_flags = ParseFlags.INACTIVE

    #: test_driver.c defaultConnXML (libvirt 9.0), the domain part
    DEFAULT_XML = ("<domain type='test'>"
                   "  <name>test</name>"
                   "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
                   "  <memory>8388608</memory>"
                   "  <currentMemory>2097152</currentMemory>"
                   "  <vcpu>2</vcpu>"
                   "  <os>"
                   "    <type>hvm</type>"
                   "  </os>"
                   "  <devices>"
                   "    <disk type='file' device='disk'>"
                   "      <source file='/guest/diskimage1'/>"
                   "      <target dev='vda' bus='virtio'/>"
                   "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' "
                   "function='0x0'/>"
                   "    </disk>"
                   "    <interface type='network'>"
                   "      <mac address='aa:bb:cc:dd:ee:ff'/>"
                   "      <source network='default' bridge='virbr0'/>"
                   "      <address type='pci' domain='0x0000' bus='0x00' slot='0x1' "
                   "function='0x0'/>"
                   "    </interface>"
                   "    <memballoon model='virtio'>"
                   "      <address type='pci' domain='0x0000' bus='0x00' slot='0x2' "
                   "function='0x0'/>"
                   "    </memballoon>"
                   "  </devices>"
                   "</domain>")

    def parse(self, source: Any, flags: int, *, file: str | None = None) -> Any:
        """Parse, then testDomainGenerateIfnames: every interface without a
        target name gets the first free ``testnetN``."""
        from ..safexml import parse_bytes, read_source

        data, fname = read_source(source)
        try:
            root = parse_bytes(data, fname)
        except VirtXMLError:
            return super().parse(data, flags, file=file or fname)
        devices = root.find("devices")
        if devices is not None:
            ifaces = devices.findall("interface")
            used = {t.get("dev") for i in ifaces for t in i.findall("target")}
            counter = 0
            for iface in ifaces:
                target = iface.find("target")
                if target is not None and target.get("dev"):
                    continue
                while f"testnet{counter}" in used:
                    counter += 1
                name = f"testnet{counter}"
                used.add(name)
                if target is None:
                    target = iface.makeelement("target", {})
                    iface.append(target)
                target.set("dev", name)
            from lxml import etree

            data = etree.tostring(root)
        return super().parse(data, flags, file=file or fname)

    def __init__(self, parse_driver: Any, options: dict[str, Any]) -> None:
        super().__init__(parse_driver, options)
        dom = self.parse(self.DEFAULT_XML, ParseFlags.INACTIVE)
        obj, _, _ = self.domains.add(dom)
        obj.persistent = True
        # testDomainStartState
        obj.new_def = dom
        import copy

        obj.def_ = copy.deepcopy(dom)
        obj.def_.id = self.allocate_id()
        obj.state, obj.reason = "running", "booted"

    def undefine(self, obj: DomainObj) -> None:
        """testDomainUndefineFlags: no transient check in the test driver."""
        if obj.active:
            obj.persistent = False
        else:
            self.domains.remove(obj)

    def check_start(self, obj: DomainObj) -> None:
        if obj.state != "shutoff":
            raise OperationError(f"Domain '{obj.name}' is already running",
                                 code="VIR_ERR_INTERNAL_ERROR")

    def start(self, obj: DomainObj) -> None:
        self.check_start(obj)
        import copy

        obj.new_def = obj.def_ if obj.persistent else None
        obj.def_ = copy.deepcopy(obj.def_)
        obj.def_.id = self.allocate_id()
        obj.state, obj.reason = "running", "booted"


class QemuEmbedDriver(DomainDriver):
    """qemu:///embed?root=ROOT: libvirt's directory layout under ROOT."""

    name = "qemu"
    define_flags = ParseFlags.INACTIVE | ParseFlags.ABI_UPDATE
    persistent_storage = True

    def __init__(self, root: str, parse_driver: Any, options: dict[str, Any]) -> None:
        self.root = root
        j = os.path.join
        self.config_base_dir = j(root, "etc")
        self.config_dir = j(root, "etc", "qemu")
        self.autostart_dir = j(root, "etc", "qemu", "autostart")
        self.state_dir = j(root, "run", "qemu")
        self.cache_dir = j(root, "cache", "qemu")
        self.lib_dir = j(root, "lib", "qemu")
        self.channel_target_dir = j(self.lib_dir, "channel", "target")
        opts = dict(options)
        opts.setdefault("embed_root", root)
        # the QEMU driver's inputs (drivers/qemu/options.py): libvirt's
        # capability cache under the root, and ROOT/etc/qemu.conf
        opts.setdefault("caps_cache_dir", j(self.cache_dir, "capabilities"))
        qemu_conf = j(self.config_base_dir, "qemu.conf")
        if os.path.exists(qemu_conf):
            opts.setdefault("qemu_conf", qemu_conf)
        super().__init__(parse_driver, opts)
        self._shared_caps_source()
        self.pidfile = None
        self._init_dirs_and_lock()
        try:
            self._load()
        except BaseException:
            self.close()
            raise

    def check_define(self, new: Any) -> None:
        """qemuDomainDefineXMLFlags: virXMLCheckIllegalChars("name", name, "\\n")."""
        if "\n" in new.name:
            raise ConnectError("invalid char in name: \n", code="VIR_ERR_XML_DETAIL")

    def _shared_caps_source(self) -> None:
        """One capability source for the driver's life (as libvirt's caps
        cache), instead of one per parse."""
        opts = self.options
        if "caps_source" in opts or getattr(self.parse_driver, "name", "") != "qemu":
            return
        try:
            from ..caps import source_from_options
        except ImportError:  # pragma: no cover - caps package not there
            return
        opts["caps_source"] = source_from_options(
            qemu_caps=opts.get("qemu_caps") or (), host_caps=opts.get("host_caps"),
            profile=opts.get("caps_profile"), allow_probe=opts.get("allow_probe", True),
            cache_dir=opts["caps_cache_dir"])

    def paths(self) -> dict[str, str]:
        return {"root": self.root, "lib_dir": self.lib_dir, "state_dir": self.state_dir,
                "channel_target_dir": self.channel_target_dir, "cache_dir": self.cache_dir,
                "config_dir": self.config_dir}

    # qemuStateInitialize: folders in libvirt's order, then the pid file lock
    def _init_dirs_and_lock(self) -> None:
        from .pidlock import PidFile

        j = os.path.join
        for label, path in (("state", self.state_dir), ("lib", self.lib_dir),
                            ("cache", self.cache_dir), ("save", j(self.lib_dir, "save")),
                            ("snapshot", j(self.lib_dir, "snapshot")),
                            ("checkpoint", j(self.lib_dir, "checkpoint")),
                            ("dump", j(self.lib_dir, "dump")),
                            ("channel target", self.channel_target_dir),
                            ("nvram", j(self.lib_dir, "nvram")),
                            ("memory backing", j(self.lib_dir, "ram")),
                            ("slirp state", j(self.state_dir, "slirp")),
                            ("passt state", j(self.state_dir, "passt"))):
            try:
                fsutil.makedirs(path, 0o777)
            except OSError as err:
                raise system_error(err, f"Failed to create {label} dir {path}") from None
        dbus = j(self.state_dir, "dbus")
        try:
            fsutil.makedirs(dbus, 0o770)
        except OSError as err:
            raise system_error(err, f"Failed to create dbus state dir {dbus}") from None
        self.pidfile = PidFile.acquire(self.state_dir, "driver")

    def close(self) -> None:
        if self.pidfile is not None:
            self.pidfile.release()
            self.pidfile = None

    # -- loading -----------------------------------------------------------------
    def _xml_files(self, folder: str) -> list[str]:
        try:
            names = sorted(os.listdir(folder))
        except FileNotFoundError:
            return []
        except OSError as err:
            self.load_errors.append(system_error(err, f"cannot open directory '{folder}'")
                                    .located(file=folder))
            return []
        return [n for n in names if n.endswith(".xml") and os.path.isfile(os.path.join(folder, n))]

    def _record(self, err: BaseException, path: str) -> None:
        if isinstance(err, VirtXMLError):
            if err.file is None:
                err.file = path
            self.load_errors.append(err)
        else:
            text = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            self.load_errors.append(ConnectError(f"Failed to load config for domain "
                                                 f"'{os.path.basename(path)[:-4]}': {text}",
                                                 file=path))

    def _load(self) -> None:
        for folder in (self.state_dir, self.config_dir, self.autostart_dir):
            fsutil.clean_stale_temps(folder)
        # running guests first (virDomainObjListLoadAllConfigs(stateDir, liveStatus))
        statuses: list[tuple[DomainObj, str]] = []
        for fname in self._xml_files(self.state_dir):
            path = os.path.join(self.state_dir, fname)
            try:
                st = live.parse_status(fsutil.read_file(path), file=path,
                                       driver=self.parse_driver, options=self.options)
                dom = st.dom
                if self.domains.find_uuid(dom.uuid) is not None:
                    raise ConnectError(f"unexpected domain {dom.name} already exists", file=path)
                if self.domains.find_name(dom.name) is not None:
                    raise ConnectError(f"unexpected domain {dom.name} already exists", file=path)
                obj = DomainObj(def_=dom, state=st.state, reason=st.reason, pid=st.pid,
                                qemu_caps=st.qemu_caps)
                self.domains.add_obj(obj)
                statuses.append((obj, path))
                if dom.id is not None and dom.id > self.last_id:
                    self.last_id = dom.id
            except Exception as err:  # noqa: BLE001 - one bad file must not stop the rest
                self._record(err, path)
        # then persistent configs
        for fname in self._xml_files(self.config_dir):
            path = os.path.join(self.config_dir, fname)
            try:
                dom = self.parse(fsutil.read_file(path), ParseFlags.LOAD_CONFIG, file=path)
                obj, _, _ = self.domains.add(dom)
                obj.persistent = True
                obj.autostart = _link_points_to(os.path.join(self.autostart_dir, fname), path)
            except Exception as err:  # noqa: BLE001 - one bad file must not stop the rest
                self._record(err, path)
        # qemuProcessReconnect: a guest that cannot be reconnected is stopped
        for obj, path in statuses:
            st = live.StatusInfo(dom=obj.def_, state=obj.state, reason=obj.reason, pid=obj.pid,
                                 qemu_caps=obj.qemu_caps)
            problem = live.reconnect_check(st, driver=self.parse_driver)
            if problem:
                self.load_errors.append(ConnectError(problem, file=path))
                try:
                    self.delete_status(obj)
                finally:
                    self._stop(obj)
        self._autostart()

    def _autostart(self) -> None:
        """virDriverShouldAutostart + qemuAutostartDomains: once per root
        (until ``run/qemu/autostarted`` is removed), start every persistent
        guest marked for autostart; failures are reported, not fatal."""
        marker = os.path.join(self.state_dir, "autostarted")
        if os.path.exists(marker):
            return
        try:
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
            os.close(fd)
            fsutil.fsync_dir(self.state_dir)
        except OSError as err:
            self.load_errors.append(system_error(err, f"Failed to create '{marker}'")
                                    .located(file=marker))
            return
        for obj in sorted(self.domains, key=lambda o: o.name):
            if obj.autostart and obj.persistent and not obj.active:
                try:
                    self.start(obj)
                except Exception as err:  # noqa: BLE001 - logged by libvirt, not fatal
                    msg = getattr(err, "message", None) or str(err)
                    self.load_errors.append(ConnectError(
                        f"Failed to autostart VM '{obj.name}': {msg}",
                        file=self.config_path(obj.name)))

    def set_autostart(self, obj: DomainObj, flag: bool) -> None:
        """qemuDomainSetAutostart: a symlink etc/qemu/autostart/NAME.xml ->
        the config file."""
        if not obj.persistent:
            raise OperationError("cannot set autostart for transient domain",
                                 code="VIR_ERR_OPERATION_INVALID")
        flag = bool(flag)
        if obj.autostart == flag:
            return
        name = obj.config.name
        config = self.config_path(name)
        link = os.path.join(self.autostart_dir, name + ".xml")
        if flag:
            try:
                fsutil.makedirs(self.autostart_dir, 0o777)
            except OSError as err:
                raise system_error(err, f"cannot create autostart directory "
                                        f"{self.autostart_dir}") from None
            try:
                os.symlink(config, link)
            except OSError as err:
                raise system_error(err, f"Failed to create symlink '{link}' to '{config}'") \
                    from None
            fsutil.fsync_dir(self.autostart_dir)
        else:
            try:
                fsutil.remove(link)
            except OSError as err:
                if err.errno != 20:  # ENOTDIR
                    raise system_error(err, f"Failed to delete symlink '{link}'") from None
        obj.autostart = flag

    # -- storage -----------------------------------------------------------------
    def config_path(self, name: str) -> str:
        return os.path.join(self.config_dir, name + ".xml")

    def status_path(self, name: str) -> str:
        return os.path.join(self.state_dir, name + ".xml")

    def save_config(self, obj: DomainObj) -> None:
        """virDomainDefSave: SECURE format of the persistent definition."""
        dom = obj.config
        xml = api.format(dom, FormatFlags.SECURE)
        try:
            fsutil.makedirs(self.config_dir, 0o777)
        except OSError as err:
            raise system_error(err, f"cannot create config directory '{self.config_dir}'") \
                from None
        path = self.config_path(dom.name)
        try:
            fsutil.atomic_write(path, save_file_bytes(dom, xml), 0o600)
        except OSError as err:
            raise system_error(err, f"cannot write data to file '{path}'") from None

    def delete_config(self, obj: DomainObj) -> None:
        """virDomainDeleteConfig: config file and autostart link."""
        name = obj.config.name
        path = self.config_path(name)
        link = os.path.join(self.autostart_dir, name + ".xml")
        try:
            fsutil.remove(link)
        except OSError as err:
            raise system_error(err, f"Failed to delete autostart link '{name}'") from None
        try:
            fsutil.remove(path)
        except OSError as err:
            raise system_error(err, f"cannot remove config {path}") from None

    def save_status(self, obj: DomainObj) -> None:
        st = live.StatusInfo(dom=obj.def_, state=obj.state, reason=obj.reason, pid=obj.pid,
                             qemu_caps=obj.qemu_caps)
        xml = live.format_status(st, driver=self.parse_driver, options=self.options,
                                 paths=self.paths())
        path = self.status_path(obj.def_.name)
        try:
            fsutil.atomic_write(path, save_file_bytes(obj.def_, xml), 0o600)
        except OSError as err:
            raise system_error(err, f"cannot write data to file '{path}'") from None

    def delete_status(self, obj: DomainObj) -> None:
        path = self.status_path(obj.def_.name)
        try:
            fsutil.remove(path)
        except OSError as err:
            raise system_error(err, f"cannot remove config {path}") from None

    def xml_desc(self, obj: DomainObj, flags: int = 0) -> str:
        """qemuDomainGetXMLDesc: MIGRATABLE implies SECURE and formats a
        re-parsed inactive copy."""
        flags = int(flags)
        if flags & XMLDescFlags.MIGRATABLE:
            flags |= XMLDescFlags.SECURE
            dom = obj.new_def if (flags & XMLDescFlags.INACTIVE and obj.new_def is not None) \
                else obj.def_
            return self._format_migratable(dom, flags)
        return super().xml_desc(obj, flags)

    def _format_migratable(self, dom: Any, flags: int) -> str:
        hook = live._hook("format_migratable")
        if hook is not None:
            return hook(dom, flags=flags, driver=self.parse_driver, options=self.options)
        # virDomainDefCopy(migratable): format SECURE|INACTIVE|MIGRATABLE and
        # re-parse with INACTIVE|SKIP_VALIDATE (full post-parse again)
        from postparse import engine

        text = api.format(dom, FormatFlags.SECURE | FormatFlags.INACTIVE | FormatFlags.MIGRATABLE)
        pflags = ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE
        root, _ = api.load_tree(text)
        copy_ = api.bind(root, flags=pflags, parser_config=self.parse_driver)
        ctx = engine.post_parse(copy_, self.parse_driver, pflags, self.options)
        migrate = getattr(self.parse_driver, "migratable", None)
        if migrate is not None:
            copy_ = migrate(copy_, ctx) or copy_
        return api.format(copy_, xmldesc_to_format(flags))


def _link_points_to(link: str, dest: str) -> bool:
    """virFileLinkPointsTo: both names reach the same file."""
    try:
        return os.path.samefile(link, dest)
    except OSError:
        return False


_SHELL_UNSAFE = set("\r\t\n !\"#$&'()*;<>?[\\]^`{|}~")


def _shell_safe(text: str | None) -> bool:
    return bool(text) and not (set(text) & _SHELL_UNSAFE) and "--" not in text


def save_file_bytes(dom: Any, xml: str) -> bytes:
    """virDomainDefSaveXML: libvirt's warning comment, then the XML."""
    pick = dom.name if _shell_safe(dom.name) else (dom.uuid if _shell_safe(dom.uuid) else None)
    head = ("<!--\n"
            "WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"
            "OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n"
            "  virsh edit" + (" " + pick if pick else "") + "\n"
            "or other application using the libvirt API.\n"
            "-->\n\n")
    return (head + xml).encode("utf-8")
