#!/usr/bin/env python3
"""Reference side of the tokenizer benchmark (see bench_tokenizers.sh).

    tokenizers_bench.py corpus OUT.txt [--megabytes 5]   write the reproducible English corpus
    tokenizers_bench.py run CORPUS FIXTURES MODE          measure HF tokenizers / sentencepiece
                                                          (MODE single: set RAYON_NUM_THREADS=1)
    tokenizers_bench.py compare SWIFT.jsonl PY.jsonl      print the ratio table
"""
import json
import os
import random
import shutil
import sys
import tempfile
import time


def make_corpus(path, megabytes, fixtures):
    """Varied English-like text: Zipf-sampled words from the BERT vocabulary, with capitals,
    punctuation, numbers, quotes and contractions; seeded, so every run writes the same file."""
    rng = random.Random(1234)
    with open(os.path.join(fixtures, "bert_base_uncased_vocab.txt"), encoding="utf-8") as f:
        words = [w for w in (line.rstrip("\n") for line in f) if w.isascii() and w.isalpha() and len(w) > 1]
    words = words[:12000]
    weights = [1.0 / (i + 10) for i in range(len(words))]
    extras = ["don't", "it's", "we're", "they've", "I'm", "you'll", "e-mail", "U.S.", "3.14", "1,000", "2024"]
    target = megabytes * 1_000_000
    size = 0
    with open(path, "w", encoding="utf-8") as out:
        while size < target:
            sentences = []
            for _ in range(rng.randint(1, 4)):
                n = rng.randint(5, 25)
                ws = rng.choices(words, weights, k=n)
                if rng.random() < 0.3:
                    ws[rng.randrange(n)] = rng.choice(extras)
                if rng.random() < 0.2:
                    ws[rng.randrange(n)] = str(rng.randint(0, 99999))
                ws[0] = ws[0].capitalize()
                for i in range(1, n - 1):
                    if rng.random() < 0.06:
                        ws[i] += rng.choice([",", ";", ":"])
                    elif rng.random() < 0.03:
                        ws[i] = ws[i].capitalize()
                s = " ".join(ws) + rng.choice([".", ".", ".", "?", "!"])
                if rng.random() < 0.1:
                    s = '"' + s + '"'
                sentences.append(s)
            line = " ".join(sentences)
            out.write(line + "\n")
            size += len(line.encode("utf-8")) + 1


def now():
    return time.perf_counter()


def best_of(fn, repeats=3, cpu=True):
    """Best of `repeats` runs: thread CPU time for single-thread runs (robust to other load on a
    shared machine), wall time for multi-threaded ones."""
    clock = time.thread_time if cpu else now
    best, tokens = float("inf"), 0
    for _ in range(repeats):
        start = clock()
        tokens = fn()
        best = min(best, clock() - start)
    return best, tokens


def report(name, mode, seconds, tokens, nbytes):
    print(json.dumps({"impl": "reference", "tokenizer": name, "mode": mode, "seconds": seconds,
                      "mb_per_s": nbytes / 1e6 / seconds, "tokens_per_s": tokens / seconds,
                      "tokens": tokens, "bytes": nbytes}), flush=True)


def run(corpus, fixtures, mode):
    from transformers import BertTokenizerFast, GPT2TokenizerFast
    import sentencepiece as spm

    with open(corpus, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l]
    nbytes = sum(len(l.encode("utf-8")) for l in lines)
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "bert"))
        shutil.copy(os.path.join(fixtures, "bert_base_uncased_vocab.txt"), os.path.join(tmp, "bert", "vocab.txt"))
        bert = BertTokenizerFast.from_pretrained(os.path.join(tmp, "bert"), do_lower_case=True).backend_tokenizer
        os.makedirs(os.path.join(tmp, "gpt2"))
        shutil.copy(os.path.join(fixtures, "gpt2_vocab.json"), os.path.join(tmp, "gpt2", "vocab.json"))
        shutil.copy(os.path.join(fixtures, "gpt2_merges.txt"), os.path.join(tmp, "gpt2", "merges.txt"))
        gpt2 = GPT2TokenizerFast.from_pretrained(os.path.join(tmp, "gpt2")).backend_tokenizer
    # KerasHub 0.32's BytePairTokenizer: the same BPE with no pre-split (its Split pattern is a
    # literal string that never matches), byte-level mapping only.
    from tokenizers import Tokenizer, models, pre_tokenizers
    whole = Tokenizer(models.BPE.from_file(os.path.join(fixtures, "gpt2_vocab.json"), os.path.join(fixtures, "gpt2_merges.txt")))
    whole.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    label = "single" if mode == "single" else "all_cores"
    for name, tok in (("wordpiece", bert), ("bpe", gpt2), ("bpe_whole_text", whole)):
        tok.encode_batch(lines[:2000], add_special_tokens=False)
        seconds, tokens = best_of(
            lambda: sum(len(e.ids) for e in tok.encode_batch(lines, add_special_tokens=False)),
            cpu=(mode == "single"))
        report(name, label, seconds, tokens, nbytes)
    if mode == "single":
        sp = spm.SentencePieceProcessor(model_file=os.path.join(fixtures, "mistral_v1_bpe_32000.model"))
        seconds, tokens = best_of(lambda: sum(len(sp.encode(l)) for l in lines))
        report("sentencepiece", "single", seconds, tokens, nbytes)
        uni = spm.SentencePieceProcessor(model_file=os.path.join(fixtures, "botchan_en_unigram_1000.model"))
        seconds, tokens = best_of(lambda: sum(len(uni.encode(l)) for l in lines))
        report("sentencepiece_unigram", "single", seconds, tokens, nbytes)


def compare(swift_path, py_path):
    def load(path):
        rows = {}
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    r = json.loads(line)
                    if r["mode"] == "load":
                        print("%s load time: %.3f s" % (r["tokenizer"], r["seconds"]))
                        continue
                    rows[(r["tokenizer"], r["mode"])] = r
        return rows

    swift, ref = load(swift_path), load(py_path)
    print("%-22s %-9s %10s %12s %10s %12s %8s %s" % (
        "tokenizer", "mode", "swift MB/s", "swift tok/s", "ref MB/s", "ref tok/s", "ratio", "tokens swift/ref"))
    for key in sorted(swift):
        s = swift[key]
        r = ref.get(key)
        if key[0].endswith("_direct") or key[0].endswith("_wrapper_alternating"):
            continue
        if r is None:
            print("%-22s %-9s %10.2f %12.0f" % (key[0], key[1], s["mb_per_s"], s["tokens_per_s"]))
            continue
        print("%-22s %-9s %10.2f %12.0f %10.2f %12.0f %7.2fx %d/%d" % (
            key[0], key[1], s["mb_per_s"], s["tokens_per_s"], r["mb_per_s"], r["tokens_per_s"],
            s["mb_per_s"] / r["mb_per_s"], s["tokens"], r["tokens"]))
    for name in ("sentencepiece", "sentencepiece_unigram"):
        if (name + "_wrapper_alternating", "single") in swift and (name + "_direct", "single") in swift:
            w, d = swift[(name + "_wrapper_alternating", "single")], swift[(name + "_direct", "single")]
            print("%s: SentencePieceTokenizer vs libsentencepiece's own encode (same process, single thread): "
                  "%.2f vs %.2f MB/s, %.2fx" % (name, w["mb_per_s"], d["mb_per_s"], w["mb_per_s"] / d["mb_per_s"]))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "corpus":
        mb = int(sys.argv[sys.argv.index("--megabytes") + 1]) if "--megabytes" in sys.argv else 5
        make_corpus(sys.argv[2], mb, sys.argv[3] if len(sys.argv) > 3 and not sys.argv[3].startswith("--")
                    else os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "KerasHubTokenizersTests", "Fixtures"))
    elif cmd == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "compare":
        compare(sys.argv[2], sys.argv[3])
