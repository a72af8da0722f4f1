# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -DSSONDO=<ssondo> -DIN=<ssondo.1.in> -DOUT=<ssondo.1> -P GenerateManPage.cmake
# ssondo(1) with its RUN CONFIGURATION section written from the config schema, so that the man page
# lists the keys, choices and ranges that validation, the CLI help and the GUI use.
cmake_policy(SET CMP0053 NEW)
set(marker ".\\\" SSONDO-CONFIG-KEYS (the build puts the keys here)\n")
execute_process(COMMAND "${SSONDO}" train --print-config-man
                OUTPUT_VARIABLE SSONDO_CONFIG_KEYS RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ssondo train --print-config-man failed (${rc})")
endif()
file(READ "${IN}" page)
string(FIND "${page}" "${marker}" at)
if(at LESS 0)
  message(FATAL_ERROR "${IN}: no SSONDO-CONFIG-KEYS line to replace")
endif()
string(REPLACE "${marker}" "${SSONDO_CONFIG_KEYS}" page "${page}")
file(WRITE "${OUT}.tmp" "${page}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
