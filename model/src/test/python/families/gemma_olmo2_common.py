"""Shared helpers for the float64 numpy reference scripts (no torch, no safetensors library).

- hand-written safetensors writer / reader (F32 and BF16)
- bf16 round-to-nearest-even encode / exact decode
- RMS norm, RoPE (rotate-half convention), GELU-tanh, SiLU, soft-cap
- plan runner, greedy decoding and golden.json writer
"""
import json
import math
import os
import shutil
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REFS = os.path.dirname(HERE)

PLANS = [
    {"name": "identity", "steps": [[0], [1], [2], [3]]},
    {"name": "skip_1", "steps": [[0], [2], [3]]},
    {"name": "repeat_2", "steps": [[0], [1], [2], [2], [3]]},
    {"name": "reverse_middle", "steps": [[0], [2], [1], [3]]},
    {"name": "parallel_1_2", "steps": [[0], [1, 2], [3]]},
]


# ----------------------------------------------------------------------------------------------- dtypes
def f32_round(a):
    """float64 -> the float32 value, returned as float64."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def bf16_encode(a):
    """float64 array -> uint16 bf16 bit patterns (float64 -> float32 -> bf16, round to nearest even)."""
    f = np.ascontiguousarray(np.asarray(a, dtype=np.float64).astype(np.float32))
    u = f.view(np.uint32).astype(np.uint64)
    bias = ((u >> 16) & 1) + 0x7FFF
    return ((u + bias) >> 16).astype(np.uint16)


def bf16_decode(bits):
    """uint16 bf16 bit patterns -> exact float64 values."""
    u = np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16
    return u.view(np.float32).astype(np.float64)


def bf16_round(a):
    return bf16_decode(bf16_encode(a))


# ----------------------------------------------------------------------------------------------- safetensors
def write_safetensors(path, tensors, dtype):
    """tensors: list of (name, float64 array already representable in dtype). dtype 'F32' or 'BF16'."""
    header = {}
    blobs = []
    off = 0
    for name, arr in tensors:
        arr = np.asarray(arr, dtype=np.float64)
        if dtype == "F32":
            raw = arr.astype("<f4").tobytes(order="C")
        elif dtype == "BF16":
            raw = bf16_encode(arr).astype("<u2").tobytes(order="C")
        else:
            raise ValueError(dtype)
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    header["__metadata__"] = {"format": "pt"}
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)  # pad header to 8-byte alignment (as the safetensors lib does)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(hb)))
        fh.write(hb)
        for b in blobs:
            fh.write(b)


def read_safetensors(path):
    """Independent reader: returns {name: float64 array}, plus the header dict."""
    with open(path, "rb") as fh:
        data = fh.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    out = {}
    expect = 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        assert b == expect, f"non-contiguous offsets at {name}"
        expect = e
        chunk = body[b:e]
        if info["dtype"] == "F32":
            a = np.frombuffer(chunk, dtype="<f4").astype(np.float64)
        elif info["dtype"] == "BF16":
            a = bf16_decode(np.frombuffer(chunk, dtype="<u2"))
        else:
            raise ValueError(info["dtype"])
        out[name] = a.reshape(info["shape"])
    assert expect == len(body), "trailing bytes in safetensors body"
    return out, header


# ----------------------------------------------------------------------------------------------- math
def rms(x, eps):
    x = np.asarray(x, dtype=np.float64)
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def silu(x):
    return x / (1.0 + np.exp(-x))


def softcap(x, cap):
    return cap * np.tanh(x / cap)


def rope_cos_sin(seq_len, head_dim, theta):
    inv_freq = 1.0 / (theta ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim))
    freqs = np.arange(seq_len, dtype=np.float64)[:, None] * inv_freq[None, :]  # [T, d/2]
    emb = np.concatenate([freqs, freqs], axis=-1)  # [T, d]
    return np.cos(emb), np.sin(emb)


def apply_rope(x, cos, sin):
    """x: [heads, T, d] (rotate-half convention)."""
    d = x.shape[-1]
    rot = np.concatenate([-x[..., d // 2:], x[..., : d // 2]], axis=-1)
    return x * cos[None] + rot * sin[None]


def softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)


# ----------------------------------------------------------------------------------------------- plans / golden
def run_plan(model, ids, steps):
    """model: object with embed(ids)->[T,H], block(layer_idx, x)->[T,H], head(x)->logits [T,V]."""
    x = model.embed(ids)
    emb = x.copy()
    residuals = []
    for step in steps:
        outs = [model.block(li, x) for li in step]
        x = outs[0] if len(outs) == 1 else np.mean(np.stack(outs, 0), axis=0)
        residuals.append(x.copy())
    logits = model.head(x)
    return emb, residuals, logits


def greedy(model, ids, steps, n_new=8):
    ids = list(ids)
    out = []
    margins = []
    for _ in range(n_new):
        _, _, logits = run_plan(model, ids, steps)
        last = logits[-1]
        order = np.argsort(-last, kind="stable")
        margins.append(float(last[order[0]] - last[order[1]]))
        nxt = int(order[0])
        out.append(nxt)
        ids.append(nxt)
    return out, margins


def r10(a):
    return [float(f"{v:.10g}") for v in np.asarray(a, dtype=np.float64).ravel()]


def make_sequences(rng):
    seqs = []
    for L in (5, 8, 12):
        seqs.append([1] + [int(t) for t in rng.integers(3, 96, size=L - 1)])
    return seqs


def build_golden(model, model_type, variant, reference, seed, seqs):
    results = []
    all_margins = []
    for plan in PLANS:
        has_par = any(len(s) > 1 for s in plan["steps"])
        for si, ids in enumerate(seqs):
            emb, residuals, logits = run_plan(model, ids, plan["steps"])
            entry = {
                "plan": plan["name"],
                "sequence": si,
                "embedding": r10(emb),
                "residuals": [r10(r) for r in residuals],
                "last_logits": r10(logits[-1]),
            }
            if si == 0 and not has_par:
                g, m = greedy(model, ids, plan["steps"])
                entry["greedy"] = g
                all_margins.extend(m)
            results.append(entry)
    golden = {
        "format": "painters-family-golden/1",
        "model_type": model_type,
        "variant": variant,
        "reference": reference,
        "seed": seed,
        "sequences": seqs,
        "plans": PLANS,
        "results": results,
        "greedy_min_margin": float(f"{min(all_margins):.10g}"),
    }
    return golden, min(all_margins)


def write_json(path, obj, indent=None):
    with open(path, "w") as fh:
        json.dump(obj, fh, indent=indent)
        fh.write("\n")


def copy_tokenizer(outdir):
    shutil.copyfile(os.path.join(REFS, "tokenizer.json"), os.path.join(outdir, "tokenizer.json"))
