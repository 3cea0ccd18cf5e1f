#!/usr/bin/env python3
"""Writes the Keras `.weights.h5` fixtures of KerasHubTensorTests with h5py, as Keras stores weights.

Usage (from the package root, with the KerasHub reference virtualenv, which has h5py and ml_dtypes):
    .venv-kerashub/bin/python Tools/make_keras_weights_fixtures.py
        regenerates Tests/KerasHubTensorTests/Fixtures/kerasweights/ and its expected.json
    .venv-kerashub/bin/python Tools/make_keras_weights_fixtures.py --check FILE [FILE ...]
        reads .weights.h5 files written by the Swift writer with h5py, as Keras's H5IOStore reads
        them, and prints each dataset as JSON (path, dtype, shape, values); exits non-zero on failure.

Fixtures:
    dtypes.weights.h5       float32 / float16 / bfloat16 (opaque + dtype attribute, as Keras writes it) /
                            float64 / int32 scalar datasets under layers/…/vars/i, with vars `name` attributes
    sharded/                model.weights.json + model_00000.weights.h5, model_00001.weights.h5 (a group split
                            over two shards, as Keras's ShardedH5IOStore writes it)
    soft_link.weights.h5    a soft link to a dataset
    external_link.weights.h5  an external link to a dataset of dtypes.weights.h5
    external_storage.weights.h5  a dataset whose values live in a raw file beside it
    compressed.weights.h5   a gzip-compressed chunked dataset
    string.weights.h5       a dataset of strings
    truncated.weights.h5    dtypes.weights.h5 cut to half its size
    not_hdf5.weights.h5     a text file
expected.json: for every dataset of dtypes.weights.h5 and the sharded store, its shape and its values
widened to float32 (bit patterns), as h5py + ml_dtypes read them.
"""
import json
import os
import shutil
import sys

import h5py
import ml_dtypes
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "KerasHubTensorTests", "Fixtures", "kerasweights")


def bits(values):
    return np.ascontiguousarray(np.asarray(values, dtype=np.float32)).reshape(-1).view(np.uint32).tolist()


def read(dataset):
    """What Keras's H5IOStore.__getitem__ returns, widened to float32."""
    if dataset.attrs.get("dtype") == "bfloat16":
        return np.array(dataset, dtype=ml_dtypes.bfloat16).astype(np.float32)
    return np.array(dataset).astype(np.float32)


def datasets(path):
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.__setitem__(name, read(obj)) if isinstance(obj, h5py.Dataset) else None)
    return found


def write_dtypes(path):
    rng = np.random.default_rng(3)
    with h5py.File(path, "w") as f:
        g = f.create_group("layers/dense/vars")
        g.attrs["name"] = "pooled_dense"
        g["0"] = rng.standard_normal((3, 4)).astype(np.float32)
        g["1"] = np.array([1.5, -2.25, 1e-8, 65504.0], dtype=np.float32)
        g = f.create_group("layers/transformer_encoder/_self_attention_layer/query_dense/vars")
        g["0"] = rng.standard_normal((4, 2, 2)).astype(np.float16)
        ds = g.create_dataset("1", data=rng.standard_normal((2, 2)).astype(ml_dtypes.bfloat16))
        ds.attrs["dtype"] = "bfloat16"
        g = f.create_group("layers/layer_normalization/vars")
        g["0"] = rng.standard_normal(4).astype(np.float64)
        g = f.create_group("optimizer/vars")
        g["0"] = np.array(7, dtype=np.int32)
        f.create_group("layers/dropout/vars").attrs["name"] = "dropout"


def write_sharded(directory):
    os.makedirs(directory)
    rng = np.random.default_rng(5)
    a = rng.standard_normal((2, 3)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    c = rng.standard_normal((3, 2)).astype(np.float32)
    with h5py.File(os.path.join(directory, "model_00000.weights.h5"), "w") as f:
        f["layers/dense/vars/0"] = a
    with h5py.File(os.path.join(directory, "model_00001.weights.h5"), "w") as f:
        f["layers/dense/vars/1"] = b
        f["layers/dense_1/vars/0"] = c
    index = {"metadata": {"total_size": 60.0},
             "weight_map": {"/layers/dense/vars": ["model_00000.weights.h5", "model_00001.weights.h5"],
                            "/layers/dense_1/vars": "model_00001.weights.h5"}}
    with open(os.path.join(directory, "model.weights.json"), "w") as out:
        json.dump(index, out, indent=4)


def write_hostile(out):
    with h5py.File(os.path.join(out, "soft_link.weights.h5"), "w") as f:
        f["layers/dense/vars/0"] = np.zeros((2, 2), np.float32)
        f["layers/dense/vars/1"] = h5py.SoftLink("/layers/dense/vars/0")
    with h5py.File(os.path.join(out, "external_link.weights.h5"), "w") as f:
        f["layers/dense/vars/0"] = h5py.ExternalLink("dtypes.weights.h5", "/layers/dense/vars/0")
    raw = os.path.join(out, "external_storage.raw")
    np.arange(4, dtype="<f4").tofile(raw)
    with h5py.File(os.path.join(out, "external_storage.weights.h5"), "w") as f:
        f.create_dataset("layers/dense/vars/0", shape=(4,), dtype="<f4", external=[("external_storage.raw", 0, 16)])
    with h5py.File(os.path.join(out, "compressed.weights.h5"), "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.zeros((64, 64), np.float32), compression="gzip", chunks=(8, 8))
    with h5py.File(os.path.join(out, "string.weights.h5"), "w") as f:
        f["layers/lookup/vars/0"] = np.array([b"a", b"b"])
    data = open(os.path.join(out, "dtypes.weights.h5"), "rb").read()
    open(os.path.join(out, "truncated.weights.h5"), "wb").write(data[: len(data) // 2])
    open(os.path.join(out, "not_hdf5.weights.h5"), "w").write("this is not an HDF5 file\n")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        ok = True
        for path in sys.argv[2:]:
            try:
                for name, values in sorted(datasets(path).items()):
                    print(json.dumps({"file": path, "dataset": name, "shape": list(values.shape),
                                      "values": values.reshape(-1).tolist()}))
            except Exception as error:  # noqa: BLE001 - report and go on
                print(f"{path}: {error}", file=sys.stderr)
                ok = False
        sys.exit(0 if ok else 1)
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    write_dtypes(os.path.join(OUT, "dtypes.weights.h5"))
    write_sharded(os.path.join(OUT, "sharded"))
    write_hostile(OUT)
    expected = {"dtypes": {}, "sharded": {}}
    for name, values in datasets(os.path.join(OUT, "dtypes.weights.h5")).items():
        expected["dtypes"][name] = {"shape": list(values.shape), "bits": bits(values)}
    for shard in ("model_00000.weights.h5", "model_00001.weights.h5"):
        for name, values in datasets(os.path.join(OUT, "sharded", shard)).items():
            expected["sharded"][name] = {"shape": list(values.shape), "bits": bits(values)}
    with open(os.path.join(OUT, "expected.json"), "w") as out:
        json.dump(expected, out, indent=1, sort_keys=True)
    print(f"wrote {sorted(os.listdir(OUT))} (h5py {h5py.__version__})")


if __name__ == "__main__":
    main()
