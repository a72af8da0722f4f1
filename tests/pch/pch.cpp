// SPDX-License-Identifier: GPL-3.0-or-later
// Host for the tests' shared precompiled header (see tests/CMakeLists.txt).
