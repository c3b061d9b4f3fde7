#!/usr/bin/env bash
# The device kit's one run, on a Linux GPU machine with no Node and no package registry
# (built by `pnpm device-kit` into .device-kit/, which carries this file):
#   bash .device-kit/run.sh [--tiny] [--budget-s N]
# Unpacks Node and Dawn, brings the Vulkan loader where the system has none, names NVIDIA's
# Vulkan driver where it is, then prints JSON lines: the machine, the engine's benchmark on
# Dawn's WebGPU (engine/bench-gpu.js: adapter, matMul ceiling, s/iter, whole pictures), and
# PyTorch's (gatys_torch.py bench) on the same GPU at the same sizes. Every line also goes to
# $OUT/kit.jsonl (or .device-kit/out/). --tiny: a few pixels, for the kit's own test.
set -uo pipefail
kit="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$kit/out}"
mkdir -p "$out"
work="$(mktemp -d)"
tiny=false
for a in "$@"; do [ "$a" = --tiny ] && tiny=true; done
say() { echo "$1" | tee -a "$out/kit.jsonl"; }
# The weights: the kit's own (pnpm device-kit --standalone), else the repository's it travels with.
weights="$kit/weights/vgg19"
[ -d "$weights" ] || weights="$kit/../packages/engine/weights/vgg19"
export NS_KIT_WEIGHTS="$weights"
json() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1" 2>/dev/null || printf '"%s"' "${1//\"/\'}"; }
unxz() { if command -v xz >/dev/null; then xz -dc "$1" > "$2"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1" > "$2"; fi; }

unxz "$kit/node.xz" "$work/node" && chmod +x "$work/node"
unxz "$kit/dawn.node.xz" "$kit/node_modules/webgpu/dist/linux-x64/dawn.node"
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
  for f in "$kit"/deb/*.deb; do dpkg -x "$f" "$work/vulkan"; done
  export LD_LIBRARY_PATH="$work/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$nvidia_icd" ]; then export VK_DRIVER_FILES="$nvidia_icd"; fi
gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
say "{\"event\":\"machine\",\"node\":$(json "$("$work/node" --version 2>&1)"),\"gpu\":$(json "${gpu:-none}"),\"vulkan_driver\":$(json "${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-the system\'s}}"),\"cpus\":$(nproc)}"
missing="$(ldd "$kit/node_modules/webgpu/dist/linux-x64/dawn.node" 2>&1 | grep -E 'not found|version .* not found' | tr '\n' ' ')"
[ -n "$missing" ] && say "{\"event\":\"dawn\",\"error\":$(json "dawn.node cannot load here: $missing")}"

"$work/node" "$kit/engine/bench-gpu.js" "$@" 2> "$out/engine-stderr.txt" | tee -a "$out/kit.jsonl"

# PyTorch on the same GPU, at the same sizes (or on the CPU in --tiny, where torch is there).
if $tiny; then sizes="32"; device=cpu; iters=2; else sizes="512 1024"; device=cuda; iters=10; fi
if python3 -c 'import torch' 2>/dev/null; then
  for size in $sizes; do
    line="$(python3 "$kit/reference/gatys_torch.py" --weights "$weights" bench --size "$size" --iters "$iters" --device "$device" 2>"$out/torch-stderr.txt" | tail -1)"
    say "{\"event\":\"pytorch\",\"size\":$size,\"result\":${line:-null}}"
  done
else
  say '{"event":"pytorch","skipped":"no torch for python3 here"}'
fi
rm -rf "$work"
