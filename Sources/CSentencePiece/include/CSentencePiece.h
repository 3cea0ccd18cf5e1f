// extern "C" shim over sentencepiece::SentencePieceProcessor (placeholder until the tokenizer work lands).
#pragma once
