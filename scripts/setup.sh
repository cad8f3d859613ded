#!/usr/bin/env bash
# One-shot, idempotent setup: Debian packages, npm dev dependencies, Binaryen
# and its Emscripten build (cached outside the clone), FUSE Z80 test data and
# the OpenSE ROM. Every step is skipped when its result is already there.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${ZX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zxdynarec}
binaryen_version=108
emcc_version=3.1.6
binaryen_wasm="$cache/binaryen-$binaryen_version-emcc-$emcc_version"
fuse_dir="$cache/fuse-emulator-1.6.0"
fuse_sha256=a5db9f99049dc5502b74ab12821aaff40cf39eb89c7d403ef02296673dbbbf16
packages=(emscripten binaryen libxxhash-dev opense-basic wabt pasmo chromium
          dpkg-dev xz-utils make gcc clang libclang-rt-14-dev nodejs)

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

need_root() {
    [ "$(id -u)" = 0 ] || die "$1 needs root (run as root, or install it by hand: $2)"
}

install_debian_packages() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && { say "Debian packages: present"; return; }
    need_root "installing Debian packages" "apt-get install ${missing[*]}"
    say "Debian packages: installing ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$cache/apt.log" 2>&1; then
        say "apt-get install failed; refreshing the package lists and retrying"
        apt-get update >>"$cache/apt.log" 2>&1 || die "apt-get update failed (see $cache/apt.log): is Debian's package archive reachable?"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$cache/apt.log" 2>&1 \
            || die "could not install ${missing[*]} (see $cache/apt.log)"
    fi
}

enable_deb_src() {
    # apt-get source needs deb-src entries: derive them from the machine's own deb entries.
    local src=/etc/apt/sources.list.d/zxdynarec-src.sources
    if apt-get indextargets 2>/dev/null | grep -q 'Created-By: Sources'; then return; fi
    need_root "enabling deb-src entries" "add Types: deb-src beside your deb entries"
    say "apt: adding deb-src entries derived from the existing deb entries"
    : >"$src"
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ "$f" = "$src" ] && continue
        sed -n '/^Types:.*deb/,/^$/p' "$f" | sed 's/^Types:.*/Types: deb-src/' >>"$src"
        echo >>"$src"
    done
    if [ -f /etc/apt/sources.list ]; then
        grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >/etc/apt/sources.list.d/zxdynarec-src.list || true
    fi
    apt-get update >"$cache/apt-src.log" 2>&1 || die "apt-get update failed after adding deb-src (see $cache/apt-src.log)"
}

fetch_source() { # $1 package; runs in the current directory
    apt-get source --download-only "$1" >"$cache/source-$1.log" 2>&1 || true
}

build_binaryen_wasm() {
    if [ -f "$binaryen_wasm/lib/libbinaryen.a" ] && [ -f "$binaryen_wasm/include/binaryen-c.h" ]; then
        say "Binaryen $binaryen_version for Emscripten: cached at $binaryen_wasm"; return
    fi
    command -v emcmake >/dev/null || die "emcmake not found: install Debian's emscripten package"
    enable_deb_src
    local work="$cache/binaryen-src"
    rm -rf "$work"; mkdir -p "$work"
    say "Binaryen $binaryen_version: fetching Debian's source package"
    (cd "$work" && fetch_source binaryen)
    local orig
    orig=$(ls "$work"/binaryen_"$binaryen_version"*.orig.tar.* 2>/dev/null | head -1)
    [ -n "$orig" ] || die "could not fetch Binaryen's source package (see $cache/source-binaryen.log)"
    tar -xf "$orig" -C "$work"
    local srcdir
    srcdir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'binaryen*' | head -1)
    [ -f "$srcdir/src/binaryen-c.h" ] || die "Binaryen source tree not found in $orig"
    say "Binaryen $binaryen_version: building with Emscripten (about ten minutes on two cores; log: $cache/binaryen-build.log)"
    mkdir -p "$work/build"
    (
        cd "$work/build"
        NODE_PATH=/usr/share/nodejs emcmake cmake "$srcdir" -DCMAKE_BUILD_TYPE=Release \
            -DBUILD_STATIC_LIB=ON -DBUILD_TESTS=OFF -DBUILD_TOOLS=OFF -DENABLE_WERROR=OFF \
            -DBYN_ENABLE_ASSERTIONS=OFF
        NODE_PATH=/usr/share/nodejs make -j"$(nproc)" binaryen
    ) >"$cache/binaryen-build.log" 2>&1 || die "Binaryen's Emscripten build failed (see $cache/binaryen-build.log)"
    local lib
    lib=$(find "$work/build" -name libbinaryen.a | head -1)
    [ -n "$lib" ] || die "Binaryen's build produced no libbinaryen.a (see $cache/binaryen-build.log)"
    mkdir -p "$binaryen_wasm.tmp/lib" "$binaryen_wasm.tmp/include"
    cp "$lib" "$binaryen_wasm.tmp/lib/"
    cp "$srcdir/src/binaryen-c.h" "$srcdir/src/wasm-delegations.def" "$binaryen_wasm.tmp/include/"
    rm -rf "$binaryen_wasm"; mv "$binaryen_wasm.tmp" "$binaryen_wasm"
    rm -rf "$work"
    say "Binaryen $binaryen_version for Emscripten: built into $binaryen_wasm"
}

fetch_fuse_tests() {
    if [ -f "$fuse_dir/tests.in" ] && [ -f "$fuse_dir/tests.expected" ]; then
        say "FUSE Z80 tests: cached at $fuse_dir"; return
    fi
    enable_deb_src
    local work="$cache/fuse-src"
    rm -rf "$work"; mkdir -p "$work"
    say "FUSE Z80 tests: fetching Debian's fuse-emulator source package"
    # Known quirk: the download exits non-zero because the small Debian patch
    # tarball is missing from the archive; the orig tarball is what we need.
    (cd "$work" && fetch_source fuse-emulator)
    local orig="$work/fuse-emulator_1.6.0+dfsg1.orig.tar.xz"
    [ -f "$orig" ] || die "could not fetch fuse-emulator's source (see $cache/source-fuse-emulator.log)"
    echo "$fuse_sha256  $orig" | sha256sum -c --quiet - || die "fuse-emulator source checksum mismatch: $orig"
    mkdir -p "$fuse_dir.tmp"
    tar -xJf "$orig" -C "$work" --wildcards '*/z80/tests/tests.in' '*/z80/tests/tests.expected'
    cp "$(find "$work" -path '*z80/tests/tests.in')" "$(find "$work" -path '*z80/tests/tests.expected')" "$fuse_dir.tmp/"
    rm -rf "$fuse_dir"; mv "$fuse_dir.tmp" "$fuse_dir"; rm -rf "$work"
    say "FUSE Z80 tests: $(grep -c '^$' "$fuse_dir/tests.in" || true) blank-separated tests in $fuse_dir"
}

install_npm() {
    command -v npm >/dev/null || die "npm not found: install Debian's nodejs and npm packages"
    if [ -d "$repo/node_modules/playwright-core" ] && [ -d "$repo/node_modules/esbuild" ] && [ "$repo/node_modules/.package-lock.json" -nt "$repo/package-lock.json" ]; then
        say "npm dev dependencies: present"; return
    fi
    say "npm dev dependencies: npm ci"
    (cd "$repo" && npm ci --no-audit --no-fund >"$cache/npm.log" 2>&1) || die "npm ci failed (see $cache/npm.log): is the npm registry reachable?"
}

link_build_inputs() {
    # The build reads third-party inputs through build/deps, never from git.
    mkdir -p "$repo/build/deps"
    local rom=/usr/share/spectrum-roms/opense.rom
    [ -f "$rom" ] || die "OpenSE ROM missing at $rom: install Debian's opense-basic package"
    cp "$rom" "$repo/build/deps/opense.rom"
    ln -sfn "$binaryen_wasm" "$repo/build/deps/binaryen-wasm"
    ln -sfn "$fuse_dir" "$repo/build/deps/fuse-tests"
    # xxHash is used header-only; Emscripten's sysroot does not see /usr/include.
    mkdir -p "$repo/build/deps/include"
    [ -f /usr/include/xxhash.h ] || die "xxhash.h missing: install Debian's libxxhash-dev package"
    cp /usr/include/xxhash.h "$repo/build/deps/include/"
}

main() {
    mkdir -p "$cache"
    install_debian_packages
    install_npm
    build_binaryen_wasm
    fetch_fuse_tests
    link_build_inputs
    say "done (cache: $cache)"
}

main "$@"
