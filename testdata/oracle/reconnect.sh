#!/bin/bash
# libvirt 9.0 reconnecting to a running guest from its status XML (a second
# process opens the same embed root).  NOCAPS=1 strips <qemuCaps> first:
# libvirt then kills the guest and removes the status file (behaviour §7).
# Run: unshare --mount --net --pid --fork --kill-child --mount-proc bash reconnect.sh [FILE]
HERE=$(cd "$(dirname "$0")" && pwd)
R=$(mktemp -d); mkdir -p $R/etc $R/cache/qemu; cp -r /tmp/oracle-caps-cache $R/cache/qemu/capabilities
printf 'user = "root"\ngroup = "root"\nstdio_handler = "file"\n' > $R/etc/qemu.conf
/usr/bin/python3 $HERE/reconnect.py $R start ${1:-$HERE/inputs/devices/dev-cdrom-sata.xml}
if [ -n "${NOCAPS:-}" ]; then f=$R/run/qemu/dev-cdrom-sata.xml; /usr/bin/python3 - "$f" <<'PY'
import re,sys; p=sys.argv[1]; s=open(p).read(); s=re.sub(r"  <qemuCaps>.*?</qemuCaps>\n","",s,flags=re.S); open(p,'w').write(s)
PY
fi
/usr/bin/python3 $HERE/reconnect.py $R show
