/* pprof_proto.h — private: a streaming writer of pprof's profile.proto, gzipped: interned strings, functions and locations, samples. */
#ifndef HS_PRIVATE_PPROF_PROTO_H
#define HS_PRIVATE_PPROF_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hs_error.h"

/* The fields of message Profile that the writer emits (profile.proto of
 * github.com/google/pprof, as Go's cmd/vendor/.../profile/encode.go reads it). */
enum pprof_profile_field {
    PPROF_SAMPLE_TYPE = 1,        /* repeated ValueType */
    PPROF_PERIOD_TYPE = 11,       /* ValueType */
    PPROF_PERIOD = 12,            /* int64 */
    PPROF_COMMENT = 13,           /* repeated int64: string table indices */
    PPROF_DEFAULT_SAMPLE_TYPE = 14 /* int64: string table index */
};

/* A profile being written: every string, function and location is written
 * to the stream when first asked for (protobuf lets a message's repeated
 * fields interleave), samples when given, so the writer keeps only the
 * tables that intern them. Writes are buffered and deflated into gzip.
 *
 * Errors are sticky: a call that fails (out of memory, a write error)
 * records the first error and returns 0; every later call does nothing,
 * and pprof_writer_finish returns the error. */
typedef struct pprof_writer pprof_writer;

/* Starts a profile on out (which the caller owns and closes); name is the
 * output's name for messages (lives as long as the writer). The string
 * table's index 0, "", is written first. Errors: HS_ERR_NOMEM. */
int pprof_writer_new(FILE *out, const char *name, pprof_writer **writer, hs_error *err);

/* The string table index of bytes (any bytes: from the dump, the program or
 * a label); a new string is written with control characters and invalid
 * UTF-8 escaped as hs_write_text escapes them, so that pprof's text reports
 * cannot drive a terminal. 0 ("") on failure. */
uint32_t pprof_string(pprof_writer *writer, const void *bytes, size_t length);
uint32_t pprof_cstring(pprof_writer *writer, const char *text);

/* The same for text already made safe (by hs_write_text, a describer, or
 * our own words): written as it is. */
uint32_t pprof_text(pprof_writer *writer, const void *text, size_t length);

/* Writes a ValueType field (PPROF_SAMPLE_TYPE, PPROF_PERIOD_TYPE) of type and unit. */
void pprof_value_type(pprof_writer *writer, enum pprof_profile_field field, const char *type, const char *unit);

/* Writes an int64 field (PPROF_PERIOD, PPROF_COMMENT, PPROF_DEFAULT_SAMPLE_TYPE). */
void pprof_int(pprof_writer *writer, enum pprof_profile_field field, int64_t value);

/* Writes the profile's one mapping (id 1), named by the string index
 * filename, with functions, file names and line numbers: pprof then never
 * tries to symbolize its locations. */
void pprof_mapping(pprof_writer *writer, uint32_t filename);

/* The location (id 1, 2, ... in order of first use) of one line of a
 * function named `name` in `filename` (string indices; 0 for none): each
 * distinct (name, filename) is one Function, each distinct (function, line)
 * one Location in mapping 1. 0 on failure. */
uint32_t pprof_location(pprof_writer *writer, uint32_t name, uint32_t filename, int64_t line);

/* Number of locations made so far. */
uint32_t pprof_location_count(const pprof_writer *writer);

/* Writes a Sample: its locations leaf first, its values (one per sample
 * type) and, when label_key is not 0, one numeric label label_key =
 * label_value. */
void pprof_sample(pprof_writer *writer, const uint32_t *locations, uint32_t location_count, const int64_t *values,
                  uint32_t value_count, uint32_t label_key, int64_t label_value);

/* 0 while every call has succeeded, else the first error's code, with its
 * message copied to err (which may be NULL). */
int pprof_writer_status(const pprof_writer *writer, hs_error *err);

/* Ends the gzip stream (written to out, not flushed) and frees the writer.
 * Returns 0 or the first error (message in err, naming the output). Accepts
 * NULL. */
int pprof_writer_finish(pprof_writer *writer, hs_error *err);

/* Frees the writer without ending the stream. Accepts NULL. */
void pprof_writer_free(pprof_writer *writer);

#endif
