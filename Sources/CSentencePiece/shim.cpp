// extern "C" shim over sentencepiece::SentencePieceProcessor (see include/CSentencePiece.h).
#include "CSentencePiece.h"

#include <sentencepiece_processor.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

struct CSPProcessor {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

char *copy_string(const std::string &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out == nullptr) return nullptr;
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    return out;
}

template <typename LoadFn>
char *load(CSPProcessor **out, LoadFn fn) {
    *out = nullptr;
    try {
        auto *p = new CSPProcessor();
        auto status = fn(p->processor);
        if (!status.ok()) {
            std::string message = status.ToString();
            delete p;
            return copy_string(message.empty() ? std::string("unknown error") : message);
        }
        *out = p;
        return nullptr;
    } catch (const std::exception &e) {
        return copy_string(std::string("exception: ") + e.what());
    } catch (...) {
        return copy_string("unknown exception");
    }
}

}  // namespace

extern "C" {

char *csp_load_file(const char *path, CSPProcessor **out) {
    return load(out, [&](sentencepiece::SentencePieceProcessor &p) { return p.Load(path); });
}

char *csp_load_bytes(const char *data, size_t length, CSPProcessor **out) {
    return load(out, [&](sentencepiece::SentencePieceProcessor &p) {
        return p.LoadFromSerializedProto(absl::string_view(data, length));
    });
}

void csp_free(CSPProcessor *processor) { delete processor; }

void csp_free_string(void *string) { std::free(string); }

int64_t csp_encode_ids(const CSPProcessor *processor, const char *text, size_t length, int32_t *out,
                       size_t capacity) {
    try {
        std::vector<int> ids;
        auto status = processor->processor.Encode(absl::string_view(text, length), &ids);
        if (!status.ok()) return -1;
        size_t n = ids.size() < capacity ? ids.size() : capacity;
        for (size_t i = 0; i < n; ++i) out[i] = static_cast<int32_t>(ids[i]);
        return static_cast<int64_t>(ids.size());
    } catch (...) {
        return -1;
    }
}

char *csp_encode_pieces(const CSPProcessor *processor, const char *text, size_t length, size_t **lengths,
                        size_t *count) {
    *lengths = nullptr;
    *count = 0;
    try {
        std::vector<std::string> pieces;
        auto status = processor->processor.Encode(absl::string_view(text, length), &pieces);
        if (!status.ok()) return nullptr;
        std::string joined;
        size_t *sizes = static_cast<size_t *>(std::malloc((pieces.size() + 1) * sizeof(size_t)));
        if (sizes == nullptr) return nullptr;
        for (size_t i = 0; i < pieces.size(); ++i) {
            joined += pieces[i];
            sizes[i] = pieces[i].size();
        }
        char *out = copy_string(joined);
        if (out == nullptr) {
            std::free(sizes);
            return nullptr;
        }
        *lengths = sizes;
        *count = pieces.size();
        return out;
    } catch (...) {
        return nullptr;
    }
}

char *csp_decode_ids(const CSPProcessor *processor, const int32_t *ids, size_t count, size_t *length) {
    try {
        std::vector<int> v(ids, ids + count);
        std::string text;
        auto status = processor->processor.Decode(v, &text);
        if (!status.ok()) return nullptr;
        *length = text.size();
        return copy_string(text);
    } catch (...) {
        return nullptr;
    }
}

int32_t csp_piece_to_id(const CSPProcessor *processor, const char *piece, size_t length) {
    try {
        return processor->processor.PieceToId(absl::string_view(piece, length));
    } catch (...) {
        return -1;
    }
}

const char *csp_id_to_piece(const CSPProcessor *processor, int32_t id, size_t *length) {
    if (id < 0 || id >= processor->processor.GetPieceSize()) return nullptr;
    try {
        const std::string &piece = processor->processor.IdToPiece(id);
        *length = piece.size();
        return piece.c_str();
    } catch (...) {
        return nullptr;
    }
}

int csp_is_special(const CSPProcessor *processor, int32_t id) {
    if (id < 0 || id >= processor->processor.GetPieceSize()) return 1;
    const auto &p = processor->processor;
    return (p.IsUnknown(id) || p.IsControl(id) || p.IsUnused(id)) ? 1 : 0;
}

float csp_get_score(const CSPProcessor *processor, int32_t id) {
    if (id < 0 || id >= processor->processor.GetPieceSize()) return 0;
    return processor->processor.GetScore(id);
}

int32_t csp_vocab_size(const CSPProcessor *processor) { return processor->processor.GetPieceSize(); }
int32_t csp_bos_id(const CSPProcessor *processor) { return processor->processor.bos_id(); }
int32_t csp_eos_id(const CSPProcessor *processor) { return processor->processor.eos_id(); }
int32_t csp_unk_id(const CSPProcessor *processor) { return processor->processor.unk_id(); }
int32_t csp_pad_id(const CSPProcessor *processor) { return processor->processor.pad_id(); }

}  // extern "C"
