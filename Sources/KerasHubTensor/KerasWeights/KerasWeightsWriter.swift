import CHDF5
import Foundation

/// One dataset to write: its HDF5 path (`layers/dense/vars/0`) and values.
public struct KerasWeightsEntry: Sendable {
    /// The dataset's path, `<object path>/vars/<index>`.
    public var path: String
    /// The values, stored in the writer's dtype.
    public var tensor: Tensor

    /// Creates an entry.
    public init(path: String, tensor: Tensor) {
        self.path = path
        self.tensor = tensor
    }

    /// The group that holds the dataset (`layers/dense/vars`).
    var group: String { path.split(separator: "/").dropLast().joined(separator: "/") }
}

/// Writes Keras 3 weights files: one `.weights.h5`, or shards with the `model.weights.json` index
/// Keras's `ShardedH5IOStore` reads. Values are stored as Keras stores them: float32 and float16 as
/// IEEE floats, bfloat16 as 2-byte opaque values with a `dtype` attribute `"bfloat16"`.
///
/// Files are written to a temporary name in the target directory and renamed into place, so a
/// failed write never leaves a half-written file under the final name.
public enum KerasWeightsWriter {
    /// Writes `entries` to one `.weights.h5` file.
    /// - Parameters:
    ///   - groupNames: the Keras layer name of object groups (`layers/dense` → `pooled_dense`),
    ///     written as the `name` attribute of their `vars` group as Keras does.
    /// - Throws: ``KerasWeightsError/invalidDatasetPath(file:dataset:)`` or ``KerasWeightsError/writeFailed(file:reason:)``.
    public static func write(_ entries: [KerasWeightsEntry], dtype: DType = .float32, groupNames: [String: String] = [:], to url: URL) throws {
        let file = url.path
        try validate(entries, file: file)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try HDF5.locked {
            guard let output = HDF5.own(H5Fcreate(temporary.path, kh5_acc_excl(), kh5_default(), kh5_default()), close: H5Fclose),
                  let linkCreation = HDF5.own(kh5_link_create_with_intermediates(), close: H5Pclose)
            else {
                throw KerasWeightsError.writeFailed(file: file, reason: HDF5.lastError())
            }
            for entry in entries {
                try writeDataset(entry, dtype: dtype, in: output, linkCreation: linkCreation, file: file)
            }
            for group in Set(entries.map(\.group)).sorted() {
                let object = String(group.dropLast("/vars".count))
                guard let name = groupNames[object] else { continue }
                guard let handle = HDF5.own(H5Gopen2(output.id, group, kh5_default()), close: H5Gclose),
                      kh5_write_string_attribute(handle.id, "name", name) >= 0
                else {
                    throw KerasWeightsError.writeFailed(file: file, reason: "attribute 'name' of \(group): \(HDF5.lastError())")
                }
            }
            guard H5Fflush(output.id, H5F_SCOPE_GLOBAL) >= 0 else {
                throw KerasWeightsError.writeFailed(file: file, reason: HDF5.lastError())
            }
        }
        do {
            if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            throw KerasWeightsError.writeFailed(file: file, reason: error.localizedDescription)
        }
    }

    /// Writes `entries` over shards of at most `maxShardBytes` each (a dataset larger than that gets
    /// a shard of its own), named `<base>_00000.weights.h5`… next to `indexURL`
    /// (`<base>.weights.json`), and the index mapping each `/…/vars` group to its shards.
    /// - Returns: the shard file names, in order.
    /// - Throws: ``KerasWeightsError``.
    @discardableResult
    public static func writeSharded(
        _ entries: [KerasWeightsEntry], dtype: DType = .float32, groupNames: [String: String] = [:], maxShardBytes: Int, indexURL: URL
    ) throws -> [String] {
        guard maxShardBytes > 0 else {
            throw KerasWeightsError.writeFailed(file: indexURL.path, reason: "shard size \(maxShardBytes) must be positive")
        }
        guard indexURL.lastPathComponent.hasSuffix(".weights.json") else {
            throw KerasWeightsError.writeFailed(file: indexURL.path, reason: "a sharded index is named <base>.weights.json")
        }
        try validate(entries, file: indexURL.path)
        let base = String(indexURL.lastPathComponent.dropLast(".weights.json".count))
        // Keras's rule: a value goes to the current shard unless the shard would then exceed the limit.
        var shards: [[KerasWeightsEntry]] = [[]]
        var currentBytes = 0
        var totalBytes = 0
        for entry in entries {
            let bytes = entry.tensor.count * dtype.byteSize
            totalBytes += bytes
            currentBytes += bytes
            if currentBytes > maxShardBytes, !(shards.last?.isEmpty ?? true) {
                shards.append([])
                currentBytes = bytes
            }
            shards[shards.count - 1].append(entry)
        }
        let directory = indexURL.deletingLastPathComponent()
        var names: [String] = []
        var weightMap: [String: [String]] = [:]
        for (index, shard) in shards.enumerated() {
            let name = String(format: "%@_%05d.weights.h5", base, index)
            try write(shard, dtype: dtype, groupNames: groupNames, to: directory.appendingPathComponent(name))
            names.append(name)
            for group in Set(shard.map(\.group)) where weightMap["/" + group]?.contains(name) != true {
                weightMap["/" + group, default: []].append(name)
            }
        }
        var map: [String: Any] = [:]
        for (group, files) in weightMap { map[group] = files.count == 1 ? files[0] : files }
        let index: [String: Any] = ["metadata": ["total_size": totalBytes], "weight_map": map]
        do {
            let data = try JSONSerialization.data(withJSONObject: index, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: indexURL, options: .atomic)
        } catch {
            throw KerasWeightsError.writeFailed(file: indexURL.path, reason: error.localizedDescription)
        }
        return names
    }

    private static func validate(_ entries: [KerasWeightsEntry], file: String) throws {
        var seen = Set<String>()
        for entry in entries {
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 3, parts.dropLast().last == "vars", !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
                  seen.insert(entry.path).inserted
            else {
                throw KerasWeightsError.invalidDatasetPath(file: file, dataset: entry.path)
            }
        }
    }

    private static func writeDataset(_ entry: KerasWeightsEntry, dtype: DType, in output: HDF5Object, linkCreation: HDF5Object, file: String) throws {
        let dims = entry.tensor.shape.map { hsize_t($0) }
        let space = dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil)
        let fileType: hid_t
        switch dtype {
        case .float32: fileType = H5Tcopy(kh5_ieee_f32le())
        case .float16: fileType = kh5_ieee_f16le()
        case .bfloat16: fileType = kh5_opaque16()
        }
        guard let space = HDF5.own(space, close: H5Sclose), let type = HDF5.own(fileType, close: H5Tclose),
              let dataset = HDF5.own(
                H5Dcreate2(output.id, entry.path, type.id, space.id, linkCreation.id, kh5_default(), kh5_default()), close: H5Dclose)
        else {
            throw KerasWeightsError.writeFailed(file: file, reason: "dataset \(entry.path): \(HDF5.lastError())")
        }
        let status: herr_t = entry.tensor.withUnsafeBufferPointer { values in
            switch dtype {
            case .float32:
                return H5Dwrite(dataset.id, kh5_native_float(), kh5_all(), kh5_all(), kh5_default(), values.baseAddress)
            case .float16, .bfloat16:
                var bits = [UInt16](repeating: 0, count: values.count)
                bits.withUnsafeMutableBytes { raw in
                    if dtype == .float16 { HalfPrecision.narrowToFloat16(values, into: raw) } else { HalfPrecision.narrowToBFloat16(values, into: raw) }
                }
                return bits.withUnsafeBytes { H5Dwrite(dataset.id, type.id, kh5_all(), kh5_all(), kh5_default(), $0.baseAddress) }
            }
        }
        guard status >= 0 else { throw KerasWeightsError.writeFailed(file: file, reason: "dataset \(entry.path): \(HDF5.lastError())") }
        if dtype == .bfloat16, kh5_write_string_attribute(dataset.id, "dtype", "bfloat16") < 0 {
            throw KerasWeightsError.writeFailed(file: file, reason: "attribute 'dtype' of \(entry.path): \(HDF5.lastError())")
        }
    }
}
