"""Shared helpers for the qwen2 / qwen3 / phi3 float64 numpy references: safetensors writer/reader,
golden.json writer, plan runner, greedy decoding, loop-based pieces for the self-check.
Family-specific math lives in qwen_reference.py and phi3_reference.py."""
import json
import os
import shutil
import struct

import numpy as np

REFS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PLANS = [
    {"name": "identity", "steps": [[0], [1], [2], [3]]},
    {"name": "skip_1", "steps": [[0], [2], [3]]},
    {"name": "repeat_2", "steps": [[0], [1], [2], [2], [3]]},
    {"name": "reverse_middle", "steps": [[0], [2], [1], [3]]},
    {"name": "parallel_1_2", "steps": [[0], [1, 2], [3]]},
]
SEQ_LENGTHS = (5, 8, 12)
VOCAB = 96
GREEDY_NEW = 8


# ---------------------------------------------------------------- weights
class Init:
    """Deterministic random weights, stored as float32; the reference uses their float64 values."""

    def __init__(self, rng):
        self.rng = rng
        self.tensors = {}  # name -> float32 array

    def _put(self, name, arr64):
        a = np.asarray(arr64, dtype=np.float64).astype(np.float32)
        assert np.all(a != 0), name
        self.tensors[name] = a
        return a.astype(np.float64)

    def proj(self, name, shape, std=0.15):
        return self._put(name, self.rng.normal(0.0, std, size=shape))

    def emb(self, name, shape):
        return self._put(name, self.rng.normal(0.0, 1.0, size=shape))

    def norm(self, name, n):
        return self._put(name, 1.0 + 0.2 * self.rng.normal(0.0, 1.0, size=(n,)))

    def bias(self, name, n):
        return self._put(name, 0.1 * self.rng.normal(0.0, 1.0, size=(n,)))


def write_safetensors(path, tensors):
    """tensors: dict name -> float32 ndarray. Names sorted (as safetensors does), offsets contiguous."""
    names = sorted(tensors)
    header = {}
    blobs = []
    off = 0
    for n in names:
        a = np.ascontiguousarray(tensors[n], dtype="<f4")
        b = a.tobytes()
        header[n] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # pad with spaces to 8-byte alignment, as safetensors does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    expect = 0
    for k, v in header.items():
        if k == "__metadata__":
            continue
        assert v["dtype"] == "F32"
        b, e = v["data_offsets"]
        assert b == expect, (k, b, expect)
        expect = e
        out[k] = np.frombuffer(data[base + b:base + e], dtype="<f4").reshape(v["shape"])
    assert base + expect == len(data)
    return out


def check_readback(path, tensors):
    back = read_safetensors(path)
    assert set(back) == set(tensors), (set(back) ^ set(tensors))
    for k, v in tensors.items():
        assert back[k].shape == v.shape and np.array_equal(back[k], v), k
    return len(back)


# ---------------------------------------------------------------- shared math (float64)
def rms_norm(x, w, eps):
    var = np.mean(x * x, axis=-1, keepdims=True)
    return x / np.sqrt(var + eps) * w


def silu(x):
    return x / (1.0 + np.exp(-x))


def softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)


def rope_cos_sin(seq_len, dim, theta):
    """Default RoPE, half-split ('rotate_half') convention: cos/sin of shape [seq, dim]."""
    inv_freq = 1.0 / (theta ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    freqs = np.outer(np.arange(seq_len, dtype=np.float64), inv_freq)  # [seq, dim/2]
    emb = np.concatenate([freqs, freqs], axis=-1)
    return np.cos(emb), np.sin(emb)


def apply_rope(x, cos, sin):
    """x [heads, seq, d]."""
    h = x.shape[-1] // 2
    rot = np.concatenate([-x[..., h:], x[..., :h]], axis=-1)
    return x * cos[None] + rot * sin[None]


def causal_attention(q, k, v, scaling):
    """q [H, S, d], k/v [KV, S, d]; GQA by repeating kv heads (head h uses kv head h // (H/KV))."""
    H, S, _ = q.shape
    rep = H // k.shape[0]
    k = np.repeat(k, rep, axis=0)
    v = np.repeat(v, rep, axis=0)
    s = np.einsum("hqd,hkd->hqk", q, k) * scaling
    mask = np.triu(np.ones((S, S), dtype=bool), 1)
    s = np.where(mask[None], -np.inf, s)
    p = softmax(s, axis=-1)
    o = np.einsum("hqk,hkd->hqd", p, v)
    return o.transpose(1, 0, 2).reshape(S, -1)  # [S, H*d], heads concatenated


# ---------------------------------------------------------------- slow path pieces for the self-check
def slow_rms_norm(x, w, eps):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        ss = 0.0
        for j in range(x.shape[1]):
            ss += x[i, j] * x[i, j]
        r = 1.0 / np.sqrt(ss / x.shape[1] + eps)
        for j in range(x.shape[1]):
            out[i, j] = w[j] * (x[i, j] * r)
    return out


def slow_rope_vec(vec, pos, theta):
    """Rotate a single head vector: pair (i, i + d/2) rotated by angle pos * theta^(-2i/d)."""
    d = vec.shape[0]
    h = d // 2
    out = np.empty(d)
    for i in range(h):
        ang = pos * theta ** (-(2.0 * i) / d)
        c, s = np.cos(ang), np.sin(ang)
        a, b = vec[i], vec[i + h]
        out[i] = a * c - b * s
        out[i + h] = a * s + b * c
    return out


def slow_attention(qh, kh, vh, n_heads, n_kv, d):
    """qh[t][h] / kh[t][g] / vh[t][g]: per-position per-head vectors (already roped). Loops only."""
    S = len(qh)
    group = n_heads // n_kv
    out = np.zeros((S, n_heads * d))
    for t in range(S):
        for h in range(n_heads):
            g = h // group
            scores = [float(np.dot(qh[t][h], kh[u][g])) / np.sqrt(d) for u in range(t + 1)]
            m = max(scores)
            ex = [np.exp(sc - m) for sc in scores]
            z = sum(ex)
            acc = np.zeros(d)
            for u in range(t + 1):
                acc += (ex[u] / z) * vh[u][g]
            out[t, h * d:(h + 1) * d] = acc
    return out


def slow_silu_vec(g):
    return np.array([gi / (1.0 + np.exp(-gi)) for gi in g])


# ---------------------------------------------------------------- plans, greedy, golden
def run_plan(model, ids, steps):
    """model: object with embed(ids)->[S,H], block(i, x)->[S,H], head(x)->[S,V]."""
    x = model.embed(ids)
    emb = x.copy()
    residuals = []
    for step in steps:
        outs = [model.block(b, x) for b in step]
        x = outs[0] if len(outs) == 1 else sum(outs) / len(outs)
        residuals.append(x.copy())
    logits = model.head(x)
    return emb, residuals, logits[-1]


def top2_margin(v):
    s = np.sort(v)
    return float(s[-1] - s[-2])


def greedy(model, ids, steps, n_new=GREEDY_NEW):
    ids = list(ids)
    new, margins = [], []
    for _ in range(n_new):
        _, _, last = run_plan(model, ids, steps)  # full recompute each step
        t = int(np.argmax(last))
        margins.append(top2_margin(last))
        new.append(t)
        ids.append(t)
    return new, min(margins)


def make_sequences(rng):
    return [[1] + [int(t) for t in rng.integers(3, VOCAB, size=n - 1)] for n in SEQ_LENGTHS]


def dumps(obj, indent=0):
    """JSON with floats as 10-significant-digit literals (always with an exponent, so always floats);
    flat numeric lists on one line."""
    pad = " " * indent
    if isinstance(obj, dict):
        items = [f'{pad}  {json.dumps(k)}: {dumps(v, indent + 2).lstrip()}' for k, v in obj.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, (list, tuple)):
        if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in obj):
            return pad + "[" + ", ".join(dumps(v) for v in obj) + "]"
        return pad + "[\n" + ",\n".join(dumps(v, indent + 2) for v in obj) + "\n" + pad + "]"
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return pad + json.dumps(obj)
    if isinstance(obj, (int, np.integer)):
        return pad + str(int(obj))
    if isinstance(obj, (float, np.floating)):
        assert np.isfinite(obj)
        return pad + format(float(obj), ".9e")
    raise TypeError(type(obj))


def build_golden(model, model_type, variant, reference, seed, sequences):
    results = []
    min_margin = np.inf
    for plan in PLANS:
        for si, seq in enumerate(sequences):
            emb, res, last = run_plan(model, seq, plan["steps"])
            r = {"plan": plan["name"], "sequence": si,
                 "embedding": [float(v) for v in emb.ravel()],
                 "residuals": [[float(v) for v in x.ravel()] for x in res],
                 "last_logits": [float(v) for v in last]}
            if si == 0 and all(len(s) == 1 for s in plan["steps"]):
                g, m = greedy(model, seq, plan["steps"])
                r["greedy"] = g
                min_margin = min(min_margin, m)
            results.append(r)
    return {
        "format": "painters-family-golden/1",
        "model_type": model_type,
        "variant": variant,
        "reference": reference,
        "seed": seed,
        "sequences": sequences,
        "plans": PLANS,
        "results": results,
        "greedy_min_margin": float(min_margin),
    }


def identity_selfcheck(model, sequences, n_layers):
    """max |fast - slow| over the identity-plan logits at every position of every sequence."""
    diff = 0.0
    for seq in sequences:
        x = model.embed(seq)
        for i in range(n_layers):
            x = model.block(i, x)
        fast = model.head(x)
        slow = model.slow_logits(seq)
        diff = max(diff, float(np.max(np.abs(fast - slow))))
    return diff


def write_folder(variant, config, tensors, golden, readme, generation_config=None):
    d = os.path.join(REFS, variant)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    st = os.path.join(d, "model.safetensors")
    write_safetensors(st, tensors)
    n = check_readback(st, tensors)
    shutil.copyfile(os.path.join(REFS, "tokenizer.json"), os.path.join(d, "tokenizer.json"))
    if generation_config is not None:
        with open(os.path.join(d, "generation_config.json"), "w") as f:
            json.dump(generation_config, f, indent=2)
            f.write("\n")
    with open(os.path.join(d, "golden.json"), "w") as f:
        f.write(dumps(golden))
        f.write("\n")
    # golden.json must parse back and agree with what was computed (10 significant digits)
    with open(os.path.join(d, "golden.json")) as f:
        g2 = json.load(f)
    for a, b in zip(g2["results"], golden["results"]):
        assert np.allclose(a["last_logits"], b["last_logits"], rtol=1e-9, atol=0)
        assert a.get("greedy") == b.get("greedy")
    with open(os.path.join(d, "README.md"), "w") as f:
        f.write(readme)
    total = sum(os.path.getsize(os.path.join(d, x)) for x in os.listdir(d))
    assert total < 1_000_000, total
    return n, total
