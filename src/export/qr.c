/* SPDX-License-Identifier: MIT */
/*
 * QR codes as SVG: libqrencode (Debian's libqrencode4) computes the
 * modules, this file draws them as one path, rows of dark runs, with the
 * four-module quiet zone the standard asks for, so that a phone reads the
 * code from paper or from a screen at any size.
 */
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define QUIET 4 /* modules of white around the symbol (ISO/IEC 18004) */

char *export_qr_svg(const char *text, size_t *len)
{
    QRcode *qr;
    struct buf b;
    char tmp[96];
    int width, size;

    *len = 0;
    if (text == NULL || text[0] == '\0' || strlen(text) > EXPORT_QR_MAX)
        return NULL;
    /* 8-bit mode, the text as it is (URLs are ASCII; anything else is UTF-8
     * bytes, which phones read as UTF-8); level M recovers from 15 % damage. */
    qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (qr == NULL)
        return NULL;
    width = qr->width;
    size = width + 2 * QUIET;
    buf_init(&b, EXPORT_MAX);
    snprintf(tmp, sizeof(tmp),
             "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" ", size,
             size);
    export__put_str(&b, tmp);
    export__put_str(&b, "shape-rendering=\"crispEdges\">");
    snprintf(tmp, sizeof(tmp), "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>", size,
             size);
    export__put_str(&b, tmp);
    export__put_str(&b, "<path fill=\"#000\" d=\"");
    for (int y = 0; y < width; y++) {
        for (int x = 0; x < width;) {
            int run = 0;
            /* Bit 0 of each module is its colour (1 = dark). */
            while (x + run < width && (qr->data[y * width + x + run] & 1))
                run++;
            if (run > 0) {
                snprintf(tmp, sizeof(tmp), "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run,
                         run);
                export__put_str(&b, tmp);
                x += run;
            } else {
                x++;
            }
        }
    }
    export__put_str(&b, "\"/></svg>\n");
    QRcode_free(qr);
    return buf_detach(&b, len);
}
