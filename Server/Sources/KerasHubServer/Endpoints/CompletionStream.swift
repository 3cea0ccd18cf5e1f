import Foundation
import HTTPTypes
import Hummingbird

extension CompletionEndpoint {
    /// The response to a streamed request: server-sent events, one `data: {chunk}` per piece of
    /// text as it is generated, a last chunk per choice with its `finish_reason`, the usage chunk
    /// when `stream_options.include_usage` asks for it, then `data: [DONE]`. The request is queued
    /// before the response starts, so a full queue still answers 503; a client that goes away stops
    /// the generation at its next token.
    /// - Throws: ``OpenAIError``: 400 for a bad request, 503 when the queue is full.
    public func streamResponse(to request: CompletionsRequest) throws -> Response {
        let id = Self.newId(), created = Int(Date().timeIntervalSince1970), modelName = self.modelName
        let includeUsage = request.streamOptions?.includeUsage ?? false
        let (events, sink) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .unbounded)
        let send: @Sendable (any Encodable) -> Bool = { value in
            let json = (try? JSONBody.encoder.encode(value)) ?? Data("{}".utf8)
            var buffer = ByteBuffer()
            buffer.writeString("data: ")
            buffer.writeBytes(json)
            buffer.writeString("\n\n")
            if case .terminated = sink.yield(buffer) { return false }
            return true
        }
        let chunk: @Sendable (Int, String, String?) -> CompletionsResponse = { index, text, finishReason in
            CompletionsResponse(
                id: id, created: created, model: modelName,
                choices: [.init(text: text, index: index, logprobs: nil, finishReason: finishReason)], usage: nil)
        }
        let job = try job(for: request) { index, text in send(chunk(index, text, nil)) }
        do {
            try queue.enqueue([job]) { results in
                switch results.first {
                case .success(let choices)?:
                    for (index, choice) in choices.enumerated() { _ = send(chunk(index, "", choice.finishReason)) }
                    if includeUsage {
                        _ = send(CompletionsResponse(id: id, created: created, model: modelName, choices: [], usage: .init(choices)))
                    }
                case .failure(let error)?:
                    if !(error is CompletionCancelled) { _ = send(OpenAIError.internalError(error).body) }
                case nil:
                    _ = send(OpenAIError.internalError(BatchHandlerError.missingResult(position: 0, count: 0)).body)
                }
                var done = ByteBuffer()
                done.writeString("data: [DONE]\n\n")
                sink.yield(done)
                sink.finish()
            }
        } catch {
            sink.finish()
            throw OpenAIError.refused(error)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody(asyncSequence: events))
    }
}
