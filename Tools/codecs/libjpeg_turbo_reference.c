/*
 * Decodes a JPEG (8-bit, baseline/extended) with the system libjpeg-turbo the way JPEGDCTDecoder
 * does: accurate integer IDCT (JDCT_ISLOW), fancy upsampling, NO colour conversion (YCbCr stays
 * YCbCr, RGB stays RGB). Writes interleaved 8-bit samples to stdout. Used to check the Swift
 * decoder bit-exactly against libjpeg-turbo (pydicom's reference, Thomas Richter's libjpeg, uses a
 * different IDCT, so it only agrees within ±1…3).
 *
 *   cc Tools/codecs/libjpeg_turbo_reference.c -ljpeg -o /tmp/jpeg_ref && /tmp/jpeg_ref frame.bin > frame.raw
 */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s file.jpg\n", argv[0]); return 2; }
    FILE *in = fopen(argv[1], "rb");
    if (!in) { perror(argv[1]); return 1; }
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr jerr;
    cinfo.err = jpeg_std_error(&jerr);          /* errors exit the process: fine for a tool */
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, in);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = cinfo.jpeg_color_space;   /* no colour conversion */
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.do_fancy_upsampling = TRUE;
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * cinfo.output_components;
    JSAMPLE *row = malloc(stride);
    while (cinfo.output_scanline < cinfo.output_height) {
        jpeg_read_scanlines(&cinfo, &row, 1);
        fwrite(row, 1, stride, stdout);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(row);
    fclose(in);
    return 0;
}
