#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package ssondo-workbench_VERSION-N_ARCH.deb with CPack, then checks it with
# lintian, appstreamcli and desktop-file-validate and prints what they say.
#
#   packaging/build-deb.sh --fresh        configure and build a clean Release tree in build-deb/
#                                         (tests and benchmarks off, Debian's hardening flags from
#                                         dpkg-buildflags with hardening=+all), then package it
#   packaging/build-deb.sh [--build] DIR  package an existing, already built tree (default: build);
#                                         --build runs `cmake --build DIR` first
#
# Environment: JOBS (parallel compile jobs for --fresh/--build, default: all cores).
# Needs cmake, dpkg-dev (dpkg-shlibdeps), lintian, appstream and desktop-file-utils.
# Exit status: 0 when the package was built and lintian, appstreamcli and desktop-file-validate
# report no error; 1 otherwise.
set -uo pipefail

cd "$(dirname "$0")/.."
fresh=0 build=0 dir=""
for a in "$@"; do
  case "$a" in
    --fresh) fresh=1 ;;
    --build) build=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build-deb: unknown option $a (see --help)" >&2; exit 2 ;;
    *) dir="$a" ;;
  esac
done
if ((fresh)); then
  [[ -z "$dir" ]] || { echo "build-deb: --fresh always builds in build-deb/; drop $dir" >&2; exit 2; }
  dir=build-deb
fi
dir=${dir:-build}
JOBS=${JOBS:-$(nproc)}

missing=()
for t in cmake cpack dpkg-shlibdeps lintian appstreamcli desktop-file-validate; do
  command -v "$t" >/dev/null || missing+=("$t")
done
if ((${#missing[@]})); then
  echo "build-deb: missing ${missing[*]} (apt-get install cmake dpkg-dev lintian appstream desktop-file-utils)" >&2
  exit 1
fi

# Never package (or build) a tree that a ninja or make is building right now.
busy() {
  local d p cwd
  d=$(realpath -m "$1")
  for p in $(pgrep -x 'ninja|make|gmake' 2>/dev/null); do
    cwd=$(realpath -m "/proc/$p/cwd" 2>/dev/null)
    [[ "$cwd" == "$d" || "$cwd" == "$d"/* ]] && return 0
  done
  return 1
}
if busy "$dir"; then
  echo "build-deb: a build is running in $dir; wait for it to finish" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }
t0=$SECONDS

if ((fresh)); then
  step "configure $dir (Release, tests and benchmarks off, dpkg-buildflags)"
  rm -rf "$dir"
  # hardening=+all adds -z now (bindnow) to bookworm's default hardening flags.
  export DEB_BUILD_MAINT_OPTIONS=${DEB_BUILD_MAINT_OPTIONS:-hardening=+all}
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S . -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DSSONDO_BUILD_TESTS=OFF -DSSONDO_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)" \
    -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" \
    -DCMAKE_SHARED_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" || exit 1
  build=1
elif [[ ! -f "$dir/CMakeCache.txt" ]]; then
  echo "build-deb: $dir is not a CMake build folder (configure and build it, or use --fresh)" >&2
  exit 1
else
  # Re-configure (cheap) so that CPackConfig.cmake and the install rules are current.
  step "configure $dir"
  cmake "$dir" >/dev/null || exit 1
fi

if ((build)); then
  step "build $dir ($JOBS jobs)"
  cmake --build "$dir" -j "$JOBS" || exit 1
fi

for b in ssondo ssondo-workbench; do
  if [[ -x "$dir/bin/$b" ]]; then
    echo "$dir/bin/$b: built $(date -r "$dir/bin/$b" '+%F %T')"
  elif [[ $b == ssondo ]] || grep -q '^SSONDO_BUILD_UI:BOOL=ON' "$dir/CMakeCache.txt"; then
    echo "build-deb: $dir/bin/$b is missing: build $dir first (or pass --build)" >&2
    exit 1
  fi
done

step "cpack -G DEB"
rm -f "$dir"/ssondo-workbench_*.deb "$dir"/ssondo-workbench_*.deb.sha256
(cd "$dir" && cpack -G DEB) || exit 1
deb=$(ls -t "$dir"/ssondo-workbench_*.deb | head -n1)
[[ -f "$deb" ]] || { echo "build-deb: cpack made no .deb" >&2; exit 1; }

step "package $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -f "$deb" Package Version Architecture Installed-Size Depends Recommends Suggests
echo
dpkg-deb -c "$deb" | awk '{print $1, $3, $6}'

status=0
step "lintian"
# lintian advises against running as root; run it as nobody when we are root.
lint=(lintian --info --display-info --pedantic "$(realpath "$deb")")
if [[ $(id -u) -eq 0 ]] && command -v runuser >/dev/null; then
  lint=(runuser -u nobody -- env HOME=/tmp "${lint[@]}")
fi
lint_out=$("${lint[@]}" 2>&1)
echo "${lint_out:-(no tags)}"
if grep -q '^E: ' <<<"$lint_out"; then status=1; fi
echo "lintian: $(grep -c '^E: ' <<<"$lint_out") error(s), $(grep -c '^W: ' <<<"$lint_out") warning(s)," \
     "$(grep -c '^I: ' <<<"$lint_out") info, $(grep -c '^P: ' <<<"$lint_out") pedantic"

step "appstreamcli validate"
appstreamcli validate --no-net packaging/linux/*.metainfo.xml || status=1

step "desktop-file-validate"
if desktop-file-validate packaging/linux/*.desktop; then echo "desktop-file-validate: OK"; else status=1; fi

step "done in $((SECONDS - t0)) s: $deb"
((status == 0)) && echo "all checks passed" || echo "some checks FAILED (see above)"
exit $status
