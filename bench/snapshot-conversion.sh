#!/usr/bin/env bash
# Snapshot conversion against O_DIRECT dd, on the same disk in the same run.
# An instance disk as the libvirt driver makes it (qcow2 overlay on a raw base) holding 1 GiB of non-zero data is
# flattened with the command line the driver runs (qemu-img convert -t none|writeback -f qcow2 -O qcow2), then with
# -t writethrough for comparison; dd oflag=direct writes the same amount of data to the same folder.
# Usage: bash bench/snapshot-conversion.sh [FOLDER] [MiB]
set -euo pipefail
dir=${1:-$(pwd)/.data/bench-snapshot}
mib=${2:-1024}
mkdir -p "$dir"; trap 'rm -rf "$dir"' EXIT
# The driver's rule: none when O_DIRECT works in the target folder, else writeback.
if dd if=/dev/zero of="$dir/.probe" bs=4096 count=1 oflag=direct 2>/dev/null; then mode=none; else mode=writeback; fi
rm -f "$dir/.probe"
head -c $((mib/2 * 1024 * 1024)) /dev/urandom > "$dir/base.raw"
truncate -s $((mib * 1024 * 1024)) "$dir/base.raw"
qemu-img create -q -f qcow2 -b "$dir/base.raw" -F raw "$dir/disk" "$((mib * 1024 * 1024))"
# The second half written through the overlay: 1 GiB of non-zero data in all, half in the base, half in the overlay.
qemu-io -f qcow2 -c "write -P 0x5a $((mib/2))M $((mib/2))M" "$dir/disk" >/dev/null
time_of() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t_dd=$(time_of dd if=/dev/urandom of="$dir/dd.out" bs=4M count=$((mib/4)) oflag=direct iflag=fullblock)
rm -f "$dir/dd.out"; sync
t_conv=$(time_of qemu-img convert -t "$mode" -f qcow2 -O qcow2 "$dir/disk" "$dir/snap.qcow2")
rm -f "$dir/snap.qcow2"; sync
t_wt=$(time_of qemu-img convert -t writethrough -f qcow2 -O qcow2 "$dir/disk" "$dir/snap-wt.qcow2")
rm -f "$dir/snap-wt.qcow2"
printf 'data %d MiB, folder %s\n' "$mib" "$dir"
printf 'dd oflag=direct (bs=4M, from /dev/urandom)   %6.2f s\n' "$t_dd"
printf 'qemu-img convert -t %-9s (the driver)     %6.2f s\n' "$mode" "$t_conv"
printf 'qemu-img convert -t writethrough           %6.2f s\n' "$t_wt"
