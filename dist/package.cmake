# SPDX-License-Identifier: MIT
# The Debian package: `cpack -G DEB` in a build tree configured with
# -DCMAKE_INSTALL_PREFIX=/usr makes forumd_<version>_<arch>.deb from what
# `cmake --install` installs. scripts/package.sh does it all, with Debian's
# hardening flags (dpkg-buildflags). docs/operations.md says what the package
# installs, creates and leaves behind on purge.

set(FORUM_PACKAGE_MAINTAINER "forumd maintainers <forumd@example.org>"
    CACHE STRING "The Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME forumd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${FORUM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "open-space (unconference) session scheduler")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "One small daemon runs an open space (forum ouvert, unconference,
barcamp): participants propose topics and vote from their phones, a
facilitator runs a constraint-solving allocator that places topics into
rooms and time slots and seats people within room capacity, and a wall
display shows the published schedule. French and English web pages are
built in; the data lives in one SQLite database.
.
The package runs it as a hardened systemd service under its own system
user, configured in /etc/default/forumd.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries come from dpkg-shlibdeps; the maintainer scripts need
# adduser (deb-systemd-helper comes with init-system-helpers, which is essential).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/dist/debian/postinst
    ${PROJECT_SOURCE_DIR}/dist/debian/prerm
    ${PROJECT_SOURCE_DIR}/dist/debian/postrm
    ${PROJECT_BINARY_DIR}/dist/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# The paths written into the unit and the conffiles list are those of this
# configuration: refuse to package anything but a /usr one.
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/dist/package_check.cmake)
set(CPACK_FORUM_CONFIGURED_PREFIX "${CMAKE_INSTALL_PREFIX}")
include(CPack)
