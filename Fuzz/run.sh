#!/usr/bin/env bash
# Fuzz/run.sh TARGET SECONDS [libFuzzer options…]
#
# Builds the libFuzzer target Fuzz/Targets/TARGET.swift (with AddressSanitizer) together with
# the package modules it needs, outside the package's products, and runs it for SECONDS
# (default 60) on one core. The corpus lives in .build/fuzz/corpus/TARGET (not committed), the
# committed seeds and crash regressions in Fuzz/Regressions/TARGET; crashing inputs are written
# to .build/fuzz/crashes/TARGET. `Fuzz/run.sh list` prints the targets.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${1:-}" == "list" || $# -lt 1 ]]; then
    ls Fuzz/Targets | sed 's/\.swift$//'
    exit 0
fi
target="$1"; seconds="${2:-60}"; shift; shift || true
[[ -f "Fuzz/Targets/$target.swift" ]] || { echo "unknown fuzz target '$target'; targets: $(ls Fuzz/Targets | sed 's/\.swift$//' | tr '\n' ' ')" >&2; exit 1; }
out="$root/.build/fuzz"
mkdir -p "$out/modules" "$out/crashes/$target" "$out/corpus/$target"
flags=(-sanitize=fuzzer,address -parse-as-library -swift-version 5 -O -g -I "$out/modules")
blas=(-Xcc "$(pkg-config --cflags openblas)" -I Sources/CBLAS)
ode=(-I Sources/CODE)

# module NAME SOURCES… [-- EXTRA FLAGS…]: a static library and module, rebuilt when a source changed.
module() {
    local name="$1"; shift
    local sources=() extra=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do sources+=("$1"); shift; done
    [[ $# -gt 0 ]] && { shift; extra=("$@"); }
    local lib="$out/modules/lib$name.a"
    if [[ -f "$lib" ]] && [[ -z "$(find "${sources[@]}" -newer "$lib" 2>/dev/null | head -1)" ]]; then return; fi
    echo "building $name (${#sources[@]} files)" >&2
    (cd "$out/modules" && swiftc "${flags[@]}" "${extra[@]/#Sources/$root/Sources}" -module-name "$name" -emit-module -emit-library -static \
        -emit-module-path "$out/modules/$name.swiftmodule" -o "$lib" "${sources[@]/#/$root/}")
}

libs=()
need_randomness() {
    module Randomness $(find Sources/Randomness -name '*.swift' | sort)
}
need_envs() {
    need_randomness
    module AssetsData Fuzz/Support/AssetsData.swift
    module EnvironmentsData Fuzz/Support/EnvironmentsData.swift
    module Envs $(find Sources/Envs -name '*.swift' | sort)
    libs+=("$out/modules/libEnvs.a" "$out/modules/libAssetsData.a" "$out/modules/libEnvironmentsData.a" "$out/modules/libRandomness.a")
}
link=()
case "$target" in
    json|family-file|grid-map|indoor-map|actions-file) need_envs ;;
    graph-file)
        need_randomness
        module Communication $(find Sources/Communication -name '*.swift' | sort)
        libs+=("$out/modules/libCommunication.a" "$out/modules/libRandomness.a") ;;
    safetensors)
        need_randomness
        module NeuralNets $(find Sources/NeuralNets -name '*.swift' | sort) -- "${blas[@]}"
        libs+=("$out/modules/libNeuralNets.a" "$out/modules/libRandomness.a"); link+=("${blas[@]}" $(pkg-config --libs openblas)) ;;
    run-config)
        need_envs
        module Communication $(find Sources/Communication -name '*.swift' | sort)
        module NeuralNets $(find Sources/NeuralNets -name '*.swift' | sort) -- "${blas[@]}"
        module Training $(find Sources/Training -name '*.swift' | sort) -- "${blas[@]}"
        libs=("$out/modules/libTraining.a" "$out/modules/libCommunication.a" "$out/modules/libNeuralNets.a" "${libs[@]}")
        link+=("${blas[@]}" $(pkg-config --libs openblas)) ;;
    body-file)
        need_envs
        module Locomotion $(find Sources/Locomotion -name '*.swift' | sort) -- "${ode[@]}"
        libs=("$out/modules/libLocomotion.a" "${libs[@]}"); link+=("${ode[@]}" -lode) ;;
esac

binary="$out/$target"
if [[ ! -x "$binary" || "Fuzz/Targets/$target.swift" -nt "$binary" || -n "$(find "${libs[@]}" -newer "$binary" 2>/dev/null | head -1)" ]]; then
    echo "linking $target" >&2
    swiftc "${flags[@]}" "${link[@]}" -o "$binary" "Fuzz/Targets/$target.swift" "${libs[@]}"
fi

seeds=()
[[ -d "Fuzz/Regressions/$target" ]] && seeds=("Fuzz/Regressions/$target")
export SHOAL_ROOT="$root"
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$out/crashes/$target/" -print_final_stats=1 "$@" "$out/corpus/$target" "${seeds[@]}"
