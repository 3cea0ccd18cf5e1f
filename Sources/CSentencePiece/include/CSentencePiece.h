// extern "C" shim over sentencepiece::SentencePieceProcessor.
//
// No C++ exception crosses this boundary: every entry point catches and reports failures as an
// error string (caller frees it with csp_free_string) or a negative return value.
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Opaque handle to a loaded SentencePiece model.
typedef struct CSPProcessor CSPProcessor;

/// Loads a model from a file. On success returns NULL and stores a new handle in *out; on failure
/// returns a malloc'd error message (free with csp_free_string) and leaves *out NULL.
char *csp_load_file(const char *path, CSPProcessor **out);

/// Loads a model from serialized model bytes (the content of a .model file); as csp_load_file.
char *csp_load_bytes(const char *data, size_t length, CSPProcessor **out);

/// Frees a handle (NULL is allowed).
void csp_free(CSPProcessor *processor);

/// Frees a buffer returned by this API (NULL is allowed).
void csp_free_string(void *string);

/// Encodes UTF-8 text to ids, writing at most `capacity` ids to `out`. Returns the total number of
/// ids (which may exceed capacity: call again with a larger buffer), or -1 on failure.
int64_t csp_encode_ids(const CSPProcessor *processor, const char *text, size_t length,
                       int32_t *out, size_t capacity);

/// Encodes UTF-8 text to pieces. Returns a malloc'd buffer holding the pieces back to back (pieces
/// may contain NUL bytes) and stores in *lengths a malloc'd array of their byte lengths and in
/// *count their number; NULL on failure. Free both with csp_free_string.
char *csp_encode_pieces(const CSPProcessor *processor, const char *text, size_t length,
                        size_t **lengths, size_t *count);

/// Decodes ids to UTF-8 text. Returns a malloc'd string (free with csp_free_string) whose length is
/// stored in *length, or NULL on failure.
char *csp_decode_ids(const CSPProcessor *processor, const int32_t *ids, size_t count, size_t *length);

/// The id of a piece (the unknown id when absent).
int32_t csp_piece_to_id(const CSPProcessor *processor, const char *piece, size_t length);

/// The piece of an id, valid while the handle lives; NULL when out of range. *length gets its size.
const char *csp_id_to_piece(const CSPProcessor *processor, int32_t id, size_t *length);

/// Whether `id` is an unknown, control or unused piece (0 = normal).
int csp_is_special(const CSPProcessor *processor, int32_t id);

/// The score of piece `id` (its log probability in a unigram model), 0 when out of range.
float csp_get_score(const CSPProcessor *processor, int32_t id);

/// Number of pieces.
int32_t csp_vocab_size(const CSPProcessor *processor);
/// Special ids (-1 when the model has none).
int32_t csp_bos_id(const CSPProcessor *processor);
int32_t csp_eos_id(const CSPProcessor *processor);
int32_t csp_unk_id(const CSPProcessor *processor);
int32_t csp_pad_id(const CSPProcessor *processor);

#ifdef __cplusplus
}
#endif
