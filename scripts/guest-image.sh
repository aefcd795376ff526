#!/usr/bin/env bash
# Builds a small bootable Linux guest and registers it in a running control plane's image API as `linux-guest`.
#
#   bash scripts/guest-image.sh                        build (cached) and register `linux-guest`
#   bash scripts/guest-image.sh --poweroff-after 20    a variant that powers itself off 20 s after start-up,
#                                                      registered as `linux-guest-poweroff-20`
#   bash scripts/guest-image.sh --build-only [...]     build only; prints the disk's path
#   options: --name NAME (the image's name), --poweroff-after N
#
# The guest is one bootable disk (qcow2): a FAT file system holding Debian's cloud kernel, an initramfs of
# busybox-static and syslinux, which SeaBIOS boots like any disk; the kernel writes to the serial console
# (console=ttyS0), busybox init ends on a getty login prompt there. Nothing is mounted and no loop device is used:
# mkfs.fat, mtools and syslinux work on the image file. Everything comes from Debian's packages through apt; the
# guest's packages are downloaded and unpacked, never installed on this machine.
#
# Output (cached; rebuilt only when this script or scripts/guest/ change): $NOVA_GUEST_DIR, by default
# .data/guest/: linux-guest.qcow2 (and linux-guest-poweroff-N.qcow2), vmlinuz, initrd.img, and guest.env naming
# them (NOVA_GUEST_DISK, NOVA_GUEST_KERNEL, NOVA_GUEST_INITRD, NOVA_GUEST_KERNEL_VERSION) for tests and scripts.
#
# Registering: NOVA_API_URL (http://127.0.0.1:8774, run.sh's) and NOVA_TOKEN (admin:admin under noauth2; with
# OS_AUTH_URL set and no NOVA_TOKEN, `openstack token issue` gives one). An image of that name with the same sha256
# is kept; others of that name (older builds, failed uploads) are deleted, so the name stays unambiguous.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/services.sh
# depmod, mkfs.fat and syslinux live in sbin, which a test process's PATH may lack.
export PATH=$PATH:/usr/sbin:/sbin

GUEST_DIR=${NOVA_GUEST_DIR:-$ROOT/.data/guest}
KERNEL_PACKAGE=${NOVA_GUEST_KERNEL_PACKAGE:-linux-image-cloud-amd64}
# What the guest's initramfs loads, with their dependencies (modprobe --show-depends orders them).
MODULES=(virtio_pci virtio_blk button evdev)

build_only= poweroff_after= name=
while [ $# -gt 0 ]; do
  case $1 in
    --build-only) build_only=1 ;;
    --poweroff-after) poweroff_after=${2:?--poweroff-after needs seconds}; shift ;;
    --name) name=${2:?--name needs a name}; shift ;;
    -h|--help) sed -n '2,22p' scripts/guest-image.sh; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$poweroff_after" ] && ! [[ $poweroff_after =~ ^[0-9]+$ ]]; then
  echo "--poweroff-after takes whole seconds" >&2; exit 2
fi
variant=linux-guest${poweroff_after:+-poweroff-$poweroff_after}
name=${name:-$variant}

mkdir -p "$GUEST_DIR"
# One build at a time (tests of one run may ask together); a second caller finds the first one's output.
exec 9>"$GUEST_DIR/.lock"
flock 9

# The cache key: the recipe (this script and the guest's files). The downloaded packages are kept as they are,
# so a cached guest needs no network.
key=$(cat scripts/guest-image.sh scripts/guest/* | sha256sum | cut -c1-16)

# Kernel and initramfs, shared by every variant.
build_boot_files() {
  [ -f "$GUEST_DIR/boot.key" ] && [ "$(cat "$GUEST_DIR/boot.key")" = "$key" ] && return 0
  echo "building the Linux guest in $GUEST_DIR…" >&2
  apt_install kmod cpio
  local debs=$GUEST_DIR/debs work=$GUEST_DIR/work
  mkdir -p "$debs"
  if ! ls "$debs"/linux-image-*.deb >/dev/null 2>&1 || ! ls "$debs"/busybox-static_*.deb >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    # The meta package names the versioned kernel package that holds the files.
    local kernel
    kernel=$(apt-cache depends "$KERNEL_PACKAGE" | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    [ -n "$kernel" ] || { echo "no kernel package behind $KERNEL_PACKAGE" >&2; return 1; }
    # apt's download sandbox user must be able to write here.
    chown _apt "$debs" 2>/dev/null || true
    (cd "$debs" && apt-get download -qq "$kernel" busybox-static >/dev/null)
  fi
  rm -rf "$work"; mkdir -p "$work/kernel" "$work/busybox" "$work/initramfs"
  dpkg-deb -x "$(ls "$debs"/linux-image-*.deb | head -1)" "$work/kernel"
  dpkg-deb -x "$(ls "$debs"/busybox-static_*.deb | head -1)" "$work/busybox"
  local kver
  kver=$(ls "$work/kernel/lib/modules" | head -1)

  local rootfs=$work/initramfs
  mkdir -p "$rootfs"/{bin,sbin,etc/init.d,etc/acpi/PWRF,proc,sys,dev,tmp,run,root,var/log,var/run,lib/modules/$kver}
  cp "$work/busybox/bin/busybox" "$rootfs/bin/busybox"
  # Every applet as a link, as busybox --install would do inside the guest.
  local applet
  for applet in $("$rootfs/bin/busybox" --list-full); do
    mkdir -p "$rootfs/$(dirname "$applet")"
    [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
  done
  ln -sf /bin/busybox "$rootfs/init"
  install -m 0644 scripts/guest/inittab "$rootfs/etc/inittab"
  install -m 0755 scripts/guest/rcS "$rootfs/etc/init.d/rcS"
  install -m 0755 scripts/guest/rcK "$rootfs/etc/init.d/rcK"
  install -m 0755 scripts/guest/power-button "$rootfs/etc/acpi/PWRF/00000080"
  install -m 0644 scripts/guest/issue "$rootfs/etc/issue"
  printf 'root::0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\n' >"$rootfs/etc/group"

  # The modules and their dependencies, in load order (the package ships no modules.dep: depmod makes it here).
  depmod -b "$work/kernel" "$kver"
  local order=() module path relative
  for module in "${MODULES[@]}"; do
    while read -r _ path; do
      relative=${path#"$work/kernel/lib/modules/$kver/"}
      [[ " ${order[*]} " == *" $relative "* ]] && continue
      order+=("$relative")
      mkdir -p "$rootfs/lib/modules/$kver/$(dirname "$relative")"
      cp "$path" "$rootfs/lib/modules/$kver/$relative"
    done < <(modprobe -d "$work/kernel" -S "$kver" --show-depends "$module" | grep '^insmod ')
  done
  printf '%s\n' "${order[@]}" >"$rootfs/etc/modules.order"

  (cd "$rootfs" && find . | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet) | gzip -9 >"$work/initrd.img"
  mv "$work/kernel/boot/vmlinuz-$kver" "$GUEST_DIR/vmlinuz"
  mv "$work/initrd.img" "$GUEST_DIR/initrd.img"
  echo "$kver" >"$GUEST_DIR/kernel.version"
  rm -rf "$work"
  echo "$key" >"$GUEST_DIR/boot.key"
}

# One bootable disk: FAT (no partition table, as a USB stick) with syslinux in its boot sector; $2 is added to
# the kernel command line.
build_disk() {
  local disk=$1 append=$2
  [ -f "$disk" ] && [ -f "$disk.key" ] && [ "$(cat "$disk.key")" = "$key" ] && return 0
  apt_install syslinux syslinux-common mtools dosfstools qemu-utils
  local raw=$GUEST_DIR/disk.raw.part cfg=$GUEST_DIR/syslinux.cfg.part
  rm -f "$raw"
  mkfs.fat -C -n NOVAGUEST "$raw" 32768 >/dev/null
  cat >"$cfg" <<EOF
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND console=ttyS0,115200 $append
EOF
  export MTOOLS_SKIP_CHECK=1
  mcopy -i "$raw" "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.img" ::/
  mcopy -i "$raw" "$cfg" ::/syslinux.cfg
  syslinux --install "$raw"
  qemu-img convert -f raw -O qcow2 "$raw" "$disk.part"
  mv "$disk.part" "$disk"
  rm -f "$raw" "$cfg"
  echo "$key" >"$disk.key"
}

build_boot_files
build_disk "$GUEST_DIR/linux-guest.qcow2" ""
disk=$GUEST_DIR/$variant.qcow2
[ -z "$poweroff_after" ] || build_disk "$disk" "nova_guest.poweroff_after=$poweroff_after"
cat >"$GUEST_DIR/guest.env" <<EOF
NOVA_GUEST_DISK=$GUEST_DIR/linux-guest.qcow2
NOVA_GUEST_KERNEL=$GUEST_DIR/vmlinuz
NOVA_GUEST_INITRD=$GUEST_DIR/initrd.img
NOVA_GUEST_KERNEL_VERSION=$(cat "$GUEST_DIR/kernel.version")
EOF
exec 9>&-

if [ -n "$build_only" ]; then
  echo "$disk"
  exit 0
fi

# Registering, as `openstack image create --file` would: a record bound to the file's sha256, then its data.
API=${NOVA_API_URL:-http://127.0.0.1:8774}
if [ -z "${NOVA_TOKEN:-}" ] && [ -n "${OS_AUTH_URL:-}" ]; then NOVA_TOKEN=$(openstack token issue -f value -c id); fi
TOKEN=${NOVA_TOKEN:-admin:admin}
sha=$(sha256sum "$disk" | cut -d' ' -f1)
api() { curl -sS --fail-with-body -H "X-Auth-Token: $TOKEN" "$@"; }

existing=$(api "$API/image/v2/images?name=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$name")&limit=1000")
keep=
while read -r id status hash; do
  [ -n "$id" ] || continue
  if [ -z "$keep" ] && [ "$status" = active ] && [ "$hash" = "$sha" ]; then keep=$id; continue; fi
  echo "deleting image $id ($name, $status): not this build" >&2
  api -X DELETE "$API/image/v2/images/$id" >/dev/null
done < <(python3 -c '
import json, sys
for i in json.load(sys.stdin)["images"]:
    print(i["id"], i["status"], i.get("os_hash_value") or "-")' <<<"$existing")
if [ -n "$keep" ]; then
  echo "$keep"
  exit 0
fi
id=$(api -H 'Content-Type: application/json' -X POST "$API/image/v2/images" \
  -d "{\"name\": \"$name\", \"disk_format\": \"qcow2\", \"container_format\": \"bare\", \"visibility\": \"public\", \"os_hash_value\": \"$sha\"}" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
api -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$disk" "$API/image/v2/images/$id/file" >/dev/null
echo "registered $name as image $id ($(stat -c %s "$disk") bytes, sha256 $sha)" >&2
echo "$id"
