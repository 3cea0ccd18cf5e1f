#!/usr/bin/env python3
"""Writes the tokenizer parity corpus and golden ids for KerasHubTokenizersTests.

Run with the reference stack (never a runtime dependency of the package):

    .venv-ref/bin/python Tools/make_tokenizer_goldens.py

Inputs: the real vocabularies in Tests/KerasHubTokenizersTests/Fixtures (see ORIGIN.md).
Outputs (JSON Lines, one line per corpus line, same order):
    corpus.jsonl                 {"text": ...}
    goldens_wordpiece.jsonl      {"ids": [...], "decoded": ...}   transformers BertTokenizerFast, lowercase,
                                                                   add_special_tokens=False; decoded by its
                                                                   backend tokenizer (WordPiece decoder, cleanup)
    goldens_wordpiece_cased.jsonl  the same vocabulary with do_lower_case=False (no lowercasing, no
                                   accent stripping: exercises the other normaliser path)
    goldens_bpe.jsonl            {"ids": [...], "decoded": ...}   transformers GPT2TokenizerFast
    goldens_bpe_prefix_space.jsonl  the same with add_prefix_space=True (as a tokenizer_config.json sets it)
    goldens_sp_<model>.jsonl     {"ids": [...], "pieces": [...], "decoded": ..., "normalized": ...}   sentencepiece
                                   package (`normalized`: its normalizer alone, `normalize()`)
    goldens_sp_ties.jsonl        {"model", "text", "ids", "pieces"}   sentencepiece on 400 seeded tie-heavy
                                   lines (runs of repeated punctuation and short pieces) per unigram model
"""
import json
import os
import random
import shutil
import tempfile

import sentencepiece as spm
from transformers import BertTokenizerFast, GPT2TokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "KerasHubTokenizersTests", "Fixtures")


def corpus():
    lines = [
        "The quick brown fox.",
        "The quick brown fox jumped over the lazy dog!",
        "",
        " ",
        "   ",
        "\t",
        "\n",
        "\r\n",
        " \t \n \r\n  ",
        "Hello, world!",
        "  leading and trailing spaces  ",
        "multiple    spaces   between\twords\tand\ttabs",
        "line one\nline two\r\nline three\rline four",
        "I'm sure you'll see they've done it; he'd say it's what we're doing, isn't it?",
        "DON'T SHOUT I'M HERE 'QUOTED' ''double'' 's 't",
        "He said: \"no.\" She said -- 'yes'... (maybe) [really] {ok} <tag/>",
        "Numbers: 0 1 12 123 1234 12345 3.14159 -42 +7 1,000,000 1e-10 0x1F 2024-11-22 12:30:45",
        "٠١٢٣٤٥٦٧٨٩ and ۱۲۳ and ०१२३ and ① ② Ⅻ ½ ²³",
        "Prices: $5.99, €10, £3, ¥500, ₹100, ₿0.01 — 50% off!!!",
        "Email me at someone@example.com or visit https://www.example.org/path?q=1&x=y#frag",
        "def f(x):\n    return x ** 2  # square\n\nprint(f(3))",
        "for (int i = 0; i < n; ++i) { a[i] = b[i] * c[i]; }",
        "SELECT * FROM users WHERE id = 42 AND name LIKE '%bob%';",
        "{\"key\": [1, 2, 3], \"nested\": {\"a\": null, \"b\": true}}",
        "#!/bin/bash\necho \"$HOME\" | grep -v '^#' > /dev/null 2>&1",
        "café naïve résumé façade coöperate Ångström São Paulo Zürich",
        "cafe\u0301 nai\u0308ve re\u0301sume\u0301 Ang\u030astro\u0308m",  # NFD forms
        "ÀÁÂÃÄÅ àáâãäå ÇÈÉÊË çèéêë ÑÒÓÔÕÖ ñòóôõö ŠšŽžŸÿ",
        "e\u0301\u0301\u0301 a\u0300\u0316\u0317 combining stack z\u0351\u0352\u0353\u0354",
        "Ḁḁ Ḃḃ ḯ ǅ ǈ ǋ ǲ ﬁ ﬂ ﬀ ß ẞ ǰ İstanbul ıi Σίσυφος ΣΑΣ",
        "Straße STRASSE groß Größe ÆØÅ æøå Œuvre œuvre",
        "中文分词测试：我爱北京天安门。",
        "日本語のテキスト、ひらがなとカタカナ。東京タワー",
        "한국어 텍스트 처리 테스트입니다. 안녕하세요!",
        "混合text中文and English混合",
        "㐀㐁 𠀀𠀁 𪜀 豈 更 丽 丸 CJK compat and extensions",
        "ｆｕｌｌｗｉｄｔｈ　ＡＢＣ　１２３！ half-width ｶﾀｶﾅ",
        "العربية: مرحبا بالعالم! هذا اختبار.",
        "مَرْحَبًا بِكُمْ (with harakat)",
        "עברית: שלום עולם, זהו מבחן.",
        "हिन्दी: नमस्ते दुनिया। यह एक परीक्षण है।",
        "বাংলা ভাষা, தமிழ் மொழி, తెలుగు, ಕನ್ನಡ, മലയാളം",
        "ภาษาไทย: สวัสดีชาวโลก นี่คือการทดสอบ",
        "ລາວ ພາສາ, ខ្មែរ, မြန်မာ, ትግርኛ አማርኛ",
        "Русский: Привет, мир! Ёжик в тумане. ЁЁЁ ёёё",
        "Українська: Ґанок, їжак, євро. Беларуская: ў",
        "Ελληνικά: Γειά σου κόσμε! ΆΈΉΊΌΎΏ άέήίόύώ ΐΰ",
        "Tiếng Việt: Xin chào thế giới, đây là bài kiểm tra.",
        "Türkçe: İĞÜŞÖÇ ığüşöç; Polski: Zażółć gęślą jaźń",
        "ქართული, Հայերեն, ᠮᠣᠩᠭᠣᠯ, ᏣᎳᎩ, ᐃᓄᒃᑎᑐᑦ",
        "Emoji: 😀 😂 🤣 ❤️ 👍🏽 👋🏿 🎉🎊",
        "ZWJ families: 👨‍👩‍👧‍👦 👩‍❤️‍💋‍👨 🏳️‍🌈 🧑🏾‍💻 👁️‍🗨️",
        "Flags: 🇺🇸🇬🇧🇯🇵🇩🇪 and keycaps 1️⃣ #️⃣ *️⃣",
        "New emoji: 🥰 🥳 🫠 🫶 🪿 🩷 🫨 🧌",
        "Text with\u00a0no-break\u00a0space and\u202fnarrow\u2009thin\u200ahair",
        "Ideographic\u3000space and em\u2003space en\u2002space",
        "Line\u2028separator and paragraph\u2029separator and next\u0085line",
        "Vertical\u000btab and form\u000cfeed and\u001cfile\u001dgroup\u001erecord\u001funit",
        "Ogham\u1680space mongolian\u180evowel zero\u200bwidth\u200cnon\u200djoiner\u2060wj\ufeffbom",
        "Controls: \u0000null \u0001soh \u0007bell \u0008bs \u001besc \u007fdel \u0080pad \u009fapc",
        "Bidi: \u200eLRM\u200fRLM \u202aLRE\u202c \u2066LRI\u2069 replacement \ufffd char",
        "Private use: \ue000\uf8ff and unassigned \u0378\u0379 and noncharacter \ufdd0",
        "a" * 99,
        "b" * 100,
        "c" * 101,
        "supercalifragilisticexpialidocious" * 4,
        "Pneumonoultramicroscopicsilicovolcanoconiosis is long but fine",
        "x" * 150 + " short " + "y" * 250,
        "🙂" * 60,
        "é" * 120,
        "[CLS] [SEP] [PAD] [MASK] [UNK]",
        "[CLS]Hello[SEP]World[SEP]",
        "[cls] lowercase specials [sep] are not special",
        "[CLS[SEP]] [[MASK]] [ CLS ]",
        "<|endoftext|>",
        "Hello<|endoftext|>World<|endoftext|><|endoftext|>",
        " <|endoftext|> spaced <|endoftext|> ",
        "<|endoftext|Almost <|endoftext> <|ENDOFTEXT|>",
        "<s> </s> <unk> <pad> ▁ ▁▁ ▁x",
        "GPT-2's tokenizer: 'll 've 're 's 't 'm 'd and ’s curly",
        "Don’t “smart quotes” ‘single’ «guillemets» „low” ‹angle›",
        "Dashes – — ― ‐ ‑ ‒ and ellipsis … bullets • · ‧",
        "Math: ∑∫∂∇ ≤ ≥ ≠ ≈ ∞ ∈ ∉ ⊂ ⊃ ∪ ∩ √2 π≈3.14 α+β=γ",
        "Symbols: © ® ™ § ¶ † ‡ ° ℃ ℉ № ℮ ← → ↑ ↓ ⇒ ⇔ ♠ ♣ ♥ ♦ ★ ☆",
        "Box: ┌─┬─┐ │ ╔═╗ ║ █▓▒░ ▲▼◆◇",
        "Musical 𝄞 𝅘𝅥𝅮 and math 𝐀𝐁𝐂 𝕏 𝔸 𝓐 𝟘𝟙𝟚",
        "Superscripts x² y³ H₂O CO₂ ⁰¹²³⁴⁵⁶⁷⁸⁹ ₀₁₂",
        "Ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ and Roman Ⅰ Ⅱ Ⅲ ⅰ ⅱ",
        "Mixed 123abc abc123 a1b2c3 3rd 21st 1990s v2.0.1",
        "hashtags #NLP #機械学習 @user_name snake_case camelCase PascalCase kebab-case",
        "!!!???...,,,;;;:::---___***&&&^^^%%%$$$###@@@",
        "a.b.c a,b,c a;b;c a:b:c a/b/c a\\b\\c a|b|c a~b~c a`b`c",
        "'''\"\"\"```",
        "Tab\tseparated\tvalues\t1\t2\t3",
        "trailing newline\n",
        "\n\nleading newlines",
        "  \u00a0 mixed \u3000 \u2028 whitespace \t\r\n end",
        "word\u0300 \u0301alone accent \u0301\u0302",
        "Hangul jamo: 각 and compatibility ㄱㅏ and syllable 각",
        "Devanagari nukta: क़ ख़ ग़ ज़ and क\u093c",
        "Zalgo: Z̴̡̛̜̪͓̬͖̈́̀͌̑̈́̾a̸̧̛̹̜̫̗̮̍̌̆̄̐̒l̶̢̡̝̱̣̭̈́̉̐g̴̨̛̖̳̲̗̈́̍̿ơ̷̧̤̬̩̞͊̓̀͝",
        "Ç\u0327 and s\u0323\u0307 vs s\u0307\u0323 ordering",
        "KELVIN SIGN \u212a and ANGSTROM \u212b and OHM \u2126",
        "Ǆ ǅ ǆ Ǳ ǲ ǳ titlecase digraphs",
        "The year 2024 had 366 days; 2023 had 365.",
        "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness.",
        "In 1492, Columbus sailed the ocean blue. In 1969, Apollo 11 landed on the Moon!",
        "Über-cool naïve café owners' résumés weren't überzeugend.",
        "URL: http://例え.テスト/パス?クエリ=値 and ftp://user:pass@host:21/file.tar.gz",
        "Path C:\\Users\\name\\Documents\\file (1).txt",
        "  ",
        "?",
        "'",
        "a",
        "A",
        "1",
        "é",
        "中",
        "👍",
        "\u0301",
        "\u00a0",
        "\u3000",
        "        indented code block with eight spaces",
        "word  \n  word",
        "ends with space ",
        "ends with two spaces  ",
        " starts with one space",
        "  starts with two spaces",
        "x\u00a0\u00a0y \u00a0z\u00a0 ",
        "\u2003\u2003lead em spaces",
        "mixed\u0009\u0020\u0009tabs",
    ]
    seen = set()
    out = []
    for line in lines:
        if line not in seen:
            seen.add(line)
            out.append(line)
    return out


def tie_heavy(count=400, seed=11):
    """Runs of repeated punctuation and short pieces, where unigram segmentations tie in score."""
    rng = random.Random(seed)
    alphabet = "--__**..!!??##$$%%&&'' abcéo\t\u00a0<>s/==~~"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 32))) for _ in range(count)]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=True) + "\n")


def main():
    texts = corpus()
    write_jsonl(os.path.join(FIXTURES, "corpus.jsonl"), [{"text": t} for t in texts])

    with tempfile.TemporaryDirectory() as tmp:
        bert_dir = os.path.join(tmp, "bert")
        os.makedirs(bert_dir)
        shutil.copy(os.path.join(FIXTURES, "bert_base_uncased_vocab.txt"), os.path.join(bert_dir, "vocab.txt"))
        bert = BertTokenizerFast.from_pretrained(bert_dir, do_lower_case=True)
        bert_cased = BertTokenizerFast.from_pretrained(bert_dir, do_lower_case=False)
        gpt_dir = os.path.join(tmp, "gpt2")
        os.makedirs(gpt_dir)
        shutil.copy(os.path.join(FIXTURES, "gpt2_vocab.json"), os.path.join(gpt_dir, "vocab.json"))
        shutil.copy(os.path.join(FIXTURES, "gpt2_merges.txt"), os.path.join(gpt_dir, "merges.txt"))
        gpt2 = GPT2TokenizerFast.from_pretrained(gpt_dir)
        gpt2_prefix = GPT2TokenizerFast.from_pretrained(gpt_dir, add_prefix_space=True)

    assert bert("The quick brown fox.", add_special_tokens=False).input_ids == [1996, 4248, 2829, 4419, 1012]
    assert gpt2("The quick brown fox.").input_ids == [464, 2068, 7586, 21831, 13]

    rows = []
    for t in texts:
        ids = bert(t, add_special_tokens=False).input_ids
        rows.append({"ids": ids, "decoded": bert.backend_tokenizer.decode(ids, skip_special_tokens=False)})
    write_jsonl(os.path.join(FIXTURES, "goldens_wordpiece.jsonl"), rows)

    rows = []
    for t in texts:
        ids = bert_cased(t, add_special_tokens=False).input_ids
        rows.append({"ids": ids, "decoded": bert_cased.backend_tokenizer.decode(ids, skip_special_tokens=False)})
    write_jsonl(os.path.join(FIXTURES, "goldens_wordpiece_cased.jsonl"), rows)

    rows = []
    for t in texts:
        ids = gpt2(t).input_ids
        rows.append({"ids": ids, "decoded": gpt2.backend_tokenizer.decode(ids, skip_special_tokens=False)})
    write_jsonl(os.path.join(FIXTURES, "goldens_bpe.jsonl"), rows)

    rows = []
    for t in texts:
        ids = gpt2_prefix(t).input_ids
        rows.append({"ids": ids, "decoded": gpt2_prefix.backend_tokenizer.decode(ids, skip_special_tokens=False)})
    write_jsonl(os.path.join(FIXTURES, "goldens_bpe_prefix_space.jsonl"), rows)

    for name in ["botchan_en_unigram_1000", "botchan_en_bpe_1000", "mistral_v1_bpe_32000"]:
        sp = spm.SentencePieceProcessor(model_file=os.path.join(FIXTURES, name + ".model"))
        rows = []
        for t in texts:
            ids = sp.encode(t)
            rows.append({"ids": ids, "pieces": sp.encode(t, out_type=str), "decoded": sp.decode(ids),
                         "normalized": sp.normalize(t)})
        write_jsonl(os.path.join(FIXTURES, "goldens_sp_%s.jsonl" % name), rows)
    rows = []
    for name in ["botchan_en_unigram_1000"]:
        sp = spm.SentencePieceProcessor(model_file=os.path.join(FIXTURES, name + ".model"))
        for t in tie_heavy():
            rows.append({"model": name, "text": t, "ids": sp.encode(t), "pieces": sp.encode(t, out_type=str)})
    write_jsonl(os.path.join(FIXTURES, "goldens_sp_ties.jsonl"), rows)
    print("wrote %d corpus lines (sentencepiece %s)" % (len(texts), spm.__version__))


if __name__ == "__main__":
    main()
