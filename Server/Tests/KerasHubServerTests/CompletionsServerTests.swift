import Foundation
import KerasHub
import KerasHubServer
import Testing

/// `/v1/completions` over real HTTP, with the GPT-2 causal LM that real KerasHub saved
/// (`Tests/KerasHubPresetsTests/Fixtures/kerashub/gpt2_causal_lm`, its greedy generations in `outputs.json`).
@Suite struct CompletionsServerTests {
    struct Outputs: Decodable {
        struct Generation: Decodable { var prompt: String; var prompt_ids: [Int]; var token_ids: [Int32] }
        var generations: [Generation]
    }

    static let outputs: Outputs = {
        let url = URL(fileURLWithPath: Repository.gpt2CausalLM).appendingPathComponent("outputs.json")
        do { return try JSONDecoder().decode(Outputs.self, from: Data(contentsOf: url)) } catch { fatalError("outputs.json: \(error)") }
    }()

    static func endpoint(capacity: Int = 16) -> ServedEndpoint {
        .completions(CompletionEndpoint(model: Models.causalLM, modelName: "gpt2_causal_lm", capacity: capacity))
    }

    /// KerasHub's greedy continuation (as text, with its finish reason and counts).
    static func expected(_ generation: Outputs.Generation) throws -> (text: String, newTokens: Int) {
        let preprocessor = try #require(Models.causalLM.preprocessor)
        let continuation = Array(generation.token_ids.dropFirst(generation.prompt_ids.count))
        return (preprocessor.text(continuation), continuation.count)
    }

    /// Greedy completions (temperature 0) are KerasHub's greedy generations, in OpenAI's shape.
    @Test func greedyCompletionsAreKerasHubs() async throws {
        let server = try await LiveServer.start(Self.endpoint())
        for generation in Self.outputs.generations {
            let (text, newTokens) = try Self.expected(generation)
            let reply = try await server.post("/v1/completions", [
                "model": "gpt2", "prompt": generation.prompt, "max_tokens": newTokens, "temperature": 0,
            ])
            #expect(reply.status == 200, "\(reply.text)")
            let body = try reply.json()
            #expect((body["id"] as? String)?.hasPrefix("cmpl-") == true)
            #expect(body["object"] as? String == "text_completion")
            #expect(body["model"] as? String == "gpt2_causal_lm")
            #expect((body["created"] as? Int ?? 0) > 1_700_000_000)
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            #expect(choice["text"] as? String == text, "prompt \(generation.prompt)")
            #expect(choice["index"] as? Int == 0)
            #expect(choice["logprobs"] is NSNull)
            #expect(choice["finish_reason"] as? String == "length")
            let usage = try #require(body["usage"] as? [String: Int])
            #expect(usage["prompt_tokens"] == generation.prompt_ids.count)
            #expect(usage["completion_tokens"] == newTokens)
            #expect(usage["total_tokens"] == generation.token_ids.count)
            // The same prompt as KerasHub's token ids, with echo, gives prompt and continuation.
            let echoed = try await server.post("/v1/completions", [
                "prompt": generation.prompt_ids, "max_tokens": newTokens, "temperature": 0, "echo": true,
            ])
            let echoedText = try #require((try echoed.json()["choices"] as? [[String: Any]])?.first?["text"] as? String)
            #expect(echoedText == (try #require(Models.causalLM.preprocessor)).text(generation.token_ids))
        }
        try await server.stop()
    }

    /// A stream is server-sent events whose texts add up to the whole completion, a finishing chunk,
    /// a usage chunk when asked, then [DONE].
    @Test func streamedChunksAddUpToTheCompletion() async throws {
        let server = try await LiveServer.start(Self.endpoint())
        let generation = Self.outputs.generations[0]
        let (text, newTokens) = try Self.expected(generation)
        let (status, contentType, events) = try await server.events("/v1/completions", [
            "prompt": generation.prompt, "max_tokens": newTokens, "temperature": 0, "stream": true,
            "stream_options": ["include_usage": true],
        ])
        #expect(status == 200)
        #expect(contentType == "text/event-stream")
        #expect(events.last == "[DONE]")
        let chunks = try events.dropLast().map { event in
            try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
        }
        #expect(Set(chunks.compactMap { $0["id"] as? String }).count == 1, "one id for the whole stream")
        let choices = chunks.flatMap { ($0["choices"] as? [[String: Any]]) ?? [] }
        #expect(choices.count >= 3, "text arrives in several chunks: \(events)")
        #expect(choices.compactMap { $0["text"] as? String }.joined() == text)
        #expect(choices.dropLast().allSatisfy { $0["finish_reason"] is NSNull })
        #expect(choices.last?["finish_reason"] as? String == "length")
        let usage = try #require(chunks.last?["usage"] as? [String: Int])
        #expect(usage["completion_tokens"] == newTokens)
        try await server.stop()
    }

    /// Sampling with a seed is reproducible; top_p and temperature are honoured as values.
    @Test func seededSamplingIsReproducible() async throws {
        let server = try await LiveServer.start(Self.endpoint())
        let request: [String: Any] = ["prompt": "the cat", "max_tokens": 12, "temperature": 1.3, "top_p": 0.9, "seed": 42]
        let first = try await server.post("/v1/completions", request)
        let second = try await server.post("/v1/completions", request)
        #expect(first.status == 200, "\(first.text)")
        let text = { (reply: LiveServer.Reply) in ((try? reply.json()["choices"] as? [[String: Any]])??.first?["text"] as? String) }
        #expect(text(first) != nil && text(first) == text(second))
        try await server.stop()
    }

    /// Bad requests are 400s naming the field; the embeddings endpoint is 404 on a causal LM.
    @Test func badRequestsAreRefusedWithMessages() async throws {
        let server = try await LiveServer.start(Self.endpoint())
        let cases: [([String: Any], String, String)] = [
            (["max_tokens": 4], "prompt", "missing required field 'prompt'"),
            (["prompt": "a", "n": 2], "n", "n must be 1"),
            (["prompt": "a", "max_tokens": 0], "max_tokens", "between 1 and 32"),
            (["prompt": "a", "max_tokens": 31], "max_tokens", "maximum context length is 32"),
            (["prompt": "a", "temperature": 3], "temperature", "between 0 and 2"),
            (["prompt": "a", "top_p": 0], "top_p", "(0, 1]"),
            (["prompt": [0, 5, 267]], "prompt", "outside this model's vocabulary 0..<267"),
            (["prompt": [[0], []]], "prompt", "'prompt[1]' is an empty token array"),
            (["prompt": "a", "stop": "\n"], "stop", "not supported"),
            (["prompt": "a", "logprobs": 2], "logprobs", "not supported"),
            (["prompt": "a", "stream": "yes"], "stream", "wrong type"),
        ]
        for (body, param, message) in cases {
            let reply = try await server.post("/v1/completions", body)
            #expect(reply.status == 400, "\(body): \(reply.text)")
            let error = try reply.error()
            #expect(error["param"] as? String == param, "\(body): \(reply.text)")
            #expect((error["message"] as? String)?.contains(message) == true, "\(body): \(reply.text)")
        }
        let context = try await server.post("/v1/completions", ["prompt": "a", "max_tokens": 31])
        #expect(try context.error()["code"] as? String == "context_length_exceeded")
        let other = try await server.post("/v1/embeddings", ["input": "hi"])
        #expect(try other.status == 404 && (other.error()["message"] as? String)?.contains("/v1/completions") == true, "\(other.text)")
        try await server.stop()
    }
}
