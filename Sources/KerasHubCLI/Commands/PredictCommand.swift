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

    @Option(help: "On a bad input line: fail (exit 1), or record it as {\"error\": ..., \"line\": N} and go on.")
    var onError: ErrorPolicy = .fail

    @Option(help: "Copy this field of each input object into its output object.")
    var idField: String?

    @Argument(help: "Texts to run the task on.")
    var texts: [String] = []

    enum ErrorPolicy: String, ExpressibleByArgument {
        case fail, record
    }

    func validate() throws {
        guard (1...1000).contains(topK) else { throw ValidationError("--top-k must be between 1 and 1000, not \(topK)") }
        guard (1...4096).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 4096, not \(batchSize)") }
        if let task, PredictCommand.taskType(named: task) == nil {
            let known = ["TextClassifier", "MaskedLM", "TextEmbedder"] + ModelFamilies.allTasks.filter { $0.kind != .causalLM }.map(\.className)
            throw ValidationError("unknown --task '\(task)'; known: \(known.joined(separator: ", "))")
        }
    }

    /// One input: its text, its optional pair, its id, where it came from, and why it cannot be read.
    struct Item {
        var text: String
        var pair: String?
        var id: JSONValue?
        var line: Int?
        var argument: Int?
        var problem: String?

        /// Where the input came from, for messages: `FILE:LINE` or `argument N`.
        func place(source: String) -> String { line.map { "\(source):\($0)" } ?? "argument \(argument ?? 0)" }
    }

    func run() throws {
        let model = try loadTask()
        let items = try inputs()
        var emitted = 0
        let progress = ProgressBar(total: items.count, label: "predict")
        for start in stride(from: 0, to: items.count, by: batchSize) {
            let batch = Array(items[start..<min(items.count, start + batchSize)])
            for (item, result) in zip(batch, try outputs(for: batch, model: model)) {
                switch result {
                case .success(var object):
                    if let idField, let id = item.id { object[idField] = id }
                    Terminal.output(JSONOutput.line(.object(object)))
                case .failure(let message):
                    guard onError == .record else {
                        throw CommandFailure(message: "\(item.place(source: input == "-" ? "<stdin>" : input)): \(message)")
                    }
                    var object: [String: JSONValue] = ["error": .string(message)]
                    if let line = item.line { object["line"] = .number(Double(line)) }
                    if let idField, let id = item.id { object[idField] = id }
                    Terminal.output(JSONOutput.line(.object(object)))
                }
            }
            emitted += batch.count
            progress?.update(emitted)
        }
        progress?.finish()
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

    private func inputs() throws -> [Item] {
        if !texts.isEmpty { return texts.enumerated().map { Item(text: $1, argument: $0 + 1) } }
        let recording = onError == .record
        return try JSONLinesInput(path: input, maxLineBytes: lineLimit.maxLineBytes).lines(keepingInvalid: true).map { line in
            let id = idField.flatMap { line.value[$0] }
            func bad(_ message: String) throws -> Item {
                guard recording else { throw line.failure(message) }
                return Item(text: "", id: id, line: line.number, problem: message)
            }
            if let invalid = line.invalid { return try bad(invalid) }
            if let text = line.value.stringValue { return Item(text: text, line: line.number) }
            guard let text = line.value["text"]?.stringValue else {
                return try bad("expected a JSON string or an object with a string \"text\"")
            }
            let pair = line.value["text_pair"]
            if let pair, pair.stringValue == nil { return try bad("\"text_pair\" must be a string") }
            return Item(text: text, pair: pair?.stringValue, id: id, line: line.number)
        }
    }

    enum Outcome {
        case success([String: JSONValue])
        case failure(String)
    }

    private func outputs(for batch: [Item], model: Task) throws -> [Outcome] {
        if batch.contains(where: { $0.problem != nil }) {
            // Bad lines are reported in place; the others run one batch without them.
            let good = batch.filter { $0.problem == nil }
            var results = try outputs(for: good, model: model).makeIterator()
            return batch.map { item in item.problem.map(Outcome.failure) ?? results.next() ?? .failure("no output") }
        }
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
                return .success(object)
            }
        }
        if let maskedLM = model as? MaskedLM {
            return batch.map { item in
                do {
                    let predictions = try maskedLM.fillMask(item.text, topK: topK)
                    let vocabulary = maskedLM.preprocessor?.tokenizer
                    return .success(["predictions": .array(predictions.map { mask in
                        .array(mask.map { entry in
                            .object([
                                "token": .string(entry.token), "probability": .number(Double(entry.probability)),
                                "id": vocabulary?.tokenToId(entry.token).map { .number(Double($0)) } ?? .null,
                            ])
                        })
                    })])
                } catch let error as TaskError {
                    return .failure(error.description)
                } catch {
                    return .failure("\(error)")
                }
            }
        }
        if let embedder = model as? TextEmbedder {
            return try embedder.embed(batch.map(\.text), batchSize: batchSize).map { vector in
                .success(["embedding": .array(vector.map { .number(Double($0)) })])
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
