# SPDX-License-Identifier: MIT
# Generates the C file that embeds every file under web/ in the binary, with
# its content type and a strong ETag (a prefix of its SHA-256).
# usage: cmake -DWEB_DIR=<web> -DOUT=<file.c> -P embed_web.cmake
if(NOT WEB_DIR OR NOT OUT)
    message(FATAL_ERROR "embed_web.cmake: WEB_DIR and OUT are required")
endif()

# The content types; src/http/static.c holds the same table for --web DIR.
function(web_content_type path out)
    string(REGEX MATCH "\\.[^./]+$" ext "${path}")
    string(TOLOWER "${ext}" ext)
    set(t "application/octet-stream")
    if(ext STREQUAL ".html")
        set(t "text/html; charset=utf-8")
    elseif(ext STREQUAL ".js" OR ext STREQUAL ".mjs")
        set(t "text/javascript; charset=utf-8")
    elseif(ext STREQUAL ".css")
        set(t "text/css; charset=utf-8")
    elseif(ext STREQUAL ".json" OR ext STREQUAL ".map")
        set(t "application/json")
    elseif(ext STREQUAL ".webmanifest")
        set(t "application/manifest+json")
    elseif(ext STREQUAL ".svg")
        set(t "image/svg+xml")
    elseif(ext STREQUAL ".png")
        set(t "image/png")
    elseif(ext STREQUAL ".jpg" OR ext STREQUAL ".jpeg")
        set(t "image/jpeg")
    elseif(ext STREQUAL ".gif")
        set(t "image/gif")
    elseif(ext STREQUAL ".webp")
        set(t "image/webp")
    elseif(ext STREQUAL ".ico")
        set(t "image/x-icon")
    elseif(ext STREQUAL ".woff2")
        set(t "font/woff2")
    elseif(ext STREQUAL ".woff")
        set(t "font/woff")
    elseif(ext STREQUAL ".txt")
        set(t "text/plain; charset=utf-8")
    endif()
    set(${out} "${t}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE files RELATIVE "${WEB_DIR}" "${WEB_DIR}/*")
list(SORT files)
set(data "")
set(table "")
set(count 0)
foreach(rel ${files})
    # Skip hidden files and editor leftovers.
    if(rel MATCHES "(^|/)\\." OR rel MATCHES "~$")
        continue()
    endif()
    if(NOT rel MATCHES "^[A-Za-z0-9._/-]+$")
        message(FATAL_ERROR "web/${rel}: only [A-Za-z0-9._-] in web file names")
    endif()
    file(READ "${WEB_DIR}/${rel}" hex HEX)
    file(SHA256 "${WEB_DIR}/${rel}" sha)
    string(SUBSTRING "${sha}" 0 32 tag)
    string(LENGTH "${hex}" hex_len)
    math(EXPR len "${hex_len} / 2")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n    " bytes "${bytes}")
    web_content_type("${rel}" ctype)
    string(APPEND data "/* web/${rel} */\nstatic const unsigned char file_${count}[] = {\n    ${bytes}0x00};\n\n")
    string(APPEND table "    {\"/${rel}\", file_${count}, ${len}, \"${ctype}\", \"\\\"${tag}\\\"\"},\n")
    math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
    set(table "    {\"\", 0, 0, \"\", \"\"},\n")
endif()

set(content "/* SPDX-License-Identifier: MIT */
/* Generated from web/ by src/http/embed_web.cmake: do not edit. */
#include \"forum/http.h\"

${data}const struct http_file http_web_files[] = {
${table}};

const size_t http_web_files_count = ${count};
")
# Rewrite only on change, so that unchanged pages do not relink forumd.
if(EXISTS "${OUT}")
    file(READ "${OUT}" old)
    if(old STREQUAL content)
        return()
    endif()
endif()
file(WRITE "${OUT}" "${content}")
