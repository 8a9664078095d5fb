import os, sys, threading, time, libvirt
root, mode = sys.argv[1], sys.argv[2]
libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)], daemon=True).start()
conn = libvirt.open("qemu:///embed?root=" + root)
if mode == "start":
    dom = conn.defineXML(open(sys.argv[3]).read())
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    print("started", dom.name())
else:
    time.sleep(1)
    for d in conn.listAllDomains():
        print("DOMAIN", d.name(), d.isActive())
        print(d.XMLDesc(0))
    for f in os.listdir(root + "/run/qemu"):
        if f.endswith(".xml"):
            print("STATUSFILE", f); print(open(root + "/run/qemu/" + f).read())
os._exit(0)
