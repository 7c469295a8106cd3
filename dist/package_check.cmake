# SPDX-License-Identifier: MIT
# Run by cpack (CPACK_PROJECT_CONFIG_FILE): the package must be made from a
# build configured for /usr, whose unit and conffiles name /usr and /etc paths.
if(CPACK_GENERATOR STREQUAL "DEB" AND NOT CPACK_FORUM_CONFIGURED_PREFIX STREQUAL "/usr")
    message(FATAL_ERROR "forumd: configure with -DCMAKE_INSTALL_PREFIX=/usr to build the "
                        "Debian package (this build uses ${CPACK_FORUM_CONFIGURED_PREFIX}); "
                        "scripts/package.sh does it")
endif()
