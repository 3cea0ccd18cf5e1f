import Foundation
import KerasHub
import KerasHubServer
import Testing

/// `/v1/embeddings` over real HTTP on 127.0.0.1, with the bundled all-MiniLM-L6-v2.
@Suite struct EmbeddingsServerTests {
    struct Golden: Decodable { var sentences: [String] }

    static func endpoint(policy: BatchingPolicy = BatchingPolicy(maxBatchSize: 32, maxDelay: .milliseconds(5), capacity: 1024)) -> ServedEndpoint {
        .embeddings(EmbeddingEndpoint(embedder: Models.embedder, modelName: "all_minilm_l6_v2_en", policy: policy))
    }

    /// A server whose batches run the real embedder after `beforeBatch(batchSize)` (which may block,
    /// holding the model busy), and its queue.
    static func serverSeeingEachBatch(
        _ policy: BatchingPolicy, beforeBatch: @escaping @Sendable (Int) -> Void
    ) async throws -> (LiveServer, BatchQueue<EmbeddingInput, EmbeddedInput>) {
        let real = EmbeddingEndpoint.handler(Models.embedder, batchSize: policy.maxBatchSize)
        let queue = BatchQueue<EmbeddingInput, EmbeddedInput>(name: "test", policy: policy) { items in
            beforeBatch(items.count)
            return real(items)
        }
        let server = try await LiveServer.start(.embeddings(EmbeddingEndpoint(embedder: Models.embedder, modelName: "m", queue: queue)))
        return (server, queue)
    }

    static func vectors(_ reply: LiveServer.Reply) throws -> [[Float]] {
        let data = try #require(try reply.json()["data"] as? [[String: Any]])
        return try data.enumerated().map { position, item in
            #expect(item["object"] as? String == "embedding")
            #expect(item["index"] as? Int == position)
            return try #require(item["embedding"] as? [Double]).map(Float.init)
        }
    }

    /// The served vectors are sentence-transformers' (golden file), in OpenAI's response shape.
    @Test func servesSentenceTransformersVectorsInOpenAIShape() async throws {
        let directory = URL(fileURLWithPath: Repository.minilmGolden)
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: directory.appendingPathComponent("golden.json")))
        let expected = try SafetensorsFile(contentsOf: directory.appendingPathComponent("golden.safetensors")).tensor(named: "sentence_embedding")
        let server = try await LiveServer.start(Self.endpoint())
        let reply = try await server.post("/v1/embeddings", ["input": golden.sentences, "model": "anything"])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.header("Content-Type") == "application/json")
        let body = try reply.json()
        #expect(body["object"] as? String == "list")
        #expect(body["model"] as? String == "all_minilm_l6_v2_en")
        let usage = try #require(body["usage"] as? [String: Int])
        #expect((usage["prompt_tokens"] ?? 0) > golden.sentences.count && usage["prompt_tokens"] == usage["total_tokens"])
        let vectors = try Self.vectors(reply)
        #expect(vectors.count == golden.sentences.count)
        for (row, vector) in vectors.enumerated() {
            #expect(vector.count == 384)
            let worst = zip(vector, (0..<384).map { expected[row, $0] }).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4, "sentence \(row): max |diff| \(worst)")
        }
        try await server.stop()
    }

    /// A string, token ids (the tokenizer's, without special tokens) and base64 all give the same vector.
    @Test func stringTokenIdsAndBase64AreTheSameVector() async throws {
        let server = try await LiveServer.start(Self.endpoint())
        let text = "A man is eating a piece of bread."
        let ids = try #require(Models.embedder.preprocessor).tokenizer.tokenize(text).map(Int.init)
        let fromText = try Self.vectors(try await server.post("/v1/embeddings", ["input": text]))
        let fromIds = try Self.vectors(try await server.post("/v1/embeddings", ["input": ids]))
        let fromNested = try Self.vectors(try await server.post("/v1/embeddings", ["input": [ids, ids]]))
        #expect(fromText.count == 1 && fromIds == fromText && fromNested.count == 2)
        // Two rows in one forward pass may round differently in the last bit from one row alone.
        for vector in fromNested { #expect(zip(vector, fromText[0]).allSatisfy { abs($0 - $1) <= 1e-6 }) }
        let base64 = try await server.post("/v1/embeddings", ["input": text, "encoding_format": "base64"])
        let data = try #require(try base64.json()["data"] as? [[String: Any]])
        let encoded = try #require(data.first?["embedding"] as? String)
        let bytes = try #require(Data(base64Encoded: encoded))
        let floats = stride(from: 0, to: bytes.count, by: 4).map { offset in
            Float(bitPattern: bytes[offset..<(offset + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) })
        }
        #expect(floats == fromText[0])
        try await server.stop()
    }

    /// Concurrent single-sentence requests are batched together and each gets its own vector.
    @Test func concurrentRequestsAreBatched() async throws {
        let sizes = BatchSizes()
        let embedder = Models.embedder
        let (server, _) = try await Self.serverSeeingEachBatch(BatchingPolicy(maxBatchSize: 32, maxDelay: .milliseconds(50), capacity: 256)) {
            sizes.record($0)
        }
        let sentences = (0..<24).map { "sentence number \($0) about \(["cats", "rivers", "engines"][$0 % 3])" }
        let served = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for (index, sentence) in sentences.enumerated() {
                group.addTask { (index, try Self.vectors(try await server.post("/v1/embeddings", ["input": sentence]))[0]) }
            }
            var result = [[Float]](repeating: [], count: sentences.count)
            for try await (index, vector) in group { result[index] = vector }
            return result
        }
        let alone = try embedder.embed(sentences, batchSize: 1)
        for (index, vector) in served.enumerated() {
            let worst = zip(vector, alone[index]).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-5, "sentence \(index): max |diff| \(worst) from embedding it alone")
        }
        #expect(sizes.largest > 1, "batches: \(sizes.all)")
        #expect(sizes.all.reduce(0, +) == sentences.count)
        try await server.stop()
    }

    /// Bad requests get 400 in OpenAI's error shape, naming the field; bodies over the limit 413;
    /// the other endpoint 404.
    @Test func badRequestsAreRefusedWithMessages() async throws {
        var settings = ServerSettings()
        settings.maxBodyBytes = 64 << 10
        let server = try await LiveServer.start(Self.endpoint(), settings: settings)
        let cases: [([String: Any], String?, String)] = [
            (["model": "m"], "input", "missing required field 'input'"),
            (["input": ""], "input", "empty string"),
            (["input": [String]()], "input", "empty"),
            (["input": 5], "input", "expected a string"),
            (["input": ["ok", 3]], "input", "expected a string"),
            (["input": [1, 2, 99_999_999]], "input", "outside this model's vocabulary"),
            (["input": [-1]], "input", "outside this model's vocabulary"),
            (["input": "x", "encoding_format": "int8"], "encoding_format", "'float' or 'base64'"),
            (["input": "x", "dimensions": 128], "dimensions", "384 dimensions"),
            (["input": Array(repeating: "a", count: 2049)], "input", "at most 2048"),
        ]
        for (body, param, message) in cases {
            let reply = try await server.post("/v1/embeddings", body)
            #expect(reply.status == 400, "\(body): \(reply.text)")
            let error = try reply.error()
            #expect(error["type"] as? String == "invalid_request_error")
            #expect(error["param"] as? String == param, "\(body): \(reply.text)")
            #expect((error["message"] as? String)?.contains(message) == true, "\(body): \(reply.text)")
        }
        let notJSON = try await server.send("POST", "/v1/embeddings", body: Data("{\"input\": ".utf8))
        #expect(try notJSON.status == 400 && (notJSON.error()["message"] as? String)?.contains("not valid JSON") == true, "\(notJSON.text)")
        let empty = try await server.send("POST", "/v1/embeddings", body: Data())
        #expect(empty.status == 400)
        let large = try await server.send("POST", "/v1/embeddings", body: Data(("{\"input\": \"" + String(repeating: "a", count: 70_000) + "\"}").utf8))
        #expect(try large.status == 413 && (large.error()["code"] as? String) == "request_too_large", "\(large.text)")
        let other = try await server.post("/v1/completions", ["prompt": "hi"])
        #expect(try other.status == 404 && (other.error()["message"] as? String)?.contains("/v1/embeddings") == true, "\(other.text)")
        let health = try await server.send("GET", "/health")
        #expect(try health.status == 200 && (health.json()["status"] as? String) == "ok")
        let models = try await server.send("GET", "/v1/models")
        #expect(((try models.json()["data"] as? [[String: Any]])?.first?["id"] as? String) == "all_minilm_l6_v2_en")
        try await server.stop()
    }

    /// With the model busy and the queue full, a request gets 503 with Retry-After at once; the
    /// queued ones are answered once the model frees up.
    @Test func fullQueueAnswers503() async throws {
        let gate = Gate()
        let (server, queue) = try await Self.serverSeeingEachBatch(BatchingPolicy(maxBatchSize: 1, maxDelay: .zero, capacity: 2)) { _ in
            gate.wait()
        }
        let running = _Concurrency.Task { try await server.post("/v1/embeddings", ["input": "first"]) }
        await gate.waitForEntries(1)
        let waiting = (0..<2).map { index in _Concurrency.Task { try await server.post("/v1/embeddings", ["input": "queued \(index)"]) } }
        while queue.depth < 2 { try await _Concurrency.Task.sleep(for: .milliseconds(5)) }
        let refused = try await server.post("/v1/embeddings", ["input": "one too many"])
        #expect(refused.status == 503, "\(refused.text)")
        #expect(refused.header("Retry-After") == "1")
        #expect(try refused.error()["code"] as? String == "server_busy")
        let tooBig = try await server.post("/v1/embeddings", ["input": ["a", "b", "c"]])
        #expect(try tooBig.status == 400 && (tooBig.error()["code"] as? String) == "too_many_inputs", "\(tooBig.text)")
        gate.release()
        #expect(try await running.value.status == 200)
        for task in waiting { #expect(try await task.value.status == 200) }
        try await server.stop()
    }

    /// Graceful shutdown finishes the request in flight (200), then the server stops.
    @Test func shutdownDrainsRequestsInFlight() async throws {
        let gate = Gate()
        let (server, _) = try await Self.serverSeeingEachBatch(BatchingPolicy(maxBatchSize: 4, maxDelay: .zero, capacity: 16)) { _ in
            gate.wait()
        }
        let inFlight = _Concurrency.Task { try await server.post("/v1/embeddings", ["input": ["drained", "too"]]) }
        await gate.waitForEntries(1)
        let stopping = _Concurrency.Task { try await server.stop() }
        try await _Concurrency.Task.sleep(for: .milliseconds(200))
        #expect(server.hasStopped == false, "the server waits for the request in flight")
        gate.release()
        let reply = try await inFlight.value
        #expect(reply.status == 200, "\(reply.text)")
        #expect(try Self.vectors(reply).count == 2)
        try await stopping.value
        #expect(server.hasStopped)
    }
}

/// Batch sizes a handler saw.
final class BatchSizes: @unchecked Sendable {
    private let lock = NSLock()
    private var sizes: [Int] = []
    func record(_ size: Int) { lock.withLock { sizes.append(size) } }
    var all: [Int] { lock.withLock { sizes } }
    var largest: Int { all.max() ?? 0 }
}
