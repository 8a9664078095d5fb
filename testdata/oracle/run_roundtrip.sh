#!/bin/bash
# Migration round trip on real libvirt: define the migratable and
# live-migratable golden XML again (the destination's view, same qemu.conf
# variant) and record libvirt's inactive XML.  Raw records go to
# $OUT/<variant>-<form>/ and collect.py writes them as
# golden/<variant>/<name>.<form>_roundtrip.xml.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ORACLE=${ORACLE:-/work/shared/tools/oracle/oracle.py}
OUT=${OUT:-/tmp/vx-oracle-forms}
TMP=$(mktemp -d)
PY=/usr/bin/python3
J=${J:-2}
conf_args() {
    case $1 in
        default) ;;
        vnc_auto_unix_socket) echo "--qemu-conf vnc_auto_unix_socket=1" ;;
        spice_auto_unix_socket) echo "--qemu-conf spice_auto_unix_socket=1" ;;
        vnc_listen) echo "--qemu-conf vnc_listen=\"0.0.0.0\"" ;;
        spice_listen) echo "--qemu-conf spice_listen=\"0.0.0.0\"" ;;
    esac
}
for vdir in "$HERE"/golden/*/; do
    v=$(basename "$vdir")
    for form in migratable live_migratable; do
        d="$TMP/$v-$form"; mkdir -p "$d"
        for f in "$vdir"/*."$form".xml; do
            [ -e "$f" ] || continue
            n=$(basename "$f" ."$form".xml)
            cp "$f" "$d/$n.xml"
        done
        # shellcheck disable=SC2046
        $PY "$ORACLE" --driver qemu -q -j "$J" $(conf_args "$v") --out "$OUT-rt/$v-$form" "$d"
    done
done
rm -rf "$TMP"
