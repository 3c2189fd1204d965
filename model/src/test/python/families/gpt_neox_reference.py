#!/usr/bin/env python3
"""Float64 numpy reference + tiny random-weight checkpoint for GPT-NeoX (Pythia layout).

Makes /work/refs/gpt_neox (use_parallel_residual=True) and /work/refs/gpt_neox_sequential
(use_parallel_residual=False).  Independent re-implementation of the published architecture as
described by transformers src/transformers/models/gpt_neox/modular_gpt_neox.py /
modeling_gpt_neox.py (see README.md in each folder for the commit read).

Usage: python3 /work/refs/scripts/gpt_neox_reference.py
"""
import json
import math
import os
import shutil
import struct
import sys

import numpy as np

REFS = "/work/refs"
TRANSFORMERS_REF = (
    "src/transformers/models/gpt_neox/modular_gpt_neox.py at commit "
    "00dcc6dda6f6d8e69541a6b51f97986a80242367 (cross-checked with modeling_gpt_neox.py at "
    "006bd23dd0ce18d54e1cf260b09b15fa943a731d and configuration_gpt_neox.py at "
    "008e574391258935f3ecc3035c882e73bbcac419)"
)

HIDDEN = 32
LAYERS = 4
HEADS = 2
HEAD_DIM = HIDDEN // HEADS  # 16
ROTARY_PCT = 0.5
ROTARY_NDIMS = int(HEAD_DIM * ROTARY_PCT)  # 8
ROPE_BASE = 10000.0
VOCAB = 96
INTER = 64
MAX_POS = 64
EPS = 1e-5

PLANS = [
    {"name": "identity", "steps": [[0], [1], [2], [3]]},
    {"name": "skip_1", "steps": [[0], [2], [3]]},
    {"name": "repeat_2", "steps": [[0], [1], [2], [2], [3]]},
    {"name": "reverse_middle", "steps": [[0], [2], [1], [3]]},
    {"name": "parallel_1_2", "steps": [[0], [1, 2], [3]]},
]
SEQ_LENS = (5, 8, 12)
N_GREEDY = 8

# ----------------------------------------------------------------------------- safetensors


def write_safetensors(path, tensors):
    """tensors: list of (name, np.float32 array) in header order."""
    header = {}
    off = 0
    blobs = []
    for name, arr in tensors:
        arr = np.array(arr, dtype="<f4", order="C")  # (ascontiguousarray would turn a 0-d scalar into shape [1])
        b = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    header["__metadata__"] = {"format": "pt"}
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)  # pad header to 8-byte alignment (as safetensors does)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
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
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32"
        b, e = info["data_offsets"]
        assert b == expect, "non-contiguous offsets"
        expect = e
        out[name] = np.frombuffer(data[base + b:base + e], dtype="<f4").reshape(info["shape"]).copy()
    assert base + expect == len(data), "trailing bytes"
    return out, header


# ----------------------------------------------------------------------------- weights


def make_weights(seed):
    rng = np.random.default_rng(seed)

    def f32(a):
        a = np.asarray(a, dtype=np.float32)
        assert np.all(a != 0), "zero weight"
        return a

    def proj(out_f, in_f, std=0.15):
        return f32(rng.normal(0.0, std, size=(out_f, in_f)))

    def bias(n):
        return f32(0.1 * rng.normal(size=n))

    def normw(n):
        return f32(1.0 + 0.2 * rng.normal(size=n))

    t = []
    t.append(("gpt_neox.embed_in.weight", f32(rng.normal(size=(VOCAB, HIDDEN)))))
    for i in range(LAYERS):
        p = f"gpt_neox.layers.{i}."
        t.append((p + "input_layernorm.weight", normw(HIDDEN)))
        t.append((p + "input_layernorm.bias", bias(HIDDEN)))
        t.append((p + "post_attention_layernorm.weight", normw(HIDDEN)))
        t.append((p + "post_attention_layernorm.bias", bias(HIDDEN)))
        # fused per-head layout: output rows = [heads, 3 (q,k,v), head_dim]
        t.append((p + "attention.query_key_value.weight", proj(3 * HIDDEN, HIDDEN, 0.25)))
        t.append((p + "attention.query_key_value.bias", bias(3 * HIDDEN)))
        t.append((p + "attention.dense.weight", proj(HIDDEN, HIDDEN)))
        t.append((p + "attention.dense.bias", bias(HIDDEN)))
        t.append((p + "mlp.dense_h_to_4h.weight", proj(INTER, HIDDEN)))
        t.append((p + "mlp.dense_h_to_4h.bias", bias(INTER)))
        t.append((p + "mlp.dense_4h_to_h.weight", proj(HIDDEN, INTER)))
        t.append((p + "mlp.dense_4h_to_h.bias", bias(HIDDEN)))
    t.append(("gpt_neox.final_layer_norm.weight", normw(HIDDEN)))
    t.append(("gpt_neox.final_layer_norm.bias", bias(HIDDEN)))
    t.append(("embed_out.weight", proj(VOCAB, HIDDEN, 0.5)))
    seqs = []
    for L in SEQ_LENS:
        seqs.append([1] + [int(x) for x in rng.integers(3, VOCAB, size=L - 1)])
    return t, seqs


# ----------------------------------------------------------------------------- math


def erf_gelu(x):
    # exact GELU: 0.5 x (1 + erf(x / sqrt 2)); math.erf is the C library erf in double precision
    verf = np.vectorize(math.erf, otypes=[np.float64])
    return 0.5 * x * (1.0 + verf(x / math.sqrt(2.0)))


def layer_norm(x, w, b):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * w + b


def linear(x, w, b=None):
    y = x @ w.T
    return y if b is None else y + b


def rope_cos_sin(seq_len):
    inv_freq = 1.0 / (ROPE_BASE ** (np.arange(0, ROTARY_NDIMS, 2, dtype=np.float64) / ROTARY_NDIMS))
    pos = np.arange(seq_len, dtype=np.float64)
    freqs = np.outer(pos, inv_freq)  # [seq, rot/2]
    emb = np.concatenate([freqs, freqs], axis=-1)  # [seq, rot]
    return np.cos(emb), np.sin(emb)


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


class Model:
    def __init__(self, tensors, parallel):
        self.w = {k: v.astype(np.float64) for k, v in tensors.items()}
        self.parallel = parallel

    # --- vectorised implementation -------------------------------------------
    def attn(self, i, h):
        p = f"gpt_neox.layers.{i}.attention."
        S = h.shape[0]
        qkv = linear(h, self.w[p + "query_key_value.weight"], self.w[p + "query_key_value.bias"])
        qkv = qkv.reshape(S, HEADS, 3 * HEAD_DIM).transpose(1, 0, 2)  # [H, S, 3*hd]
        q, k, v = qkv[..., :HEAD_DIM], qkv[..., HEAD_DIM:2 * HEAD_DIM], qkv[..., 2 * HEAD_DIM:]
        cos, sin = rope_cos_sin(S)
        r = ROTARY_NDIMS
        q = np.concatenate([q[..., :r] * cos + rotate_half(q[..., :r]) * sin, q[..., r:]], axis=-1)
        k = np.concatenate([k[..., :r] * cos + rotate_half(k[..., :r]) * sin, k[..., r:]], axis=-1)
        scores = q @ k.transpose(0, 2, 1) * (HEAD_DIM ** -0.5)
        mask = np.tril(np.ones((S, S), dtype=bool))
        scores = np.where(mask, scores, -np.inf)
        scores = scores - scores.max(axis=-1, keepdims=True)
        pr = np.exp(scores)
        pr = pr / pr.sum(axis=-1, keepdims=True)
        self._last_probs = pr
        o = (pr @ v).transpose(1, 0, 2).reshape(S, HIDDEN)
        return linear(o, self.w[p + "dense.weight"], self.w[p + "dense.bias"])

    def mlp(self, i, h):
        p = f"gpt_neox.layers.{i}.mlp."
        a = linear(h, self.w[p + "dense_h_to_4h.weight"], self.w[p + "dense_h_to_4h.bias"])
        self._last_preact = a
        return linear(erf_gelu(a), self.w[p + "dense_4h_to_h.weight"], self.w[p + "dense_4h_to_h.bias"])

    def block(self, i, x, attn_fn=None, mlp_fn=None):
        attn_fn = attn_fn or self.attn
        mlp_fn = mlp_fn or self.mlp
        p = f"gpt_neox.layers.{i}."
        ln1 = lambda t: layer_norm(t, self.w[p + "input_layernorm.weight"], self.w[p + "input_layernorm.bias"])
        ln2 = lambda t: layer_norm(t, self.w[p + "post_attention_layernorm.weight"],
                                   self.w[p + "post_attention_layernorm.bias"])
        a = attn_fn(i, ln1(x))
        if self.parallel:
            return x + a + mlp_fn(i, ln2(x))
        y = x + a
        return y + mlp_fn(i, ln2(y))

    # --- loop-based second implementation (per head, per query, per key) ---------
    def attn_loop(self, i, h):
        p = f"gpt_neox.layers.{i}.attention."
        W = self.w[p + "query_key_value.weight"]
        B = self.w[p + "query_key_value.bias"]
        S = h.shape[0]
        out = np.zeros((S, HIDDEN))
        half = ROTARY_NDIMS // 2
        for hd in range(HEADS):
            base = hd * 3 * HEAD_DIM
            Wq, Wk, Wv = (W[base + t * HEAD_DIM: base + (t + 1) * HEAD_DIM] for t in range(3))
            bq, bk, bv = (B[base + t * HEAD_DIM: base + (t + 1) * HEAD_DIM] for t in range(3))
            qs, ks, vs = [], [], []
            for s in range(S):
                q = Wq @ h[s] + bq
                k = Wk @ h[s] + bk
                v = Wv @ h[s] + bv
                # rotary as 2-D rotations of the pairs (j, j + half), j < half, within the first ROTARY_NDIMS
                q2, k2 = q.copy(), k.copy()
                for j in range(half):
                    th = s * ROPE_BASE ** (-2.0 * j / ROTARY_NDIMS)
                    c, sn = math.cos(th), math.sin(th)
                    q2[j], q2[j + half] = q[j] * c - q[j + half] * sn, q[j + half] * c + q[j] * sn
                    k2[j], k2[j + half] = k[j] * c - k[j + half] * sn, k[j + half] * c + k[j] * sn
                qs.append(q2)
                ks.append(k2)
                vs.append(v)
            for s in range(S):
                sc = [float(np.dot(qs[s], ks[t])) / math.sqrt(HEAD_DIM) for t in range(s + 1)]
                m = max(sc)
                e = [math.exp(x - m) for x in sc]
                z = sum(e)
                o = sum((e[t] / z) * vs[t] for t in range(s + 1))
                out[s, hd * HEAD_DIM:(hd + 1) * HEAD_DIM] = o
        Wd, bd = self.w[p + "dense.weight"], self.w[p + "dense.bias"]
        return np.stack([Wd @ out[s] + bd for s in range(S)])

    def mlp_loop(self, i, h):
        p = f"gpt_neox.layers.{i}.mlp."
        W1, b1 = self.w[p + "dense_h_to_4h.weight"], self.w[p + "dense_h_to_4h.bias"]
        W2, b2 = self.w[p + "dense_4h_to_h.weight"], self.w[p + "dense_4h_to_h.bias"]
        rows = []
        for s in range(h.shape[0]):
            a = W1 @ h[s] + b1
            g = np.array([0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0))) for x in a])
            rows.append(W2 @ g + b2)
        return np.stack(rows)

    # --- whole model ------------------------------------------------------------------
    def embed(self, ids):
        return self.w["gpt_neox.embed_in.weight"][np.asarray(ids)]

    def head(self, x):
        h = layer_norm(x, self.w["gpt_neox.final_layer_norm.weight"], self.w["gpt_neox.final_layer_norm.bias"])
        return linear(h, self.w["embed_out.weight"])

    def run(self, ids, steps, loop=False):
        kw = dict(attn_fn=self.attn_loop, mlp_fn=self.mlp_loop) if loop else {}
        x = self.embed(ids)
        emb = x.copy()
        res = []
        for step in steps:
            outs = [self.block(i, x, **kw) for i in step]
            x = sum(outs) / len(outs)
            res.append(x.copy())
        logits = self.head(x)
        return emb, res, logits[-1]


# ----------------------------------------------------------------------------- golden


def r10(a):
    return [float("%.10g" % v) for v in np.asarray(a, dtype=np.float64).ravel()]


def margin(l):
    s = np.sort(l)
    return float(s[-1] - s[-2])


def greedy(model, ids, steps, n=N_GREEDY):
    ids = list(ids)
    out, mins = [], []
    for _ in range(n):
        _, _, last = model.run(ids, steps)
        t = int(np.argmax(last))
        mins.append(margin(last))
        out.append(t)
        ids.append(t)
    return out, min(mins)


def config_json(parallel):
    return {
        "architectures": ["GPTNeoXForCausalLM"],
        "attention_bias": True,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "classifier_dropout": 0.1,
        "eos_token_id": 2,
        "hidden_act": "gelu",
        "hidden_dropout": 0.0,
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTER,
        "layer_norm_eps": EPS,
        "max_position_embeddings": MAX_POS,
        "model_type": "gpt_neox",
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "rope_scaling": None,
        "rope_parameters": {"rope_type": "default", "rope_theta": ROPE_BASE, "partial_rotary_factor": ROTARY_PCT},
        "rotary_emb_base": int(ROPE_BASE),
        "rotary_pct": ROTARY_PCT,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "use_cache": True,
        "use_parallel_residual": parallel,
        "vocab_size": VOCAB,
    }


def make_variant(variant, seed, parallel):
    out_dir = os.path.join(REFS, variant)
    os.makedirs(out_dir, exist_ok=True)
    tensors, seqs = make_weights(seed)
    st_path = os.path.join(out_dir, "model.safetensors")
    write_safetensors(st_path, tensors)
    back, header = read_safetensors(st_path)
    assert list(back.keys()) == [n for n, _ in tensors]
    for n, a in tensors:
        assert back[n].shape == a.shape and np.array_equal(back[n].view(np.uint32), a.view(np.uint32)), n
    model = Model(back, parallel)  # compute from the values read back from the file

    results = []
    gmin = math.inf
    stats = {"max_prob_mean": [], "preact_abs_mean": [], "delta_ratio": []}
    for plan in PLANS:
        has_par = any(len(s) > 1 for s in plan["steps"])
        for si, ids in enumerate(seqs):
            emb, res, last = model.run(ids, plan["steps"])
            entry = {"plan": plan["name"], "sequence": si, "embedding": r10(emb),
                     "residuals": [r10(r) for r in res], "last_logits": r10(last)}
            if si == 0 and not has_par:
                g, m = greedy(model, ids, plan["steps"])
                entry["greedy"] = g
                gmin = min(gmin, m)
            results.append(entry)
    assert gmin > 1e-3, f"greedy margin too small: {gmin}"

    # second way: loop-based attention/MLP for every plan and sequence
    maxdiff_logits = 0.0
    maxdiff_res = 0.0
    for plan in PLANS:
        for si, ids in enumerate(seqs):
            _, res_a, last_a = model.run(ids, plan["steps"])
            _, res_b, last_b = model.run(ids, plan["steps"], loop=True)
            maxdiff_logits = max(maxdiff_logits, float(np.max(np.abs(last_a - last_b))))
            maxdiff_res = max(maxdiff_res, max(float(np.max(np.abs(a - b))) for a, b in zip(res_a, res_b)))
    assert maxdiff_logits < 1e-10 and maxdiff_res < 1e-10

    # mechanism statistics (identity plan, longest sequence)
    ids = seqs[2]
    x = model.embed(ids)
    for i in range(LAYERS):
        p = f"gpt_neox.layers.{i}."
        y = model.block(i, x)
        stats["max_prob_mean"].append(float(model._last_probs[:, 4:, :].max(axis=-1).mean()))
        stats["preact_abs_mean"].append(float(np.abs(model._last_preact).mean()))
        stats["delta_ratio"].append(float(np.linalg.norm(y - x) / np.linalg.norm(x)))
        x = y
    final_logits = model.head(x)[-1]

    golden = {
        "format": "painters-family-golden/1",
        "model_type": "gpt_neox",
        "variant": variant,
        "reference": "numpy float64 from transformers " + TRANSFORMERS_REF,
        "seed": seed,
        "sequences": seqs,
        "plans": PLANS,
        "results": results,
        "greedy_min_margin": float("%.10g" % gmin),
    }
    with open(os.path.join(out_dir, "golden.json"), "w") as f:
        json.dump(golden, f)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config_json(parallel), f, indent=2)
    shutil.copyfile(os.path.join(REFS, "tokenizer.json"), os.path.join(out_dir, "tokenizer.json"))

    residual = ("parallel: x + attn(ln1(x)) + mlp(ln2(x))" if parallel
                else "sequential: y = x + attn(ln1(x)); out = y + mlp(ln2(y))")
    readme = f"""# {variant}

Tiny random-weight GPT-NeoX (Pythia layout, `GPTNeoXForCausalLM`) checkpoint with float64 numpy goldens.

Exercises: learned token embedding `gpt_neox.embed_in` (no position embedding), LayerNorm with bias
(eps 1e-5), fused `attention.query_key_value` in the per-head layout (its 3*hidden output rows are
[heads=2, (q,k,v), head_dim=16]; same order for the bias), partial rotary (rotary_pct 0.5: the first 8 of each
head's 16 dims rotated, rotate-half within those 8 dims, i.e. pairs (j, j+4); base 10000; the other 8 dims
pass through), scale 1/sqrt(head_dim), causal softmax, `attention.dense` with bias, MLP
dense_h_to_4h -> exact erf GELU ("gelu") -> dense_4h_to_h (with biases), residual {residual},
final LayerNorm `gpt_neox.final_layer_norm`, untied `embed_out` (no bias). Sizes: hidden 32, 4 layers,
2 heads (no GQA in GPT-NeoX), intermediate 64, vocab 96, max positions 64. All tensors F32.

Reference: written from transformers {TRANSFORMERS_REF}.
(The transformers snapshot was too large for the `fetch` tool; the files were read through the stored-file index.)

Seed: {seed} (`numpy.random.default_rng`); weights N(0, 0.15^2) for dense/MLP, N(0, 0.25^2) for
query_key_value, N(0, 0.5^2) for embed_out, N(0, 1) for embed_in, LayerNorm weights 1 + 0.2 N(0,1),
all biases 0.1 N(0,1). The reference computes in float64 from the float32 values read back from model.safetensors.

Regenerate: `python3 /work/refs/scripts/gpt_neox_reference.py` (makes gpt_neox and gpt_neox_sequential).

Self-checks (run by the script):
- model.safetensors reads back bit-exactly to the arrays used (header order, contiguous offsets, no trailing bytes).
- Second implementation (per-head / per-position loops, rotary as explicit 2-D pair rotations, scalar erf GELU)
  vs the vectorised one, all 5 plans x 3 sequences: max |diff| last logits {maxdiff_logits:.3e}, residuals {maxdiff_res:.3e}.
- greedy_min_margin {gmin:.6g} (> 1e-3).
- Mechanism stats (identity plan, 12-token sequence, per layer): mean max attention prob over positions >= 4:
  {[round(v, 3) for v in stats['max_prob_mean']]}; mean |MLP pre-activation|: {[round(v, 3) for v in stats['preact_abs_mean']]};
  |block(x) - x| / |x|: {[round(v, 3) for v in stats['delta_ratio']]}; last-logit std {float(np.std(final_logits)):.3f}.
"""
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(readme)
    print(variant, "greedy_min_margin", gmin, "loop-vs-vector", maxdiff_logits, maxdiff_res, stats)
    return gmin


if __name__ == "__main__":
    make_variant("gpt_neox", 1237, True)
    make_variant("gpt_neox_sequential", 4331, False)
