#!/bin/bash
# Record real libvirt 9.0's outputs for testdata/oracle/inputs under the
# qemu.conf variants of VARIANTS (see variants.txt); raw records go to
# $OUT/<variant>/, then collect.py turns them into golden files.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ORACLE=${ORACLE:-/work/shared/tools/oracle/oracle.py}
OUT=${OUT:-/tmp/vx-oracle-forms}
PY=/usr/bin/python3
J=${J:-2}
run() {
    local variant=$1; shift
    $PY "$ORACLE" --driver qemu --start -q -j "$J" --out "$OUT/$variant" "$@"
}
G=$HERE/inputs/graphics
M=$HERE/inputs/machines
D=$HERE/inputs/devices
run default "$G" "$M" "$D"
run vnc_auto_unix_socket --qemu-conf vnc_auto_unix_socket=1 "$G"
run spice_auto_unix_socket --qemu-conf spice_auto_unix_socket=1 "$G"
run vnc_listen --qemu-conf 'vnc_listen="0.0.0.0"' "$G"
run spice_listen --qemu-conf 'spice_listen="0.0.0.0"' "$G"
