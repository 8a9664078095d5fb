"""QEMU define-time validation of controllers (qemuValidateDomainDeviceDefController
and its per-type parts: SCSI models, IDE/SATA, USB ports, PCI models, modelNames
and options), with libvirt's texts."""

from __future__ import annotations

from typing import Any

from virtxml.errors import ValidationError

from .controllers import model_name, target_opt
from .device_defaults import has_builtin_esp
from .util import cindex, ctype, is_i440fx, is_pseries, is_q35, machine
from .validate_common import _iothread_ids

_PCI_MODEL_NAME_CAPS = {
    "pci-bridge": "pci-bridge", "i82801b11-bridge": "dmi-to-pci-bridge", "ioh3420": "ioh3420",
    "x3130-upstream": "x3130-upstream", "xio3130-downstream": "xio3130-downstream",
    "pxb": "pxb", "pxb-pcie": "pxb-pcie", "pcie-root-port": "pcie-root-port",
    "spapr-pci-host-bridge": "spapr-pci-host-bridge", "pcie-pci-bridge": "pcie-pci-bridge",
}


#: qemuValidateCheckSCSIControllerModel.  (For the ESP models ncr53c90,
#: dc390 and am53c974 libvirt 9.0 reports a missing flag but still returns
#: success, so define accepts them: no entry here.)
_SCSI_MODEL_CAPS = {
    "lsilogic": ("lsi", "This QEMU doesn't support the LSI 53C895A SCSI controller"),
    "virtio-scsi": ("virtio-scsi-pci", "This QEMU doesn't support virtio scsi controller"),
    "virtio-transitional": ("virtio-scsi-pci", "This QEMU doesn't support virtio scsi controller"),
    "virtio-non-transitional": ("virtio-scsi-pci", "This QEMU doesn't support virtio scsi controller"),
    "lsisas1068": ("mptsas1068", "This QEMU doesn't support the LSI SAS1068 (MPT Fusion) controller"),
    "lsisas1078": ("megasas", "This QEMU doesn't support the LSI SAS1078 (MegaRAID) controller"),
    "vmpvscsi": ("pvscsi", "This QEMU doesn't support the pvscsi (VMware paravirtual SCSI) controller"),
}


def _has_builtin_ide(dom: Any) -> bool:
    m = machine(dom) or ""
    return is_i440fx(dom) or m in ("malta", "sun4u", "g3beige")


def validate_controller(dom: Any, cont: Any, caps: Any) -> None:
    t = ctype(cont)
    model = getattr(cont, "model", None)
    if t == "scsi":
        if model in ("auto", "buslogic"):
            raise ValidationError(f"Unsupported controller model: {model}")
        need = _SCSI_MODEL_CAPS.get(model or "")
        if need is not None and not caps.has(need[0]):
            raise ValidationError(need[1])
    drv = getattr(cont, "driver", None)
    # (no <driver>: none of its options is set)
    if drv is not None and not (t == "scsi" and model in ("virtio-scsi", "virtio-transitional",
                                                          "virtio-non-transitional")):
        for attr in ("queues", "cmd_per_lun", "max_sectors", "ioeventfd"):
            if getattr(drv, attr, None):
                raise ValidationError(f"'{attr}' is only supported by virtio-scsi controller")
        if getattr(drv, "iothread", None):
            raise ValidationError("'iothread' is only supported for virtio-scsi controller")
    if t == "scsi":
        if model in ("virtio-scsi", "virtio-transitional", "virtio-non-transitional"):
            iothread = getattr(drv, "iothread", None)
            if iothread:
                if getattr(getattr(cont, "address", None), "type", None) not in (None, "pci", "ccw"):
                    raise ValidationError("virtio-scsi IOThreads only available for virtio pci and "
                                          "virtio ccw controllers")
                if int(iothread) not in _iothread_ids(dom):
                    raise ValidationError(f"controller iothread '{iothread}' not defined in iothreadid")
        elif model == "ncr53c90":
            if cindex(cont) != 0:
                raise ValidationError("ncr53c90 can only be used as first SCSI controller")
            if not has_builtin_esp(dom):
                raise ValidationError("ncr53c90 SCSI controller is not a built-in for this machine")
    if t == "ide":
        if not (cindex(cont) == 0 and _has_builtin_ide(dom)):
            if _has_builtin_ide(dom):
                raise ValidationError("Only a single IDE controller is supported for this machine type")
            raise ValidationError("IDE controllers are unsupported for this QEMU binary or machine type")
    elif t == "sata":
        if not (cindex(cont) == 0 and is_q35(dom)) and not caps.has("ich9-ahci"):
            raise ValidationError("SATA is not supported with this QEMU binary")
    # (the xHCI port limit is post-parse: device_defaults.controller_post_parse)
    elif t == "pci":
        mname = model_name(cont)
        idx = cindex(cont)
        _v_pci_model_name(dom, cont, model, mname, idx)
        if model in ("pci-bridge", "dmi-to-pci-bridge", "pcie-root-port", "pcie-switch-upstream-port",
                     "pcie-switch-downstream-port", "pci-expander-bus", "pcie-expander-bus",
                     "pcie-to-pci-bridge") and idx == 0:
            raise ValidationError(f"Index for '{model}' controllers must be > 0")
        if model in ("pci-root", "pcie-root") and idx != 0 and not (
                model == "pci-root" and mname == "spapr-pci-host-bridge"):
            raise ValidationError(f"Index for '{model}' controllers must be 0")
        _v_pci_options(dom, cont, model, mname, idx)
        hp = target_opt(cont, "hotplug")
        if hp is not None:
            if model in ("pcie-root-port", "pcie-switch-downstream-port"):
                if not caps.has("pcie-root-port.hotplug"):
                    raise ValidationError(f"setting the 'hotplug' property on a '{mname}' device is not "
                                          "supported by this QEMU binary")
            elif model == "pci-root":
                if not caps.has("piix4.acpi-root-pci-hotplug"):
                    raise ValidationError("setting the 'hotplug' property on a 'pci-root' device is "
                                          "not supported by this QEMU binary")
            else:
                raise _pci_invalid_option("hotplug", model, mname, idx)
        flag = _PCI_MODEL_NAME_CAPS.get(mname or "")
        if flag is not None and not caps.has(flag):
            raise ValidationError(f"The '{mname}' device is not supported by this QEMU binary")
        # PHBs took numaNode later than the device itself
        if model == "pci-root" and mname == "spapr-pci-host-bridge" and target_opt(cont, "node") is not None \
                and not caps.has("spapr-pci-host-bridge.numa_node"):
            raise ValidationError(f"Option 'numaNode' is not supported by '{mname}' device with this QEMU "
                                  "binary")


#: the modelName each PCI controller model may have (None: none)
_PCI_MODEL_NAMES: dict[str, tuple[str | None, ...]] = {
    "pci-root": (None, "spapr-pci-host-bridge"), "pcie-root": (None,), "pci-bridge": ("pci-bridge",),
    "dmi-to-pci-bridge": ("i82801b11-bridge",), "pcie-root-port": ("ioh3420", "pcie-root-port"),
    "pcie-switch-upstream-port": ("x3130-upstream",), "pcie-switch-downstream-port": ("xio3130-downstream",),
    "pci-expander-bus": ("pxb",), "pcie-expander-bus": ("pxb-pcie",), "pcie-to-pci-bridge": ("pcie-pci-bridge",),
}


def _pci_invalid_option(opt: str, model: Any, mname: Any, idx: int) -> ValidationError:
    return ValidationError(f"Option '{opt}' is not valid for PCI controller with index '{idx}', model "
                           f"'{model}' and modelName '{mname or 'none'}'")


def _v_pci_model_name(dom: Any, cont: Any, model: Any, mname: Any, idx: int) -> None:
    """qemuValidateDomainDeviceDefControllerPCI, modelName part (a missing
    one is filled in by libvirt itself and not checked here)."""
    if model == "pci-root" and not is_pseries(dom) and mname:
        raise _pci_invalid_option("modelName", model, mname, idx)
    if model == "pcie-root" and mname:
        raise _pci_invalid_option("modelName", model, mname, idx)
    allowed = _PCI_MODEL_NAMES.get(model or "")
    if allowed is not None and mname is not None and mname not in allowed:
        raise ValidationError(f"Option 'modelName' has invalid value for PCI controller with index "
                              f"'{idx}', model '{model}' and modelName '{mname}'")


def _v_pci_options(dom: Any, cont: Any, model: Any, mname: Any, idx: int) -> None:
    """qemuValidateDomainDeviceDefControllerPCI: options a model does not
    take (targetIndex, busNr, numaNode, chassisNr, chassis, port)."""
    spapr = mname == "spapr-pci-host-bridge"
    ti = target_opt(cont, "index")
    if ti is not None and not (model == "pci-root" and spapr):
        raise _pci_invalid_option("targetIndex", model, mname, idx)
    _v_pci_hole64(dom, cont, model, mname, idx)
    if target_opt(cont, "busNr") is not None and model not in ("pci-expander-bus", "pcie-expander-bus"):
        raise _pci_invalid_option("busNr", model, mname, idx)
    node = target_opt(cont, "node")
    if node is not None and model not in ("pci-expander-bus", "pcie-expander-bus") and (
            model != "pci-root" or not spapr or ti == 0):
        raise _pci_invalid_option("numaNode", model, mname, idx)
    if target_opt(cont, "chassisNr") is not None and model != "pci-bridge":
        raise _pci_invalid_option("chassisNr", model, mname, idx)
    if model not in ("pcie-root-port", "pcie-switch-downstream-port"):
        for opt in ("chassis", "port"):
            if target_opt(cont, opt) is not None:
                raise _pci_invalid_option(opt, model, mname, idx)


def _v_pci_hole64(dom: Any, cont: Any, model: Any, mname: Any, idx: int) -> None:
    """qemuValidateDomainDeviceDefControllerPCI, pcihole64 part: the
    element is only read for pci-root (i440fx machines) and pcie-root (q35);
    present, even with 0, counts as set."""
    if getattr(getattr(cont, "pcihole64", None), "value", None) is None:
        return
    if (model == "pci-root" and not is_i440fx(dom)) or (model == "pcie-root" and not is_q35(dom)):
        raise ValidationError(f"Setting the 64-bit PCI hole size is not supported for machine "
                              f"'{machine(dom)}'")
    if model not in ("pci-root", "pcie-root"):
        raise _pci_invalid_option("pcihole64", model, mname, idx)
