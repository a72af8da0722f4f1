# SPDX-License-Identifier: GPL-3.0-or-later
# Install rules for the desktop integration and the documentation, and the CPack configuration of
# the Debian package `ssondo-workbench`. Included from the top-level CMakeLists.txt after every
# add_subdirectory(), so that these install rules run after app/'s install(TARGETS).
#
#   cmake --build build && (cd build && cpack -G DEB)     # or: packaging/build-deb.sh
#
# CPack installs what is already built (it does not build); see packaging/README.md.

include(GNUInstallDirs)

# Reverse-DNS id of the desktop application (AppStream id, .desktop and icon names), from the
# project's home page github.com/ssondo-workbench.
set(SSONDO_APP_ID "io.github.ssondo_workbench.Workbench")
set(SSONDO_DEB_RELEASE 1 CACHE STRING "Debian revision of the package (the -N in VERSION-N)")

set(_ssondo_pkg_src "${PROJECT_SOURCE_DIR}/packaging/linux")
set(_ssondo_pkg_gen "${PROJECT_BINARY_DIR}/packaging")
set(_ssondo_docdir "${CMAKE_INSTALL_DATAROOTDIR}/doc/ssondo-workbench")
file(MAKE_DIRECTORY "${_ssondo_pkg_gen}")

find_program(SSONDO_GZIP gzip REQUIRED)

# --- RPATH --------------------------------------------------------------------------------------
# A Debian binary carries no RPATH: LibTorch, FAISS, Qt and the rest live in the standard library
# folders. qt_standard_project_setup() gives executables an install RPATH of $ORIGIN:$ORIGIN/../lib;
# drop it. Whoever installs against libraries outside those folders (an official LibTorch tree)
# passes -DCMAKE_INSTALL_RPATH=/path/to/libtorch/lib, which is kept.
set(_ssondo_targets ssondo)
if(TARGET ssondo-workbench)
  list(APPEND _ssondo_targets ssondo-workbench)
endif()
set_target_properties(${_ssondo_targets} PROPERTIES INSTALL_RPATH "$CACHE{CMAKE_INSTALL_RPATH}")
foreach(_t IN LISTS _ssondo_targets)
  set(_f "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/${_t}")
  if("$CACHE{CMAKE_INSTALL_RPATH}" STREQUAL "")
    # Binaries linked before this rule existed hold a padded build RUNPATH ("::::"), which CMake
    # copies as it is when the build and install RPATHs are both empty: remove it.
    install(CODE "file(RPATH_REMOVE FILE \"${_f}\")")
  endif()
  if(CMAKE_STRIP)
    # A stripped install (cpack with CPACK_STRIP_FILES, cmake --install --strip) also drops the
    # compiler's .comment and .note sections, as Debian's dh_strip does.
    install(CODE "if(CMAKE_INSTALL_DO_STRIP)
                    execute_process(COMMAND \"${CMAKE_STRIP}\" --remove-section=.comment --remove-section=.note
                                            \"${_f}\" COMMAND_ERROR_IS_FATAL ANY)
                  endif()")
  endif()
endforeach()

# --- Files --------------------------------------------------------------------------------------
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# gzip -9n (no name, no time stamp: reproducible) at install time, so that an edited page or
# changelog is packaged without re-running CMake.
function(_ssondo_install_gzipped src dest)
  get_filename_component(_name "${src}" NAME)
  set(_gz "${_ssondo_pkg_gen}/${_name}.gz")
  install(CODE "execute_process(COMMAND \"${SSONDO_GZIP}\" -9nc \"${src}\" OUTPUT_FILE \"${_gz}\"
                                COMMAND_ERROR_IS_FATAL ANY)")
  install(FILES "${_gz}" DESTINATION "${dest}")
endfunction()

# ssondo(1): the hand-written page plus the config keys written from the schema by the built ssondo.
add_custom_command(OUTPUT "${_ssondo_pkg_gen}/ssondo.1"
  COMMAND ${CMAKE_COMMAND} -DSSONDO=$<TARGET_FILE:ssondo> -DIN=${_ssondo_pkg_src}/ssondo.1.in
          -DOUT=${_ssondo_pkg_gen}/ssondo.1 -P ${PROJECT_SOURCE_DIR}/cmake/GenerateManPage.cmake
  DEPENDS ssondo "${_ssondo_pkg_src}/ssondo.1.in" "${PROJECT_SOURCE_DIR}/cmake/GenerateManPage.cmake"
  COMMENT "Writing ssondo(1) with the config keys of the schema")
add_custom_target(ssondo_man_page ALL DEPENDS "${_ssondo_pkg_gen}/ssondo.1")
_ssondo_install_gzipped("${_ssondo_pkg_gen}/ssondo.1" "${CMAKE_INSTALL_MANDIR}/man1")
_ssondo_install_gzipped("${_ssondo_pkg_src}/changelog.Debian" "${_ssondo_docdir}")
install(FILES "${_ssondo_pkg_src}/copyright" DESTINATION "${_ssondo_docdir}")

if(TARGET ssondo-workbench)
  _ssondo_install_gzipped("${_ssondo_pkg_src}/ssondo-workbench.1" "${CMAKE_INSTALL_MANDIR}/man1")
  install(FILES "${_ssondo_pkg_src}/${SSONDO_APP_ID}.desktop"
          DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/applications")
  install(FILES "${_ssondo_pkg_src}/${SSONDO_APP_ID}.metainfo.xml"
          DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/metainfo")
  install(FILES "${_ssondo_pkg_src}/${SSONDO_APP_ID}.svg"
          DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps")
endif()
# Translations are compiled into the executables as Qt resources (ui/CMakeLists.txt,
# qt_add_translations ... RESOURCE_PREFIX /i18n): no .qm files to install.

# The changelog's first entry has to describe this version.
file(STRINGS "${_ssondo_pkg_src}/changelog.Debian" _ssondo_changelog_head LIMIT_COUNT 1)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_ssondo_pkg_src}/changelog.Debian")
if(NOT _ssondo_changelog_head MATCHES "\\(${PROJECT_VERSION}-${SSONDO_DEB_RELEASE}\\)")
  message(WARNING "packaging/linux/changelog.Debian does not start with version "
                  "${PROJECT_VERSION}-${SSONDO_DEB_RELEASE}: add an entry before packaging")
endif()

# --- CPack: one Debian package ------------------------------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "ssondo-workbench")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "S-SONDO Workbench developers")
set(CPACK_PACKAGE_CONTACT "S-SONDO Workbench developers <ssondo@users.noreply.github.com>")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workbench for distilling audio foundation models into small students")
set(CPACK_PACKAGE_DESCRIPTION [=[
S-SONDO Workbench compresses a large audio foundation model (the teacher)
into a small convolutional network (the student) by self-supervised
knowledge distillation from the teacher's output embeddings alone, as in
the S-SONDO method.

It scans datasets of audio files, extracts and caches teacher embeddings
(TorchScript exports, precomputed embeddings or a built-in demo teacher),
clusters them with FAISS k-means for cluster-balanced sampling, trains
MobileNetV3, DyMN and ERes2Net students with LibTorch, evaluates students
and teachers with linear probes and kNN classifiers on labelled tasks, and
keeps every experiment in a SQLite log.

This package contains the command-line tool ssondo, which runs every step
on a workstation, a server or a Slurm cluster, and the Qt desktop
application ssondo-workbench, with live training curves, cluster maps and
side-by-side comparisons of students and teachers.]=])
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS ${CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS})
set(CPACK_PACKAGE_CHECKSUM SHA256)

set(CPACK_DEBIAN_PACKAGE_RELEASE "${SSONDO_DEB_RELEASE}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # ssondo-workbench_0.1.0-1_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
# Library dependencies from dpkg-shlibdeps (the binaries' NEEDED entries: libtorch1.13, Qt 6,
# QCustomPlot, libsndfile, ...). What it cannot see is declared here: the xcb and offscreen
# platform plugins and the SVG icon plugins come with libqt6gui6 and libqt6svg6, which it finds;
# native Wayland needs qt6-wayland; audio playback needs GStreamer's plugins; `ssondo slurm` needs
# sbatch, squeue, sacct and scancel.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(TARGET ssondo-workbench)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gstreamer1.0-plugins-base, gstreamer1.0-plugins-good, qt6-wayland")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "slurm-client")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_SOURCE_GENERATOR "TXZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/demo-workspace/" "/\\\\.devhdr/" "/__pycache__/")

include(CPack)
