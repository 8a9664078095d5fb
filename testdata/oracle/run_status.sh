#!/bin/bash
# Real libvirt status XML (<root>/run/qemu/<name>.xml while the guest runs),
# for the graphics and devices inputs under three qemu.conf variants.
# Writes golden/<variant>/<name>.status.xml, normalised like collect.py
# (embed root -> /var/lib/libvirt/qemu, domain id -> 1).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/vx-status}
cap() {
    local v=$1 conf=$2
    unshare --mount --net --pid --fork --kill-child --mount-proc \
        /usr/bin/python3 "$HERE/capture_status.py" "$OUT/$v" "$conf" \
        "$HERE"/inputs/graphics/*.xml "$HERE"/inputs/devices/*.xml 2>/dev/null
}
cap default ""
cap vnc_auto_unix_socket $'vnc_auto_unix_socket = 1\n'
cap spice_auto_unix_socket $'spice_auto_unix_socket = 1\n'
for d in "$OUT"/*/; do
    v=$(basename "$d")
    for f in "$d"/*.status.xml; do
        sed -e 's|ROOT/lib/qemu|/var/lib/libvirt/qemu|g' -e 's|/domain-[0-9]*-|/domain-1-|g' \
            -e "s|^  <domain type='\([a-z]*\)' id='[0-9]*'>|  <domain type='\1' id='1'>|" \
            "$f" > "$HERE/golden/$v/$(basename "$f")"
    done
done
