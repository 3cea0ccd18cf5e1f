#!/usr/bin/env python3
"""Writes the safetensors test fixtures of KerasHubTensorTests with the reference library.

Usage (from the package root, with the reference virtualenv):
    .venv-ref/bin/python Tools/make_safetensors_fixtures.py
        regenerates Tests/KerasHubTensorTests/Fixtures/safetensors/ and expected.json
    .venv-ref/bin/python Tools/make_safetensors_fixtures.py --check FILE [FILE ...]
        reads safetensors files written by the Swift writer with the reference library and
        prints every tensor (name, dtype, shape, first values); exits non-zero if one fails.

expected.json holds, for every fixture file, each tensor's dtype, shape and the exact float32
bit pattern of each element as torch (or numpy) widens it, plus the metadata; and a table of
float32 inputs with their torch `.half()` / `.bfloat16()` rounded bit patterns.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import load_file, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "KerasHubTensorTests", "Fixtures", "safetensors")


def float_bits(values):
    """float32 bit patterns (as unsigned ints) of a tensor or array widened to float32."""
    if isinstance(values, torch.Tensor):
        values = values.to(torch.float32).numpy()
    with np.errstate(over="ignore"):  # 1e300 as float32 is inf, as Swift's Float(Double) gives
        values = values.astype(np.float32)
    return np.ascontiguousarray(values).reshape(-1).view(np.uint32).tolist()


def f16_from_bits(bits):
    return torch.tensor(np.array(bits, dtype=np.uint16).view(np.int16)).view(torch.float16)


def bf16_from_bits(bits):
    return torch.tensor(np.array(bits, dtype=np.uint16).view(np.int16)).view(torch.bfloat16)


def describe(tensors, dtype_names):
    return {
        name: {"dtype": dtype_names[name], "shape": list(t.shape), "bits": float_bits(t)}
        for name, t in tensors.items()
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {}

    # float32: a matrix, a scalar, an empty tensor.
    f32 = {
        "matrix": torch.tensor([[1.0, -2.5, 3.25], [1e-30, -0.0, 123456.789]], dtype=torch.float32),
        "scalar": torch.tensor(3.5, dtype=torch.float32),
        "empty": torch.zeros((0, 4), dtype=torch.float32),
    }
    save_file(f32, os.path.join(OUT, "f32.safetensors"))
    files["f32.safetensors"] = {"tensors": describe(f32, {k: "F32" for k in f32}), "metadata": {}}

    # float16: normals, subnormals, signed zero, extremes, infinities, NaN.
    f16_bits = [0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x3C00, 0xBC00, 0x3555, 0x7BFF, 0xFBFF,
                0x7C00, 0xFC00, 0x7E00, 0x4248, 0x0200, 0xC000]
    f16 = {"values": f16_from_bits(f16_bits).reshape(4, 4),
           "ramp": torch.linspace(-3, 3, 7, dtype=torch.float32).half()}
    save_file(f16, os.path.join(OUT, "f16.safetensors"))
    files["f16.safetensors"] = {"tensors": describe(f16, {k: "F16" for k in f16}), "metadata": {}}

    # bfloat16: the same kinds of values.
    bf16_bits = [0x0000, 0x8000, 0x0001, 0x007F, 0x0080, 0x3F80, 0xBF80, 0x3EAB, 0x7F7F, 0xFF7F,
                 0x7F80, 0xFF80, 0x7FC0, 0x4049, 0x4000, 0xC2F7]
    bf16 = {"values": bf16_from_bits(bf16_bits).reshape(2, 8)}
    save_file(bf16, os.path.join(OUT, "bf16.safetensors"))
    files["bf16.safetensors"] = {"tensors": describe(bf16, {"values": "BF16"}), "metadata": {}}

    # int64 alone.
    i64 = {"ids": torch.tensor([[-3, 0, 7], [1 << 40, 123456789, -(1 << 62)]], dtype=torch.int64)}
    save_file(i64, os.path.join(OUT, "i64.safetensors"))
    files["i64.safetensors"] = {"tensors": describe(i64, {"ids": "I64"}), "metadata": {}}

    # Every numpy dtype in one file (the numpy API), with an odd-sized tensor first so later
    # tensors start at unaligned offsets.
    mixed = {
        "a_bool": np.array([True, False, True], dtype=np.bool_),
        "b_f64": np.array([1.5, -2.0, 1e300, 1.0 / 3.0], dtype=np.float64),
        "c_i32": np.array([-(2**31), 2**31 - 1, 5], dtype=np.int32),
        "d_i16": np.array([-32768, 32767, -1], dtype=np.int16),
        "e_i8": np.array([-128, 127, 0], dtype=np.int8),
        "f_u8": np.array([0, 255, 17], dtype=np.uint8),
        "g_u16": np.array([0, 65535], dtype=np.uint16),
        "h_u32": np.array([0, 2**32 - 1, 16777217], dtype=np.uint32),
        "i_u64": np.array([0, 1 << 40, (1 << 63) + (1 << 40)], dtype=np.uint64),
        "j_f16": np.array([[0.5, -1.0], [65504.0, 6e-8]], dtype=np.float16),
        "k_i64": np.array([9, -9], dtype=np.int64),
        "l_f32": np.array([0.1, 0.2], dtype=np.float32),
    }
    names = {"a_bool": "BOOL", "b_f64": "F64", "c_i32": "I32", "d_i16": "I16", "e_i8": "I8", "f_u8": "U8",
             "g_u16": "U16", "h_u32": "U32", "i_u64": "U64", "j_f16": "F16", "k_i64": "I64", "l_f32": "F32"}
    save_numpy(mixed, os.path.join(OUT, "mixed.safetensors"))
    files["mixed.safetensors"] = {"tensors": describe(mixed, names), "metadata": {}}

    # float8: every bit pattern of both formats.
    all_bytes = torch.arange(256, dtype=torch.int32).to(torch.uint8)
    f8 = {"e4m3": all_bytes.clone().view(torch.float8_e4m3fn), "e5m2": all_bytes.clone().view(torch.float8_e5m2)}
    save_file(f8, os.path.join(OUT, "f8.safetensors"))
    files["f8.safetensors"] = {"tensors": describe(f8, {"e4m3": "F8_E4M3", "e5m2": "F8_E5M2"}), "metadata": {}}

    # __metadata__.
    meta = {"format": "pt", "note": "line\nbreak \"quoted\" caf\u00e9"}
    tagged = {"w": torch.tensor([1.0, 2.0], dtype=torch.float32)}
    save_file(tagged, os.path.join(OUT, "metadata.safetensors"), metadata=meta)
    files["metadata.safetensors"] = {"tensors": describe(tagged, {"w": "F32"}), "metadata": meta}

    # A two-shard checkpoint with its index (transformers writes total_size as a number).
    shard_dir = os.path.join(OUT, "sharded")
    os.makedirs(shard_dir, exist_ok=True)
    shard1 = {"embed.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3),
              "layer.0.bias": torch.tensor([0.5, -0.5], dtype=torch.float16)}
    shard2 = {"layer.1.bias": torch.tensor([1.25, 2.5], dtype=torch.bfloat16)}
    names1, names2 = "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"
    save_file(shard1, os.path.join(shard_dir, names1), metadata={"format": "pt"})
    save_file(shard2, os.path.join(shard_dir, names2), metadata={"format": "pt"})
    weight_map = {**{k: names1 for k in shard1}, **{k: names2 for k in shard2}}
    total = sum(t.numel() * t.element_size() for t in {**shard1, **shard2}.values())
    with open(os.path.join(shard_dir, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)
        f.write("\n")
    files["sharded/" + names1] = {"tensors": describe(shard1, {"embed.weight": "F32", "layer.0.bias": "F16"}),
                                  "metadata": {"format": "pt"}}
    files["sharded/" + names2] = {"tensors": describe(shard2, {"layer.1.bias": "BF16"}), "metadata": {"format": "pt"}}

    # Rounding table: float32 inputs and torch's float16 / bfloat16 results (round to nearest even).
    rng = np.random.default_rng(1234)
    specials = [0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 65504.0, 65519.99, 65520.0, 65536.0, 1e10, -1e10,
                6.0e-8, 2.9802322e-08, 2.9802326e-08, 5.9604645e-08, 1e-10, 6.1035156e-05, 6.1e-05,
                1.0009765625, 1.00048828125, 1.00146484375, 1.001953125, 1.0 + 2**-8, 1.0 + 2**-9, 1.0 + 3 * 2**-9,
                3.3895314e38, 3.4028235e38, 1e-39, -1e-45, float("inf"), float("-inf")]
    inputs = np.concatenate([
        np.array(specials, dtype=np.float32),
        rng.standard_normal(64).astype(np.float32),
        (rng.standard_normal(32) * 1e-6).astype(np.float32),
        (rng.standard_normal(32) * 3e4).astype(np.float32),
        rng.integers(0, 2**32, 64, dtype=np.uint64).astype(np.uint32).view(np.float32),
    ])
    inputs = inputs[~np.isnan(inputs)]
    t = torch.from_numpy(inputs.copy())
    rounding = {
        "inputs": inputs.view(np.uint32).tolist(),
        "float16": t.half().view(torch.int16).numpy().view(np.uint16).tolist(),
        "bfloat16": t.bfloat16().view(torch.int16).numpy().view(np.uint16).tolist(),
    }

    # Writer goldens: the Swift writer must reproduce these files byte for byte.
    golden_inputs = {"beta": torch.from_numpy(inputs[:12].copy()).reshape(3, 4),
                     "alpha": torch.tensor([[0.25, -7.0]], dtype=torch.float32),
                     "gamma": torch.tensor(1.0, dtype=torch.float32)}
    goldens = {}
    for dtype_name, torch_dtype in [("float32", torch.float32), ("float16", torch.float16), ("bfloat16", torch.bfloat16)]:
        file_name = f"writer_{dtype_name}.safetensors"
        save_file({k: v.to(torch_dtype) for k, v in golden_inputs.items()}, os.path.join(OUT, file_name),
                  metadata={"format": "pt"})
        goldens[dtype_name] = file_name
    # Mixed dtypes: the reference orders data by dtype (F32, then BF16, then F16), then by name.
    mixed_dtypes = {"alpha": "bfloat16", "beta": "float16", "gamma": "float32"}
    torch_dtypes = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
    save_file({k: v.to(torch_dtypes[mixed_dtypes[k]]) for k, v in golden_inputs.items()},
              os.path.join(OUT, "writer_mixed.safetensors"), metadata={"format": "pt"})
    goldens["mixed"] = "writer_mixed.safetensors"
    writer = {"inputs": {k: {"shape": list(v.shape), "bits": float_bits(v)} for k, v in golden_inputs.items()},
              "mixed_dtypes": mixed_dtypes,
              "metadata": {"format": "pt"}, "files": goldens}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"files": files, "rounding": rounding, "writer": writer}, f, indent=1, sort_keys=True)
        f.write("\n")
    total_bytes = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(OUT) for n in ns)
    print(f"wrote fixtures to {OUT} ({total_bytes} bytes)")


def check(paths):
    failed = False
    for path in paths:
        try:
            tensors = load_file(path)
            with open(path, "rb") as f:
                (n,) = struct.unpack("<Q", f.read(8))
                header = json.loads(f.read(n))
            print(f"{path}: OK, metadata {header.get('__metadata__')}")
            for name, t in sorted(tensors.items()):
                print(f"  {name}: {t.dtype} {list(t.shape)} {t.reshape(-1)[:6].tolist()}")
        except Exception as error:  # noqa: BLE001 - report every failure
            failed = True
            print(f"{path}: FAILED: {error}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        check(sys.argv[2:])
    else:
        main()
