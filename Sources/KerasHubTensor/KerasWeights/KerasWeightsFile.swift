import CHDF5
import Foundation

/// How a Keras weights dataset stores its values.
public enum KerasWeightsDType: String, Sendable, Equatable, CaseIterable {
    /// IEEE single precision.
    case float32 = "F32"
    /// IEEE half precision (numpy `float16`).
    case float16 = "F16"
    /// bfloat16, which Keras stores as 2-byte opaque values with a `dtype` attribute `"bfloat16"`.
    case bfloat16 = "BF16"
    /// IEEE double precision.
    case float64 = "F64"
    /// A signed or unsigned integer (optimizer counters such as `iterations`), read widened to float.
    case integer = "INT"

    /// Whether values are floating point (a weight must be).
    public var isFloatingPoint: Bool { self != .integer }
}

/// A dataset of a Keras weights file: its shape and storage type.
public struct KerasWeightsDataset: Sendable, Equatable {
    /// The dimensions (empty for a scalar).
    public var shape: [Int]
    /// How the values are stored.
    public var dtype: KerasWeightsDType
    /// The number of values.
    public var count: Int
}

/// One Keras 3 `.weights.h5` file, as `model.save_weights` / KerasHub's `save_to_preset` write it:
/// a group per saveable object (`layers/transformer_encoder_1/_self_attention_layer/query_dense`)
/// holding its variables as datasets `vars/0`, `vars/1`, …
///
/// Opening lists every dataset and checks it (plain storage inside this file, a weight type, a
/// shape whose byte count the file really stores) so a later read allocates no more than the file
/// holds; values are read one dataset at a time. Tensor names are the datasets' HDF5 paths
/// without the leading slash, e.g. `layers/dense/vars/0`.
public final class KerasWeightsFile: TensorStore, @unchecked Sendable {
    /// The file's path, for messages.
    public let path: String
    /// Every dataset, by path.
    public let datasets: [String: KerasWeightsDataset]
    private let file: HDF5Object

    /// Opens and checks a weights file.
    /// - Throws: ``KerasWeightsError`` naming the file and, where it applies, the dataset.
    public init(contentsOf url: URL) throws {
        path = url.path
        let path = url.path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw KerasWeightsError.unreadableFile(file: path, reason: "no such readable file")
        }
        (file, datasets) = try HDF5.locked {
            // HDF5 reads the superblock at the start of the file; a file that is not HDF5 fails here.
            guard H5Fis_hdf5(path) > 0 else {
                throw KerasWeightsError.unreadableFile(file: path, reason: "not an HDF5 file (no HDF5 signature)")
            }
            try Self.probe(path)
            guard let access = HDF5.own(kh5_file_access_strong_close(), close: H5Pclose),
                  let file = HDF5.own(H5Fopen(path, kh5_acc_rdonly(), access.id), close: H5Fclose)
            else {
                throw KerasWeightsError.unreadableFile(file: path, reason: HDF5.lastError())
            }
            let datasets = try Self.listDatasets(in: file, path: path)
            return (file, datasets)
        }
    }

    /// Has libhdf5 read the whole file in a forked child first (``kh5_probe_file``): libhdf5 trusts
    /// a file's metadata, and a corrupt local heap or B-tree makes it crash (found by the `h5` fuzz
    /// target), so a file it cannot walk without dying is refused before this process touches it.
    /// The child has 30 s plus a second per 50 MB. Called under the HDF5 lock.
    private static func probe(_ path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let timeout = 30_000 + size / 50_000
        let outcome = kh5_probe_file(path, timeout)
        switch outcome {
        case 0, -1:
            // Walked without dying, or no child could be forked (then the load runs unprobed).
            return
        case -2:
            throw KerasWeightsError.unreadableFile(
                file: path, reason: "libhdf5 did not finish reading its structure within \(timeout / 1000) s (a cycle in its metadata?)")
        case 1000...:
            throw KerasWeightsError.unreadableFile(
                file: path, reason: "libhdf5 failed reading its structure (exit status \(outcome - 1000) in a sandboxed child): the file is corrupt")
        default:
            throw KerasWeightsError.unreadableFile(
                file: path, reason: "libhdf5 crashed reading its structure (signal \(outcome) in a sandboxed child): the file is corrupt")
        }
    }

    /// Every dataset path, sorted.
    public var tensorNames: [String] { datasets.keys.sorted() }

    /// The shape of a dataset.
    public func shape(of name: String) -> [Int]? { datasets[name]?.shape }

    /// `F32`, `F16`, `BF16`, `F64` or `INT`.
    public func storageDType(of name: String) -> String? { datasets[name]?.dtype.rawValue }

    /// The file and the dataset.
    public func displayName(of name: String) -> String { "\(path):\(name)" }

    /// A dataset's values widened to float32.
    /// - Throws: ``KerasWeightsError/missingDataset(file:dataset:)`` or
    ///   ``KerasWeightsError/unreadableDataset(file:dataset:reason:)``.
    public func tensor(named name: String) throws -> Tensor {
        guard let info = datasets[name] else { throw KerasWeightsError.missingDataset(file: path, dataset: name) }
        let path = self.path
        let scalars: [Float] = try HDF5.locked {
            guard let dataset = HDF5.own(H5Dopen2(file.id, name, kh5_default()), close: H5Dclose) else {
                throw KerasWeightsError.unreadableDataset(file: path, dataset: name, reason: HDF5.lastError())
            }
            var status: herr_t = 0
            var values = [Float](repeating: 0, count: info.count)
            if info.dtype == .bfloat16 {
                var bits = [UInt16](repeating: 0, count: info.count)
                status = bits.withUnsafeMutableBytes { raw in
                    guard let type = HDF5.own(H5Dget_type(dataset.id), close: H5Tclose) else { return -1 }
                    return info.count == 0 ? 0 : H5Dread(dataset.id, type.id, kh5_all(), kh5_all(), kh5_default(), raw.baseAddress)
                }
                for index in 0..<info.count { values[index] = HalfPrecision.float(fromBFloat16Bits: bits[index]) }
            } else if info.count > 0 {
                status = values.withUnsafeMutableBytes { raw in
                    H5Dread(dataset.id, kh5_native_float(), kh5_all(), kh5_all(), kh5_default(), raw.baseAddress)
                }
            }
            guard status >= 0 else {
                throw KerasWeightsError.unreadableDataset(file: path, dataset: name, reason: HDF5.lastError())
            }
            return values
        }
        return try Tensor(shape: info.shape, scalars: scalars)
    }

    /// Walks every link of the file, refusing anything but hard links, and checks each dataset.
    private static func listDatasets(in file: HDF5Object, path: String) throws -> [String: KerasWeightsDataset] {
        final class Walk {
            var datasets: [String] = []
            var forbidden: (path: String, kind: String)?
        }
        let walk = Walk()
        let visitor: kh5_link_visitor = { name, kind, context in
            guard let name, let context else { return -1 }
            let walk = Unmanaged<Walk>.fromOpaque(context).takeUnretainedValue()
            let linkPath = String(cString: name)
            switch Int32(kind) {
            case Int32(KH5_GROUP.rawValue): return 0
            case Int32(KH5_DATASET.rawValue): walk.datasets.append(linkPath); return 0
            case Int32(KH5_SOFT_LINK.rawValue): walk.forbidden = (linkPath, "soft")
            case Int32(KH5_EXTERNAL_LINK.rawValue): walk.forbidden = (linkPath, "external")
            case Int32(KH5_USER_LINK.rawValue): walk.forbidden = (linkPath, "user-defined")
            default: walk.forbidden = (linkPath, "non-group, non-dataset object's")
            }
            return 1
        }
        let status = withExtendedLifetime(walk) {
            kh5_visit_links(file.id, visitor, Unmanaged.passUnretained(walk).toOpaque())
        }
        if let forbidden = walk.forbidden {
            throw KerasWeightsError.forbiddenLink(file: path, path: forbidden.path, kind: forbidden.kind)
        }
        guard status >= 0 else { throw KerasWeightsError.unreadableFile(file: path, reason: HDF5.lastError()) }
        var datasets: [String: KerasWeightsDataset] = [:]
        for name in walk.datasets {
            datasets[name] = try describe(dataset: name, in: file, path: path)
        }
        return datasets
    }

    /// Largest rank a weight may have.
    static let maximumRank = 8

    private static func describe(dataset name: String, in file: HDF5Object, path: String) throws -> KerasWeightsDataset {
        guard let dataset = HDF5.own(H5Dopen2(file.id, name, kh5_default()), close: H5Dclose),
              let creation = HDF5.own(H5Dget_create_plist(dataset.id), close: H5Pclose),
              let type = HDF5.own(H5Dget_type(dataset.id), close: H5Tclose),
              let space = HDF5.own(H5Dget_space(dataset.id), close: H5Sclose)
        else {
            throw KerasWeightsError.unreadableDataset(file: path, dataset: name, reason: HDF5.lastError())
        }
        let layout = H5Pget_layout(creation.id)
        guard layout == H5D_CONTIGUOUS || layout == H5D_COMPACT || layout == H5D_CHUNKED, H5Pget_external_count(creation.id) == 0 else {
            throw KerasWeightsError.externalStorage(file: path, dataset: name)
        }
        guard H5Pget_nfilters(creation.id) == 0 else { throw KerasWeightsError.filteredDataset(file: path, dataset: name) }

        let dtype = try storage(of: type, dataset: dataset, name: name, path: path)
        guard H5Sget_simple_extent_type(space.id) != H5S_NULL else {
            throw KerasWeightsError.invalidShape(file: path, dataset: name, reason: "has a null dataspace (no values)")
        }
        let rank = Int(H5Sget_simple_extent_ndims(space.id))
        guard rank >= 0, rank <= maximumRank else {
            throw KerasWeightsError.invalidShape(file: path, dataset: name, reason: "rank \(rank) outside 0...\(maximumRank)")
        }
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        guard H5Sget_simple_extent_dims(space.id, &dims, nil) == Int32(rank) else {
            throw KerasWeightsError.invalidShape(file: path, dataset: name, reason: HDF5.lastError())
        }
        var shape: [Int] = []
        var count = 1
        for dim in dims.prefix(rank) {
            guard dim <= UInt64(Int32.max) else {
                throw KerasWeightsError.invalidShape(file: path, dataset: name, reason: "dimension \(dim) is too large")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dim))
            guard !overflow else {
                throw KerasWeightsError.invalidShape(file: path, dataset: name, reason: "element count of \(dims.prefix(rank)) overflows")
            }
            shape.append(Int(dim))
            count = product
        }
        let elementSize = Int(H5Tget_size(type.id))
        let (needed, overflow) = count.multipliedReportingOverflow(by: elementSize)
        let stored = Int(clamping: H5Dget_storage_size(dataset.id))
        guard !overflow, stored >= needed else {
            throw KerasWeightsError.storageTooSmall(file: path, dataset: name, expectedBytes: overflow ? Int.max : needed, storedBytes: stored)
        }
        return KerasWeightsDataset(shape: shape, dtype: dtype, count: count)
    }

    private static func storage(of type: HDF5Object, dataset: HDF5Object, name: String, path: String) throws -> KerasWeightsDType {
        let size = Int(H5Tget_size(type.id))
        switch H5Tget_class(type.id) {
        case H5T_FLOAT where size == 4: return .float32
        case H5T_FLOAT where size == 2: return .float16
        case H5T_FLOAT where size == 8: return .float64
        case H5T_INTEGER where size <= 8: return .integer
        case H5T_OPAQUE where size == 2:
            var buffer = [CChar](repeating: 0, count: 32)
            let length = kh5_read_string_attribute(dataset.id, "dtype", &buffer, buffer.count)
            let text = String(decoding: buffer.prefix(max(0, min(length, buffer.count - 1))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text == "bfloat16" { return .bfloat16 }
            throw KerasWeightsError.unsupportedType(file: path, dataset: name, type: "2-byte opaque without dtype \"bfloat16\"")
        case let typeClass:
            throw KerasWeightsError.unsupportedType(file: path, dataset: name, type: "HDF5 class \(typeClass.rawValue), \(size) bytes")
        }
    }
}
