#!/usr/bin/env bash
# The image-pipeline benchmark (issue 3; targets in ../shared/reference/targets.md): builds
# bench/Nova.ImageBench and runs it once. It generates a 2 GiB qcow2 with 1 GiB of data, times the
# compute worker's ImageCache.Acquire and its conversion against qemu-img's cache modes and dd with
# O_DIRECT (median of N, page cache dropped before each cold run), checks that instance disks are
# O(1) overlays and that N concurrent builds of one image fetch and convert it once, and writes the
# Markdown report to bench/results-image-pipeline.md.
#
#   sudo bash bench/image-pipeline.sh [--dir /var/tmp/nova-image-bench] [--runs 5] [--concurrency 8] [--keep]
#   IMAGE_BENCH_OUT=bench/results-image-pipeline.md   where the report goes
#
# Root is needed to drop the page cache (echo 3 > /proc/sys/vm/drop_caches); without it the run still
# completes and the report says the "cold" figures are not cold. Needs qemu-img, qemu-io and dd. The
# --dir folder should be on the disk that holds the instances folder; it needs ~4 GiB free.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${IMAGE_BENCH_OUT:-bench/results-image-pipeline.md}

[ "$(id -u)" = 0 ] || echo "warning: not root, the page cache cannot be dropped" >&2
for tool in qemu-img qemu-io dd; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

echo "[$(date +%H:%M:%S)] building bench/Nova.ImageBench" >&2
dotnet build bench/Nova.ImageBench/Nova.ImageBench.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null
export IMAGE_BENCH_COMMAND="bash bench/image-pipeline.sh${*:+ $*}"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
dotnet bench/Nova.ImageBench/bin/Release/net10.0/Nova.ImageBench.dll "$@" >"$tmp"
{
  echo "# Image pipeline benchmark (qemu-img)"
  echo
  cat "$tmp"
} >"$OUT"
cat "$OUT"
echo "[$(date +%H:%M:%S)] report written to $OUT" >&2
