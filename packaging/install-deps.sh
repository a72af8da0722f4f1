#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages S-SONDO Workbench needs to build, test and run.
# Only what is missing is installed; safe to run again. Needs root or sudo.
#   --no-test-deps   skip the packages only the tests and benchmarks use (python3-torch & co, xvfb)
set -euo pipefail

BUILD_PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libfaiss-dev libopenblas-dev libomp-dev
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6
  qt6-multimedia-dev libqcustomplot-dev libqcustomplot2.1-qt6
  libsndfile1-dev libsoxr-dev libsqlite3-dev nettle-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libgloo-dev
  libgl-dev libqt6svg6 qt6-svg-dev zlib1g-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
)
TEST_PKGS=(
  xvfb xauth python3 python3-numpy python3-torch python3-torchaudio python3-torchvision python3-sklearn umap-learn
  qt6-qpa-plugins fonts-dejavu-core slurm-wlm munge desktop-file-utils lintian appstream dpkg-dev
)

want=("${BUILD_PKGS[@]}")
if [[ "${1:-}" != "--no-test-deps" ]]; then want+=("${TEST_PKGS[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} Debian packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
