import Foundation
import KerasHubTensor

/// How token vectors become one sentence vector.
public enum PoolingMode: String, Sendable, Codable, CaseIterable {
    /// The mean over real (non-padding) tokens.
    case mean
    /// The first token's vector (`[CLS]`).
    case cls
    /// The element-wise maximum over real tokens.
    case max
}

/// Sentence embeddings from an encoder backbone, as KerasHub's `TextEmbedder` family (the
/// architecture of sentence-transformers models such as all-MiniLM-L6-v2): backbone, pooling over
/// the padding mask, optional L2 normalisation. ``BertTextEmbedder`` is the BERT family's class.
///
/// ```swift
/// let embedder = try TextEmbedder.fromPreset("all_minilm_l6_v2_en")
/// let vectors = try embedder.embed(["A man is eating food.", "A man is eating a piece of bread."])
/// TextEmbedder.similarity(vectors[0], vectors[1])   // cosine, ≈ 0.755
/// ```
open class TextEmbedder: Task, @unchecked Sendable {
    /// Turns raw text into inputs; `nil` when the embedder only takes token ids.
    public let preprocessor: TextClassifierPreprocessor?
    /// The pooling.
    public let poolingMode: PoolingMode
    /// Whether vectors are scaled to unit L2 norm.
    public let normalize: Bool

    /// Creates an embedder.
    public required init(
        backbone: Backbone, preprocessor: TextClassifierPreprocessor? = nil, poolingMode: PoolingMode = .mean, normalize: Bool = true
    ) {
        self.preprocessor = preprocessor
        self.poolingMode = poolingMode
        self.normalize = normalize
        super.init(backbone: backbone)
    }

    /// Sentence vectors `[batch, hiddenDim]` for token inputs.
    /// - Throws: ``InputError`` for inputs the backbone cannot take.
    public func callAsFunction(_ inputs: TokenBatch) throws -> Tensor {
        let hidden = try backbone(inputs).sequenceOutput
        let batch = inputs.batchSize, length = inputs.sequenceLength, width = hidden.shape[2]
        var pooled = Tensor(shape: [batch, width])
        hidden.withUnsafeBufferPointer { states in
            pooled.withUnsafeMutableBufferPointer { out in
                for row in 0..<batch {
                    let target = UnsafeMutableBufferPointer(rebasing: out[(row * width)..<((row + 1) * width)])
                    pool(states, row: row, length: length, width: width, mask: inputs.paddingMask, into: target)
                    if normalize { Self.normalizeInPlace(target) }
                }
            }
        }
        return pooled
    }

    /// Sentence vectors for raw texts, in input order. Texts are run in batches of `batchSize`,
    /// grouped by length so each batch is padded only to its own longest text.
    /// - Throws: ``TaskError/noPreprocessor`` when the embedder has no preprocessor.
    public func embed(_ texts: [String], batchSize: Int = 32) throws -> [[Float]] {
        guard let preprocessor else { throw TaskError.noPreprocessor("\(type(of: self))") }
        return try embed(tokenIds: preprocessor.tokenizer.tokenize(texts), batchSize: batchSize)
    }

    /// Sentence vectors for texts already tokenized by the preprocessor's tokenizer (without
    /// special tokens), in input order: packed (start and end tokens added, truncated to the
    /// preprocessor's sequence length) and run as ``embed(_:batchSize:)`` runs texts.
    /// - Throws: ``TaskError/noPreprocessor`` when the embedder has no preprocessor, ``InputError``
    ///   for ids outside the vocabulary.
    public func embed(tokenIds tokenized: [[Int32]], batchSize: Int = 32) throws -> [[Float]] {
        guard let preprocessor else { throw TaskError.noPreprocessor("\(type(of: self))") }
        if tokenized.isEmpty { return [] }
        let order = tokenized.indices.sorted { tokenized[$0].count < tokenized[$1].count }
        var result = [[Float]](repeating: [], count: tokenized.count)
        for start in stride(from: 0, to: order.count, by: max(1, batchSize)) {
            let indices = Array(order[start..<min(order.count, start + max(1, batchSize))])
            let vectors = try self(preprocessor.pack(indices.map { [tokenized[$0]] }))
            let width = vectors.shape[1]
            vectors.withUnsafeBufferPointer { values in
                for (row, index) in indices.enumerated() {
                    result[index] = Array(values[(row * width)..<((row + 1) * width)])
                }
            }
        }
        return result
    }

    /// Cosine similarity of two vectors (their dot product when both are normalised).
    public static func similarity(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, normA: Float = 0, normB: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            normA += x * x
            normB += y * y
        }
        let denominator = (normA * normB).squareRoot()
        return denominator > 0 ? dot / denominator : 0
    }

    private func pool(_ states: UnsafeBufferPointer<Float>, row: Int, length: Int, width: Int, mask: [Bool],
                      into target: UnsafeMutableBufferPointer<Float>) {
        let base = row * length * width
        switch poolingMode {
        case .cls:
            for column in 0..<width { target[column] = states[base + column] }
        case .mean:
            var count: Float = 0
            for position in 0..<length where mask[row * length + position] {
                count += 1
                for column in 0..<width { target[column] += states[base + position * width + column] }
            }
            let scale = 1 / Swift.max(count, 1e-9)
            for column in 0..<width { target[column] *= scale }
        case .max:
            for column in 0..<width { target[column] = -.infinity }
            for position in 0..<length where mask[row * length + position] {
                for column in 0..<width { target[column] = Swift.max(target[column], states[base + position * width + column]) }
            }
        }
    }

    /// Scales a vector to unit L2 norm (a zero vector stays zero), as `torch.nn.functional.normalize`.
    static func normalizeInPlace(_ vector: UnsafeMutableBufferPointer<Float>) {
        var squares: Float = 0
        for value in vector { squares += value * value }
        let scale = 1 / Swift.max(squares.squareRoot(), 1e-12)
        for index in vector.indices { vector[index] *= scale }
    }
}


extension TextEmbedder {
    /// The pooling of a preset: KerasHub's `task.json` (`pooling_mode`, `normalize`), or
    /// sentence-transformers' `modules.json` and `1_Pooling/config.json`; mean pooling with
    /// normalisation when neither says otherwise.
    /// - Throws: ``PresetError`` for an unreadable file or an unknown pooling mode.
    public static func poolingSettings(_ files: any PresetFiles) throws -> (PoolingMode, Bool) {
        if files.has("task.json") {
            let task = try KerasHubObject(contentsOf: files.file("task.json"))
            if task.className.hasSuffix("TextEmbedder") {
                let name = task.config["pooling_mode"]?.stringValue ?? "mean"
                guard let mode = PoolingMode(rawValue: name) else {
                    throw PresetError.invalidFile(file: files.file("task.json").path, reason: "unknown pooling_mode '\(name)'")
                }
                return (mode, task.config["normalize"]?.boolValue ?? true)
            }
        }
        if files.has("modules.json") {
            let modules = try JSONFile.read(files.file("modules.json")).arrayValue ?? []
            let types = modules.compactMap { $0["type"]?.stringValue }
            let normalize = types.contains { $0.hasSuffix("Normalize") }
            var mode = PoolingMode.mean
            if let poolingPath = modules.first(where: { $0["type"]?.stringValue?.hasSuffix("Pooling") == true })?["path"]?.stringValue,
               files.has(poolingPath + "/config.json") {
                let config = try files.jsonObject(poolingPath + "/config.json")
                if config["pooling_mode_cls_token"]?.boolValue == true { mode = .cls }
                else if config["pooling_mode_max_tokens"]?.boolValue == true { mode = .max }
            }
            return (mode, normalize)
        }
        return (.mean, true)
    }
}
