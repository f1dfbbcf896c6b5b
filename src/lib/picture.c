/* picture.c: the size of a PNG, JPEG or GIF read from its headers, data
 * URIs, and the box a picture is fitted into (picture.h).
 *
 * Nothing is decoded: the headers give the pixel size and the
 * resolution (PNG pHYs, JPEG JFIF or EXIF, 96 dpi when the file says
 * none), and the structure of the file is walked to its end (PNG chunks
 * to IEND, JPEG segments to the scan and its EOI marker, GIF to its
 * trailer), so that a file cut short is refused rather than shown
 * broken by Word.
 */
#include "picture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_DPI 96.0

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}

const char *nb_pic_ext(nb_pic_format f)
{
    return f == NB_PIC_PNG ? "png" : f == NB_PIC_JPEG ? "jpeg" : "gif";
}

const char *nb_pic_mime(nb_pic_format f)
{
    return f == NB_PIC_PNG    ? "image/png"
           : f == NB_PIC_JPEG ? "image/jpeg"
                              : "image/gif";
}

/* ==== PNG (ISO/IEC 15948) ==== */

static const char *probe_png(const unsigned char *d, size_t len,
                             nb_pic_info *out)
{
    size_t i = 8;
    bool ihdr = false;

    while (i + 12 <= len) {
        uint32_t n = be32(d + i);
        const unsigned char *type = d + i + 4;

        if (n > 0x7fffffffu || n > len - i - 12)
            break;
        if (!ihdr && (memcmp(type, "IHDR", 4) != 0 || n != 13))
            return _("a PNG whose first chunk is not its header (IHDR)");
        if (!ihdr) {
            out->width = be32(d + i + 8);
            out->height = be32(d + i + 12);
            ihdr = true;
        } else if (memcmp(type, "pHYs", 4) == 0 && n == 9 && d[i + 16] == 1) {
            /* pixels per metre */
            out->dpi_x = be32(d + i + 8) * 0.0254;
            out->dpi_y = be32(d + i + 12) * 0.0254;
        } else if (memcmp(type, "IEND", 4) == 0) {
            return NULL;
        }
        i += 12 + (size_t)n;
    }
    return _("a PNG cut short: its chunks do not reach the end (IEND)");
}

/* ==== JPEG (ISO/IEC 10918-1, JFIF, Exif) ==== */

/* Read an Exif TIFF structure's resolution (tags 0x011A, 0x011B, 0x0128
 * of IFD0), tiff[0..len). */
static void exif_density(const unsigned char *t, size_t len, nb_pic_info *out)
{
    bool le;
    uint32_t ifd;
    uint32_t n;
    uint32_t k;
    double res[2] = {0, 0};
    uint32_t unit = 2;

    if (len < 8 || (memcmp(t, "II*\0", 4) != 0 && memcmp(t, "MM\0*", 4) != 0))
        return;
    le = t[0] == 'I';
#define U16(p) (le ? le16(p) : be16(p))
#define U32(p)                                                                 \
    (le ? (uint32_t)le16(p) | (uint32_t)le16((p) + 2) << 16 : be32(p))
    ifd = U32(t + 4);
    if (ifd > len || len - ifd < 2)
        return;
    n = U16(t + ifd);
    for (k = 0; k < n && ifd + 2 + (size_t)(k + 1) * 12 <= len; k++) {
        const unsigned char *e = t + ifd + 2 + (size_t)k * 12;
        uint32_t tag = U16(e);

        if (tag == 0x0128) {
            unit = U16(e + 8);
        } else if (tag == 0x011A || tag == 0x011B) {
            uint32_t off = U32(e + 8);

            if (off <= len && len - off >= 8 && U32(t + off + 4) != 0)
                res[tag - 0x011A] = (double)U32(t + off) / U32(t + off + 4);
        }
    }
#undef U16
#undef U32
    if (res[0] <= 0 || res[1] <= 0 || (unit != 2 && unit != 3))
        return;
    out->dpi_x = unit == 3 ? res[0] * 2.54 : res[0];
    out->dpi_y = unit == 3 ? res[1] * 2.54 : res[1];
}

static void app_segment(const unsigned char *s, size_t n, nb_pic_info *out)
{
    if (n >= 12 && memcmp(s, "JFIF\0", 5) == 0 && out->dpi_x == 0) {
        unsigned unit = s[7];
        double x = be16(s + 8);
        double y = be16(s + 10);

        if (unit == 1 || unit == 2) {
            out->dpi_x = unit == 2 ? x * 2.54 : x;
            out->dpi_y = unit == 2 ? y * 2.54 : y;
        }
    } else if (n >= 6 && memcmp(s, "Exif\0\0", 6) == 0 && out->dpi_x == 0) {
        exif_density(s + 6, n - 6, out);
    }
}

/* Is there an EOI marker (FF D9) in d[from..len)? */
static bool has_eoi(const unsigned char *d, size_t len, size_t from)
{
    size_t i;

    for (i = len; i-- > from + 1;)
        if (d[i - 1] == 0xFF && d[i] == 0xD9)
            return true;
    return false;
}

static const char *probe_jpeg(const unsigned char *d, size_t len,
                              nb_pic_info *out)
{
    size_t i = 2;
    bool sof = false;

    while (i + 4 <= len) {
        unsigned m;
        size_t n;

        if (d[i] != 0xFF)
            return _("a JPEG whose segments are broken");
        m = d[i + 1];
        if (m == 0xFF) {
            i++; /* fill byte */
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
            continue;
        }
        n = be16(d + i + 2);
        if (n < 2 || n > len - i - 2)
            break;
        if (m >= 0xE0 && m <= 0xEF)
            app_segment(d + i + 4, n - 2, out);
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (n < 7)
                return _("a JPEG whose frame header is too short");
            out->height = be16(d + i + 5);
            out->width = be16(d + i + 7);
            sof = true;
        }
        if (m == 0xDA) {
            if (!sof)
                return _("a JPEG with no frame header before its scan");
            if (!has_eoi(d, len, i + 2 + n))
                break;
            return NULL;
        }
        i += 2 + n;
    }
    return _("a JPEG cut short: no scan and end marker (EOI)");
}

/* ==== GIF (GIF89a) ==== */

static const char *probe_gif(const unsigned char *d, size_t len,
                             nb_pic_info *out)
{
    if (len < 14)
        return _("a GIF cut short: its header is incomplete");
    out->width = le16(d + 6);
    out->height = le16(d + 8);
    if (d[len - 1] != 0x3B)
        return _("a GIF cut short: it does not end with its trailer");
    return NULL;
}

/* ==== Formats ==== */

/* The format that d[0..len) is that nianbao does not take, or NULL. */
static const char *other_format(const unsigned char *d, size_t len)
{
    size_t i = 0;

    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return "WebP";
    if (len >= 2 && memcmp(d, "BM", 2) == 0)
        return "BMP";
    if (len >= 4 && (memcmp(d, "II*\0", 4) == 0 || memcmp(d, "MM\0*", 4) == 0))
        return "TIFF";
    if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0)
        return "HEIF/AVIF";
    while (i < len && i < 512 &&
           (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r' ||
            d[i] == 0xEF || d[i] == 0xBB || d[i] == 0xBF))
        i++;
    if (i < len && d[i] == '<')
        return "SVG/XML";
    return NULL;
}

const char *nb_pic_probe(const unsigned char *d, size_t len, size_t max_side,
                         nb_pic_info *out, bool *limit)
{
    static const unsigned char png_sig[8] = {0x89, 'P',  'N',  'G',
                                             '\r', '\n', 0x1A, '\n'};
    const char *why;
    const char *other;

    memset(out, 0, sizeof(*out));
    *limit = false;
    if (len == 0)
        return _("an empty file");
    if (len >= 8 && memcmp(d, png_sig, 8) == 0) {
        out->format = NB_PIC_PNG;
        why = probe_png(d, len, out);
    } else if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        out->format = NB_PIC_JPEG;
        why = probe_jpeg(d, len, out);
    } else if (len >= 6 &&
               (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0)) {
        out->format = NB_PIC_GIF;
        why = probe_gif(d, len, out);
    } else {
        other = other_format(d, len);
        if (other != NULL && strcmp(other, "SVG/XML") == 0)
            return _("an SVG or other XML file, not a PNG, JPEG or GIF "
                     "picture");
        if (other != NULL)
            return other[0] == 'W' ? _("a WebP picture, not a PNG, JPEG or GIF")
                   : other[0] == 'B'
                       ? _("a BMP picture, not a PNG, JPEG or GIF")
                   : other[0] == 'T'
                       ? _("a TIFF picture, not a PNG, JPEG or GIF")
                       : _("a HEIF or AVIF picture, not a PNG, JPEG or GIF");
        return _("not a PNG, JPEG or GIF picture");
    }
    if (why != NULL)
        return why;
    if (out->width == 0 || out->height == 0)
        return _("a picture whose header gives a width or height of 0");
    if (out->width > max_side || out->height > max_side) {
        *limit = true;
        return _("a picture wider or taller than the limit of pixels");
    }
    if (!(out->dpi_x >= 1 && out->dpi_x <= 100000 && out->dpi_y >= 1 &&
          out->dpi_y <= 100000)) {
        out->dpi_x = DEFAULT_DPI;
        out->dpi_y = DEFAULT_DPI;
    }
    return NULL;
}

/* ==== Data URIs (RFC 2397) ==== */

bool nb_pic_is_data_uri(const char *s, size_t len)
{
    static const char pre[] = "data:";
    size_t i;

    if (len < 5)
        return false;
    for (i = 0; i < 5; i++)
        if ((s[i] | 0x20) != pre[i])
            return false;
    return true;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* Decode base64 s[0..len) (blanks skipped, '=' padding at the end) into
 * out, which holds len * 3 / 4 + 3 bytes. */
static const char *b64_decode(const char *s, size_t len, unsigned char *out,
                              size_t *out_len)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;
    size_t pad = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int v;

        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        v = b64_value(c);
        if (v < 0 || pad > 0)
            return _("the base64 after the comma holds a character that is "
                     "not base64");
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (pad > 2 || bits >= 6)
        return _("the base64 after the comma is cut short");
    *out_len = n;
    return NULL;
}

const char *nb_pic_data_uri(const char *s, size_t len, size_t max,
                            unsigned char **out, size_t *out_len, bool *limit)
{
    const char *comma = memchr(s, ',', len);
    size_t head;
    const char *why;

    *out = NULL;
    *out_len = 0;
    *limit = false;
    if (comma == NULL)
        return _("a data URI without the comma before its data");
    head = (size_t)(comma - s);
    if (head < 12 || strncasecmp(s + head - 7, ";base64", 7) != 0)
        return _("a data URI that is not base64 (write ;base64 before the "
                 "comma)");
    if (strncasecmp(s + 5, "image/png;", 10) != 0 &&
        strncasecmp(s + 5, "image/jpeg;", 11) != 0 &&
        strncasecmp(s + 5, "image/jpg;", 10) != 0 &&
        strncasecmp(s + 5, "image/gif;", 10) != 0)
        return _("a data URI whose type is not image/png, image/jpeg or "
                 "image/gif");
    if ((len - head - 1) / 4 * 3 > max + 3) {
        *limit = true;
        return _("a data URI larger than the limit for a picture");
    }
    *out = malloc((len - head - 1) / 4 * 3 + 4);
    if (*out == NULL)
        return _("out of memory");
    why = b64_decode(comma + 1, len - head - 1, *out, out_len);
    if (why == NULL && *out_len > max) {
        *limit = true;
        why = _("a data URI larger than the limit for a picture");
    }
    if (why != NULL) {
        free(*out);
        *out = NULL;
        *out_len = 0;
    }
    return why;
}

void nb_pic_base64(nb_buf *b, const unsigned char *d, size_t len)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    size_t i;

    for (i = 0; i + 3 <= len; i += 3) {
        q[0] = tab[d[i] >> 2];
        q[1] = tab[(d[i] & 3) << 4 | d[i + 1] >> 4];
        q[2] = tab[(d[i + 1] & 15) << 2 | d[i + 2] >> 6];
        q[3] = tab[d[i + 2] & 63];
        nb_buf_add(b, q, 4);
    }
    if (len - i == 1) {
        q[0] = tab[d[i] >> 2];
        q[1] = tab[(d[i] & 3) << 4];
        q[2] = q[3] = '=';
        nb_buf_add(b, q, 4);
    } else if (len - i == 2) {
        q[0] = tab[d[i] >> 2];
        q[1] = tab[(d[i] & 3) << 4 | d[i + 1] >> 4];
        q[2] = tab[(d[i + 1] & 15) << 2];
        q[3] = '=';
        nb_buf_add(b, q, 4);
    }
}

/* ==== Sizes ==== */

/* s[0..len) with full-width ASCII (U+FF01-FF5E) folded, into buf. */
static bool fold_ascii(const char *s, size_t len, char *buf, size_t size)
{
    size_t i = 0;
    size_t n = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];

        if (n + 1 >= size)
            return false;
        if (c == 0xEF && i + 2 < len) {
            unsigned cp = 0xF000u | ((unsigned char)s[i + 1] & 0x3Fu) << 6 |
                          ((unsigned char)s[i + 2] & 0x3Fu);

            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                buf[n++] = (char)(cp - 0xFEE0);
                i += 3;
                continue;
            }
        }
        buf[n++] = (char)c;
        i++;
    }
    buf[n] = '\0';
    return true;
}

/* A decimal number "12" or "12.5" at s, by hand (the result must not
 * depend on LC_NUMERIC); *end after it. */
static double decimal_c(char *s, char **end)
{
    double v = 0;
    double scale = 1;

    while (*s >= '0' && *s <= '9' && v < 1e9)
        v = v * 10 + (*s++ - '0');
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9') {
            scale /= 10;
            v += (*s++ - '0') * scale;
        }
    }
    *end = s;
    return v;
}

bool nb_pic_length(const char *s, size_t len, int64_t *emu)
{
    static const struct {
        const char *unit;
        double emu;
    } units[] = {{"mm", NB_EMU_PER_MM},
                 {"cm", NB_EMU_PER_MM * 10},
                 {"in", NB_EMU_PER_INCH},
                 {"pt", 12700},
                 {"px", NB_EMU_PER_PX}};
    char buf[32];
    char *end;
    double v;
    size_t i;

    *emu = 0;
    nb_trim(&s, &len);
    if (len == 0 || (len == 1 && s[0] == '*'))
        return true;
    if (!fold_ascii(s, len, buf, sizeof(buf)))
        return false;
    if (buf[0] < '0' || buf[0] > '9')
        return false;
    v = decimal_c(buf, &end);
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcmp(end, units[i].unit) == 0)
            break;
    if (i == sizeof(units) / sizeof(units[0]))
        return false;
    v *= units[i].emu;
    if (!(v >= 1 && v < 10000.0 * NB_EMU_PER_MM))
        return false;
    *emu = (int64_t)llround(v);
    return true;
}

void nb_pic_fit(const nb_pic_info *p, int64_t box_w, int64_t box_h,
                int64_t max_w, int64_t *cx, int64_t *cy)
{
    double w = p->width / p->dpi_x * NB_EMU_PER_INCH;
    double h = p->height / p->dpi_y * NB_EMU_PER_INCH;
    double scale = 1;

    if (box_w > 0 && box_h > 0)
        scale = fmin(box_w / w, box_h / h);
    else if (box_w > 0)
        scale = box_w / w;
    else if (box_h > 0)
        scale = box_h / h;
    else if (max_w > 0 && w > max_w)
        scale = max_w / w;
    w *= scale;
    h *= scale;
    *cx = w < 1 ? 1 : (int64_t)llround(w);
    *cy = h < 1 ? 1 : (int64_t)llround(h);
}
