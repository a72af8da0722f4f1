# SPDX-License-Identifier: GPL-3.0-or-later
# Every dependency comes from Debian 12's archive (packaging/install-deps.sh) or, for LibTorch,
# from an official CUDA build given through CMAKE_PREFIX_PATH.

find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

# LibTorch: Debian's libtorch-dev 1.13 (CPU) or an official 2.x tree.
find_package(Torch REQUIRED)
set(SSONDO_TORCH_HAS_CUDA OFF)
if(TARGET torch_cuda OR TORCH_CUDA_LIBRARIES)
  set(SSONDO_TORCH_HAS_CUDA ON)
endif()
# Torch's config exposes a plain variable list; wrap it in one imported target.
add_library(ssondo_torch INTERFACE)
add_library(ssondo::torch ALIAS ssondo_torch)
target_link_libraries(ssondo_torch INTERFACE ${TORCH_LIBRARIES})
if(EXISTS "/usr/include/torch/csrc/api/include")
  target_include_directories(ssondo_torch SYSTEM INTERFACE /usr/include/torch/csrc/api/include)
endif()

# FAISS's CMake config expects OpenMP and BLAS to be found first.
find_package(OpenMP REQUIRED)
# LibTorch's at::parallel_for is a header template: its OpenMP path exists only where the including
# file is compiled with -fopenmp (ATen/ParallelOpenMP.h tests _OPENMP). Without the flag every
# parallel_for in our own code runs on the calling thread alone (docs/decisions.md, "OpenMP").
if(OpenMP_CXX_FOUND)
  target_link_libraries(ssondo_torch INTERFACE OpenMP::OpenMP_CXX)
endif()
find_package(BLAS REQUIRED)
find_package(faiss REQUIRED)

pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile>=1.1)
pkg_check_modules(SOXR REQUIRED IMPORTED_TARGET soxr)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle) # SHA-256 with the CPU's SHA extensions
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)

# Qt: Core + Test for the test suites (also in a server build), Widgets & co for the workbench.
if(SSONDO_BUILD_TESTS OR SSONDO_BUILD_UI OR SSONDO_BUILD_BENCH)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Test)
  qt_standard_project_setup()
  set(CMAKE_AUTOMOC ON)
endif()
if(SSONDO_BUILD_UI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Widgets PrintSupport LinguistTools)
  find_package(Qt6 6.4 QUIET COMPONENTS Multimedia)
  find_package(Qt6 6.4 QUIET COMPONENTS Svg)
  find_package(QCustomPlotQt6 REQUIRED)
endif()
