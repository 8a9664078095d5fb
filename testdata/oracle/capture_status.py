"""Capture real libvirt 9.0 status XML (<root>/run/qemu/<name>.xml) of guests
started paused in an embedded QEMU driver.  Run with /usr/bin/python3 inside
a private namespace (see run_status.sh):

    capture_status.py OUTDIR QEMU_CONF_TEXT FILE...
"""

import os
import shutil
import sys
import tempfile
import threading

import libvirt


def reaper():
    """As PID 1 of a private PID namespace: fork, let the child work, and reap
    re-parented (daemonized) QEMU processes at once, so destroy is quick."""
    if os.getpid() != 1:
        return
    child = os.fork()
    if child == 0:
        return
    while True:
        try:
            pid, st = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid == child:
            os._exit(0)
    os._exit(0)


def main(argv):
    reaper()
    out, conf = argv[1], argv[2]
    os.makedirs(out, exist_ok=True)
    root = tempfile.mkdtemp(prefix="vx-status-")
    os.makedirs(os.path.join(root, "etc"))
    caps_src = "/tmp/oracle-caps-cache"
    caps_dst = os.path.join(root, "cache", "qemu", "capabilities")
    if os.path.isdir(caps_src):
        shutil.copytree(caps_src, caps_dst)
    with open(os.path.join(root, "etc", "qemu.conf"), "w") as f:
        f.write('user = "root"\ngroup = "root"\nstdio_handler = "file"\n' + conf)
    libvirt.virEventRegisterDefaultImpl()

    def loop():
        while True:
            libvirt.virEventRunDefaultImpl()

    threading.Thread(target=loop, daemon=True).start()
    conn = libvirt.open("qemu:///embed?root=" + root)
    for path in argv[3:]:
        name = os.path.basename(path)[:-4]
        xml = open(path).read()
        try:
            dom = conn.defineXML(xml)
        except libvirt.libvirtError as e:
            continue
        try:
            dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
            st = os.path.join(root, "run", "qemu", dom.name() + ".xml")
            with open(st) as f:
                data = f.read()
            with open(os.path.join(out, name + ".status.xml"), "w") as f:
                f.write(data.replace(root, "ROOT"))
            dom.destroy()
        except libvirt.libvirtError:
            pass
        dom.undefine()
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
