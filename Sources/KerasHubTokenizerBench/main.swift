// Tokenizer throughput benchmark: MB/s and tokens/s, single thread and all cores.
// Usage: KerasHubTokenizerBench <corpus.txt> <fixtures-dir>
// Prints one JSON object per measurement. Run through Tools/bench/bench_tokenizers.sh.
import CSentencePiece
import Dispatch
import Foundation
import KerasHubTokenizers

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: KerasHubTokenizerBench <corpus.txt> <fixtures-dir>\n".utf8))
    exit(2)
}
let corpusText = (try? String(contentsOfFile: arguments[1], encoding: .utf8)) ?? ""
let lines = corpusText.split(separator: "\n").map(String.init)
let fixtures = arguments[2]
let totalBytes = lines.reduce(0) { $0 + $1.utf8.count }

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU time of the calling thread: single-thread figures are then not skewed by other load on a
/// shared machine.
func threadCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Best of `repeats` times of `body` (which returns a token count): thread CPU time when `cpu`,
/// wall time otherwise (for multi-threaded runs).
func measure(_ repeats: Int = 3, cpu: Bool = true, _ body: () -> Int) -> (seconds: Double, tokens: Int) {
    let clock = cpu ? threadCPUTime : now
    var best = Double.infinity
    var tokens = 0
    for _ in 0..<repeats {
        let start = clock()
        tokens = body()
        best = min(best, clock() - start)
    }
    return (best, tokens)
}

func report(_ name: String, _ mode: String, _ result: (seconds: Double, tokens: Int)) {
    let mbps = Double(totalBytes) / 1e6 / result.seconds
    let tps = Double(result.tokens) / result.seconds
    print(#"{"impl": "swift", "tokenizer": "\#(name)", "mode": "\#(mode)", "seconds": \#(result.seconds), "#
        + #""mb_per_s": \#(mbps), "tokens_per_s": \#(tps), "tokens": \#(result.tokens), "bytes": \#(totalBytes)}"#)
}

/// `KH_BENCH_ONLY=bpe` (for example) limits the run to one tokenizer, for profiling.
let only = ProcessInfo.processInfo.environment["KH_BENCH_ONLY"]

func bench(_ name: String, _ tokenizer: some TokenizerProtocol) {
    if let only, only != name { return }
    _ = lines.prefix(2000).map { tokenizer.tokenize($0) }  // warm up (caches, tables)
    report(name, "single", measure { lines.reduce(0) { $0 + tokenizer.tokenize($1).count } })
    report(name, "all_cores", measure(cpu: false) { tokenizer.tokenize(lines).reduce(0) { $0 + $1.count } })
}

/// Prints how long building a tokenizer took (first one includes the process-wide Unicode tables).
func reportLoad(_ name: String, _ seconds: Double) {
    print(#"{"impl": "swift", "tokenizer": "\#(name)", "mode": "load", "seconds": \#(seconds)}"#)
}

do {
    var start = now()
    let wordPiece = try WordPieceTokenizer(vocabularyFile: "\(fixtures)/bert_base_uncased_vocab.txt", lowercase: true)
    reportLoad("wordpiece", now() - start)
    bench("wordpiece", wordPiece)
    // KerasHub's layout: tf-text word rules, NFKC_Casefold per word.
    bench("wordpiece_kerashub", try WordPieceTokenizer(
        vocabularyFile: "\(fixtures)/bert_base_uncased_vocab.txt", lowercase: true, stripAccents: false, textHandling: .kerasHub))
    start = now()
    let bytePair = try BytePairTokenizer(vocabularyFile: "\(fixtures)/gpt2_vocab.json",
                                         mergesFile: "\(fixtures)/gpt2_merges.txt",
                                         unsplittableTokens: ["<|endoftext|>"])
    reportLoad("bpe", now() - start)
    bench("bpe", bytePair)
    // KerasHub's layout: no GPT-2 pre-split, each line merged whole.
    bench("bpe_whole_text", try BytePairTokenizer(
        vocabularyFile: "\(fixtures)/gpt2_vocab.json", mergesFile: "\(fixtures)/gpt2_merges.txt",
        unsplittableTokens: ["<|endoftext|>"], splitPattern: .wholeText))
    if let only, !only.hasPrefix("sentencepiece") { exit(0) }
    let modelPath = "\(fixtures)/mistral_v1_bpe_32000.model"
    let sentencePiece = try SentencePieceTokenizer(modelFile: modelPath)
    bench("sentencepiece", sentencePiece)
    // A unigram model: our Viterbi with current sentencepiece's tie rule over libsentencepiece's normalizer.
    bench("sentencepiece_unigram", try SentencePieceTokenizer(modelFile: "\(fixtures)/botchan_en_unigram_1000.model"))

    // The same library called directly through the C shim, reusing one output buffer. Runs
    // alternate with the wrapper so that machine load affects both alike. For the unigram model this
    // is what `SentencePieceTokenizer` ran before it segmented unigram models itself.
    func compareWithLibrary(_ name: String, modelPath: String, _ tokenizer: SentencePieceTokenizer) {
        var handle: OpaquePointer?
        if let error = csp_load_file(modelPath, &handle) { csp_free_string(error) }
        guard let handle else { return }
        var buffer = [Int32](repeating: 0, count: 1 << 16)
        var bestDirect = (seconds: Double.infinity, tokens: 0)
        var bestWrapper = (seconds: Double.infinity, tokens: 0)
        for _ in 0..<5 {
            let wrapper = measure(1) { lines.reduce(0) { $0 + tokenizer.tokenize($1).count } }
            if wrapper.seconds < bestWrapper.seconds { bestWrapper = wrapper }
            let direct = measure(1) {
                var tokens = 0
                for line in lines {
                    var copy = line
                    tokens += copy.withUTF8 { bytes in
                        bytes.withMemoryRebound(to: CChar.self) { chars in
                            buffer.withUnsafeMutableBufferPointer { out in
                                Int(csp_encode_ids(handle, chars.baseAddress, chars.count, out.baseAddress, out.count))
                            }
                        }
                    }
                }
                return tokens
            }
            if direct.seconds < bestDirect.seconds { bestDirect = direct }
        }
        report("\(name)_wrapper_alternating", "single", bestWrapper)
        report("\(name)_direct", "single", bestDirect)
        csp_free(handle)
    }
    if only == nil || only == "sentencepiece" { compareWithLibrary("sentencepiece", modelPath: modelPath, sentencePiece) }
    if only == nil || only == "sentencepiece_unigram" {
        let unigramPath = "\(fixtures)/botchan_en_unigram_1000.model"
        compareWithLibrary("sentencepiece_unigram", modelPath: unigramPath, try SentencePieceTokenizer(modelFile: unigramPath))
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
