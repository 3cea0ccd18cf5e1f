import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub predict`: the preset's task on text, one JSON object per input.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run the preset's task on text: one JSON object per input.",
        discussion: """
            The task is the one the preset holds (KerasHub's task.json, a transformers checkpoint's architectures, \
            sentence-transformers' modules.json), or --task. Output per input: a classifier gives {"logits": [...]} \
            (and "probabilities" with --probabilities); a masked LM gives {"predictions": [[{"token", "id", \
            "probability"}, ...] per mask token]}; a text embedder gives {"embedding": [...]}. \
            Inputs come from the arguments, or else from --input: one JSON string, or an object with "text" \
            (and for a classifier an optional "text_pair"), per line.
            """)

    @Option(help: "A preset: directory, built-in name, hf://org/name[@revision] or kaggle://owner/model/framework/variation.")
    var preset: String

    @Option(help: "The task class (BertTextClassifier…) or family (TextClassifier, MaskedLM, TextEmbedder); default: the preset's.")
    var task: String?

    @Option(help: "JSON Lines input file ('-' for stdin); read when no TEXT is given.")
    var input: String = "-"

    @OptionGroup var lineLimit: LineLimitOptions

    @Flag(help: "Classifiers: add the softmax of the logits as \"probabilities\".")
    var probabilities = false

    @Option(help: "Masked LMs: how many tokens to give per mask token (1...1000).")
    var topK: Int = 5

    @Option(help: "Inputs per forward pass (1...4096).")
    var batchSize: Int = 32

    @OptionGroup var records: RecordOptions

    @Argument(help: "Texts to run the task on.")
    var texts: [String] = []

    func validate() throws {
        guard (1...1000).contains(topK) else { throw ValidationError("--top-k must be between 1 and 1000, not \(topK)") }
        guard (1...4096).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 4096, not \(batchSize)") }
        if let task, PredictCommand.taskType(named: task) == nil {
            let known = ["TextClassifier", "MaskedLM", "TextEmbedder"] + ModelFamilies.allTasks.filter { $0.kind != .causalLM }.map(\.className)
            throw ValidationError("unknown --task '\(task)'; known: \(known.joined(separator: ", "))")
        }
    }

    /// One input: its text and its optional pair.
    struct Item {
        var text: String
        var pair: String?
    }

    func run() throws {
        let model = try loadTask()
        guard texts.isEmpty else {
            var output = OutputBuffer()
            let items = texts.map { Item(text: $0) }
            for (index, outcome) in try outputs(for: items, model: model).enumerated() {
                switch outcome {
                case .success(let rendered): output.append(LineWorker.line(rendered, id: nil, idField: nil))
                case .failure(let reason):
                    try output.flush()
                    throw CommandFailure(message: "argument \(index + 1): \(reason)")
                }
            }
            try output.flush()
            return
        }
        let worker = LineWorker(
            input: JSONLinesInput(path: input, maxLineBytes: lineLimit.maxLineBytes), options: records,
            batchSize: batchSize, progressLabel: "predict")
        try worker.run(parse: Self.item) { try outputs(for: $0, model: model) }
    }

    /// A line as an input: a JSON string, or an object with a string "text" and an optional "text_pair".
    static func item(_ line: JSONLinesInput.Line) throws -> Item {
        if let text = line.value.stringValue { return Item(text: text) }
        guard let text = line.value["text"]?.stringValue else {
            throw line.failure("expected a JSON string or an object with a string \"text\"")
        }
        let pair = line.value["text_pair"]
        if let pair, pair.stringValue == nil { throw line.failure("\"text_pair\" must be a string") }
        return Item(text: text, pair: pair?.stringValue)
    }

    /// The task class a `--task` name means, or `nil`.
    static func taskType(named name: String) -> Task.Type? {
        switch name {
        case "TextClassifier": return TextClassifier.self
        case "MaskedLM": return MaskedLM.self
        case "TextEmbedder": return TextEmbedder.self
        default:
            guard let descriptor = ModelFamilies.task(className: name), descriptor.kind != .causalLM else { return nil }
            return descriptor.taskType
        }
    }

    private func loadTask() throws -> Task {
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: true))
        let path = directory.url.path
        let loaded: Task
        switch task.flatMap(Self.taskType(named:)) {
        case let type? where type is TextClassifier.Type: loaded = try TextClassifier.fromPreset(path)
        case let type? where type is MaskedLM.Type: loaded = try MaskedLM.fromPreset(path)
        case let type? where type is TextEmbedder.Type: loaded = try TextEmbedder.fromPreset(path)
        default: loaded = try Task.fromPreset(path)
        }
        // A head the preset does not hold would be drawn at random: refuse to predict with it.
        if !loaded.headWeights.isEmpty, let descriptor = ModelFamilies.task(of: loaded),
           try directory.taskWithHead()?.className != descriptor.className {
            let held = try directory.taskWithHead().map { "its task is \($0.className)" } ?? "it holds no task head"
            throw CommandFailure(message: "\(preset) has no trained \(descriptor.className) head (\(held)); its predictions would be random")
        }
        if let task, let wanted = ModelFamilies.task(className: task), ModelFamilies.task(of: loaded)?.className != wanted.className {
            throw CommandFailure(message: "\(preset) holds a \(type(of: loaded)), not a \(task)")
        }
        if loaded is CausalLM {
            throw CommandFailure(message: "\(preset) holds a \(type(of: loaded)): use `keras-hub generate` for text generation")
        }
        return loaded
    }

    /// The task's outputs for a batch, one per item.
    private func outputs(for batch: [Item], model: Task) throws -> [LineOutcome] {
        guard !batch.isEmpty else { return [] }
        if let classifier = model as? TextClassifier {
            let logits: Tensor
            if batch.contains(where: { $0.pair != nil }) {
                guard batch.allSatisfy({ $0.pair != nil }) else {
                    // Mixed singles and pairs: one at a time.
                    return try batch.flatMap { try outputs(for: [$0], model: model) }
                }
                logits = try classifier.predict(pairs: batch.map { ($0.text, $0.pair ?? "") })
            } else {
                logits = try classifier.predict(batch.map(\.text))
            }
            let classes = logits.shape.last ?? 0
            let values = logits.scalars
            return batch.indices.map { row in
                let scores = Array(values[(row * classes)..<((row + 1) * classes)])
                var object: [String: JSONValue] = ["logits": .array(scores.map { .number(Double($0)) })]
                if probabilities { object["probabilities"] = .array(Self.softmax(scores).map { .number(Double($0)) }) }
                return .success(.object(JSONOutput.line(.object(object))))
            }
        }
        if let maskedLM = model as? MaskedLM {
            return batch.map { item in
                do {
                    let predictions = try maskedLM.fillMask(item.text, topK: topK)
                    let vocabulary = maskedLM.preprocessor?.tokenizer
                    return .success(.object(JSONOutput.line(.object(["predictions": .array(predictions.map { mask in
                        .array(mask.map { entry in
                            .object([
                                "token": .string(entry.token), "probability": .number(Double(entry.probability)),
                                "id": vocabulary?.tokenToId(entry.token).map { .number(Double($0)) } ?? .null,
                            ])
                        })
                    })]))))
                } catch let error as TaskError {
                    return .failure(error.description)
                } catch {
                    return .failure("\(error)")
                }
            }
        }
        if let embedder = model as? TextEmbedder {
            return try embedder.embed(batch.map(\.text), batchSize: batchSize).map { vector in
                .success(.object("{\"embedding\":" + JSONOutput.floats(vector) + "}"))
            }
        }
        throw CommandFailure(message: "\(type(of: model)) has no prediction on text")
    }

    static func softmax(_ values: [Float]) -> [Float] {
        let top = values.max() ?? 0
        let exps = values.map { expf($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}
