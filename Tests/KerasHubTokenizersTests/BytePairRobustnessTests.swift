import Dispatch
import Testing
@testable import KerasHubTokenizers

/// Long inputs, cache eviction and concurrent use of one BytePairTokenizer.
@Suite struct BytePairRobustnessTests {
    @Test func veryLongPieceIsFastAndRoundTrips() throws {
        let tokenizer = try #require(BytePairParityTests.tokenizer)
        let text = String(repeating: "a", count: 100_000) + " " + String(repeating: "ab1", count: 20_000)
        let ids = tokenizer.tokenize(text)
        #expect(tokenizer.detokenize(ids) == text)
        #expect(ids.count < text.utf8.count / 2)
    }

    @Test func longPieceMergerMatchesQuadraticScan() {
        // Merges over symbols 0...3 producing 4...; ranks chosen to create ties and chains.
        var table = MergeTable(capacity: 16)
        let rules: [(Int32, Int32, Int32)] = [(0, 0, 4), (1, 2, 5), (0, 1, 6), (4, 4, 7), (6, 2, 8), (3, 3, 9), (5, 3, 10)]
        for (rank, rule) in rules.enumerated() { table.insert(rule.0, rule.1, rank: Int32(rank), merged: rule.2) }
        func quadratic(_ input: [Int32]) -> [Int32] {
            var symbols = input
            while symbols.count > 1 {
                var best: (rank: Int32, index: Int, merged: Int32)?
                for j in 0..<(symbols.count - 1) {
                    if let (rank, merged) = table.lookup(symbols[j], symbols[j + 1]), rank < (best?.rank ?? .max) {
                        best = (rank, j, merged)
                    }
                }
                guard let best else { break }
                symbols[best.index] = best.merged
                symbols.remove(at: best.index + 1)
            }
            return symbols
        }
        var state: UInt64 = 42
        for _ in 0..<200 {
            let n = 2 + Int(state % 300)
            var input: [Int32] = []
            for _ in 0..<n {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                input.append(Int32((state >> 33) % 4))
            }
            var merger = LongPieceMerger(input)
            #expect(merger.run(table) == quadratic(input))
        }
    }

    @Test func flatCacheEvictsAndStaysCorrect() {
        let cache = FlatPieceCache(slots: 16)
        for round in 0..<3 {
            for i in 0..<200 {
                var key = Array("piece\(i)".utf8)
                key.withUnsafeMutableBufferPointer { k in
                    guard let base = k.baseAddress else { return }
                    let hash = ByteStringTable.hash(base, k.count)
                    var found: [Int32] = []
                    if cache.lookup(hash, base, k.count, into: &found) {
                        #expect(found == [Int32(i), Int32(round >= 0 ? i : 0)])
                    } else {
                        cache.insert(hash, base, k.count, [Int32(i), Int32(i)])
                    }
                }
            }
        }
    }

    @Test func concurrentSingleCallsAgree() throws {
        let tokenizer = try #require(BytePairParityTests.tokenizer)
        let corpus = try Fixtures.corpus()
        let expected = corpus.map { tokenizer.tokenize($0) }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for (i, text) in corpus.enumerated() where (i + worker) % 2 == 0 {
                if tokenizer.tokenize(text) != expected[i] { mismatches.withLock { $0 += 1 } }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}

import Synchronization
