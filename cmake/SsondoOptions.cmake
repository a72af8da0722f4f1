# SPDX-License-Identifier: GPL-3.0-or-later
# Interface targets carrying the project's warnings and build options.
# Linked PRIVATE by every first-party target; nothing here edits global flags.

if(SSONDO_USE_CCACHE)
  find_program(SSONDO_CCACHE ccache)
  if(SSONDO_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${SSONDO_CCACHE}")
    message(STATUS "S-SONDO: using ccache ${SSONDO_CCACHE}")
  endif()
endif()

add_library(ssondo_warnings INTERFACE)
add_library(ssondo::warnings ALIAS ssondo_warnings)
target_compile_options(ssondo_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
     -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough>
  $<$<AND:$<CXX_COMPILER_ID:GNU,Clang>,$<BOOL:${SSONDO_WERROR}>>:-Werror>)

add_library(ssondo_options INTERFACE)
add_library(ssondo::options ALIAS ssondo_options)
# Qt's `slots`/`signals`/`emit` keywords collide with LibTorch's headers.
target_compile_definitions(ssondo_options INTERFACE QT_NO_KEYWORDS)
if(SSONDO_SANITIZE)
  target_compile_options(ssondo_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(ssondo_options INTERFACE -fsanitize=address,undefined)
endif()
