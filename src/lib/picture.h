/* picture.h: pictures from data (docs/templates.md, "Pictures"): their
 * size read from their own headers (PNG, JPEG, GIF; no image library),
 * data URIs, and the box a template gives them.
 */
#ifndef NIANBAO_SRC_LIB_PICTURE_H
#define NIANBAO_SRC_LIB_PICTURE_H

#include "internal.h"

#define NB_EMU_PER_INCH 914400
#define NB_EMU_PER_MM 36000
#define NB_EMU_PER_PX 9525 /* at 96 dpi */

typedef enum nb_pic_format {
    NB_PIC_PNG = 0,
    NB_PIC_JPEG,
    NB_PIC_GIF
} nb_pic_format;

typedef struct nb_pic_info {
    nb_pic_format format;
    uint32_t width; /* pixels */
    uint32_t height;
    double dpi_x; /* from pHYs, JFIF or EXIF; 96 when the file says none */
    double dpi_y;
} nb_pic_info;

/* Read the format, pixel size and resolution of data[0..len). NULL when
 * it is a whole PNG, JPEG or GIF with sides of at most 'max_side' pixels;
 * else why not, translated ("*limit" is set when the sides are too
 * large). */
const char *nb_pic_probe(const unsigned char *data, size_t len, size_t max_side,
                         nb_pic_info *out, bool *limit);

/* The extension ("png", "jpeg", "gif") and MIME type of a format. */
const char *nb_pic_ext(nb_pic_format f);
const char *nb_pic_mime(nb_pic_format f);

/* Is s[0..len) a data URI ("data:" in any case)? */
bool nb_pic_is_data_uri(const char *s, size_t len);

/* Decode the data URI s[0..len) (data:image/png;base64,…) into *out
 * (malloc'd). NULL on success; else why not, translated ("*limit" set
 * when it would be more than 'max' bytes). */
const char *nb_pic_data_uri(const char *s, size_t len, size_t max,
                            unsigned char **out, size_t *out_len, bool *limit);

/* data[0..len) in base64 appended to 'b'. */
void nb_pic_base64(nb_buf *b, const unsigned char *data, size_t len);

/* A length as a template or data writes it: "60mm", "6cm", "2.5in",
 * "120pt", "300px" (at 96 dpi), full-width digits and letters too, in
 * EMU; "*" or "" is 0 (no bound). False when it is not one, or not above
 * 0 and below 10 m. */
bool nb_pic_length(const char *s, size_t len, int64_t *emu);

/* The size of the picture in EMU: within the box (box_w, box_h; 0 for a
 * side not bounded), scaled with its aspect kept; with no box, its own
 * size at its resolution, made smaller to 'max_w' when wider. */
void nb_pic_fit(const nb_pic_info *p, int64_t box_w, int64_t box_h,
                int64_t max_w, int64_t *cx, int64_t *cy);

#endif /* NIANBAO_SRC_LIB_PICTURE_H */
