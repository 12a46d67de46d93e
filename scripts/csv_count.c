/*
 * The baseline for scripts/bench-reader.sh: the plainest libcsv loop there is. It reads a file in 64 KiB
 * chunks, feeds them to csv_parse with the same strict options and delimiter the reader uses, and counts
 * records and fields (and field bytes, so nothing is optimised away). No line tracking, no decoding.
 *
 *   cc -O2 -o csv_count scripts/csv_count.c -lcsv && ./csv_count FILE [DELIMITER]
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counts {
    unsigned long records;
    unsigned long fields;
    unsigned long bytes;
};

static void on_field(void *data, size_t length, void *context) {
    struct counts *counts = context;
    (void)data;
    counts->fields += 1;
    counts->bytes += length;
}

static void on_record(int terminator, void *context) {
    struct counts *counts = context;
    (void)terminator;
    counts->records += 1;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: csv_count FILE [DELIMITER]\n");
        return 64;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) {
        perror(argv[1]);
        return 66;
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) return 70;
    csv_set_delim(&parser, argc > 2 ? (unsigned char)argv[2][0] : ';');
    struct counts counts = {0, 0, 0};
    static char buffer[64 * 1024];
    size_t got;
    while ((got = fread(buffer, 1, sizeof buffer, file)) > 0) {
        if (csv_parse(&parser, buffer, got, on_field, on_record, &counts) != got) {
            fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&parser)));
            return 65;
        }
    }
    csv_fini(&parser, on_field, on_record, &counts);
    csv_free(&parser);
    fclose(file);
    printf("records %lu fields %lu bytes %lu\n", counts.records, counts.fields, counts.bytes);
    return 0;
}
