# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -DSOURCE_DIR=<repo> -P check_spdx.cmake: every source file, script and CMake file of the
# project starts with the SPDX line of its license (GPL-3.0-or-later), so that the license of each
# file is stated where it is read; fails listing those that do not.
file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}"
     "${SOURCE_DIR}/app/*" "${SOURCE_DIR}/core/*" "${SOURCE_DIR}/ui/*" "${SOURCE_DIR}/tests/*"
     "${SOURCE_DIR}/bench/*" "${SOURCE_DIR}/fuzz/*" "${SOURCE_DIR}/packaging/*" "${SOURCE_DIR}/cmake/*"
     "${SOURCE_DIR}/CMakeLists.txt")
set(missing "")
foreach(f IN LISTS files)
  if(f MATCHES "^tests/fixtures/" OR NOT f MATCHES "(\\.(cpp|h|py|sh|cmake)|CMakeLists\\.txt)$")
    continue()
  endif()
  file(READ "${SOURCE_DIR}/${f}" head LIMIT 400)
  if(NOT head MATCHES "SPDX-License-Identifier: GPL-3\\.0-or-later")
    list(APPEND missing "${f}")
  endif()
endforeach()
if(missing)
  list(JOIN missing "\n  " text)
  message(FATAL_ERROR "no SPDX-License-Identifier: GPL-3.0-or-later line in:\n  ${text}")
endif()
list(LENGTH files n)
message(STATUS "SPDX line present in every source file")
