#!/usr/bin/env python3
"""Float64 numpy reference + tiny random-weight checkpoint for GPT-2 (GPT2LMHeadModel).

Makes /work/refs/gpt2.  Independent re-implementation of the published architecture as described by
transformers src/transformers/models/gpt2/modeling_gpt2.py and configuration_gpt2.py (see README.md for
the commit read).  Tensor names as the original `gpt2` hub checkpoint stores them (no `transformer.`
prefix), Conv1D weights [in, out], tied LM head (no lm_head tensor), plus the old non-persistent buffers
`h.N.attn.bias` ([1,1,64,64] lower-triangular) and `h.N.attn.masked_bias` (scalar -1e4) that a reader must ignore.

Usage: python3 /work/refs/scripts/gpt2_reference.py
"""
import json
import math
import os
import shutil
import struct

import numpy as np

REFS = "/work/refs"
TRANSFORMERS_REF = (
    "src/transformers/models/gpt2/modeling_gpt2.py at commit 0010f60284ab4b9d14b7df9c6525b1a2ad44e640 "
    "(with configuration_gpt2.py at 01ae98ae2414210efd0d9ac1ffe78ff21588f1f7 and activations.py at "
    "00e12e7c54598e50e7bef1540db3408f81916de1)"
)

VARIANT = "gpt2"
SEED = 2032
HIDDEN = 32
LAYERS = 4
HEADS = 4
HEAD_DIM = HIDDEN // HEADS  # 8
VOCAB = 96
INNER = 4 * HIDDEN  # n_inner null -> 4 * n_embd = 128
N_POS = 64
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
    hb += b" " * ((8 - len(hb) % 8) % 8)
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

    def conv1d(in_f, out_f, std=0.15):  # Conv1D stores [in, out]
        return f32(rng.normal(0.0, std, size=(in_f, out_f)))

    def bias(n):
        return f32(0.1 * rng.normal(size=n))

    def normw(n):
        return f32(1.0 + 0.2 * rng.normal(size=n))

    t = []
    t.append(("wte.weight", f32(rng.normal(size=(VOCAB, HIDDEN)))))
    t.append(("wpe.weight", f32(rng.normal(size=(N_POS, HIDDEN)))))
    causal = np.tril(np.ones((N_POS, N_POS), dtype=np.float32)).reshape(1, 1, N_POS, N_POS)
    for i in range(LAYERS):
        p = f"h.{i}."
        t.append((p + "ln_1.weight", normw(HIDDEN)))
        t.append((p + "ln_1.bias", bias(HIDDEN)))
        t.append((p + "attn.bias", causal))  # old buffer: must be ignored by the reader
        t.append((p + "attn.masked_bias", np.array(-1e4, dtype=np.float32)))  # old buffer, shape []
        t.append((p + "attn.c_attn.weight", conv1d(HIDDEN, 3 * HIDDEN, 0.25)))  # columns q | k | v
        t.append((p + "attn.c_attn.bias", bias(3 * HIDDEN)))
        t.append((p + "attn.c_proj.weight", conv1d(HIDDEN, HIDDEN)))
        t.append((p + "attn.c_proj.bias", bias(HIDDEN)))
        t.append((p + "ln_2.weight", normw(HIDDEN)))
        t.append((p + "ln_2.bias", bias(HIDDEN)))
        t.append((p + "mlp.c_fc.weight", conv1d(HIDDEN, INNER)))
        t.append((p + "mlp.c_fc.bias", bias(INNER)))
        t.append((p + "mlp.c_proj.weight", conv1d(INNER, HIDDEN)))
        t.append((p + "mlp.c_proj.bias", bias(HIDDEN)))
    t.append(("ln_f.weight", normw(HIDDEN)))
    t.append(("ln_f.bias", bias(HIDDEN)))
    seqs = []
    for L in SEQ_LENS:
        seqs.append([1] + [int(x) for x in rng.integers(3, VOCAB, size=L - 1)])
    return t, seqs


# ----------------------------------------------------------------------------- math


def gelu_new(x):
    # "gelu_new" (NewGELUActivation): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def layer_norm(x, w, b):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * w + b


class Model:
    def __init__(self, tensors):
        # the reader ignores the old attn.bias / attn.masked_bias buffers
        self.w = {k: v.astype(np.float64) for k, v in tensors.items()
                  if not (k.endswith(".attn.bias") or k.endswith(".attn.masked_bias"))}

    # --- vectorised implementation -------------------------------------------
    def attn(self, i, h):
        p = f"h.{i}.attn."
        S = h.shape[0]
        qkv = h @ self.w[p + "c_attn.weight"] + self.w[p + "c_attn.bias"]  # Conv1D: x @ W[in,out] + b
        q, k, v = (qkv[:, j * HIDDEN:(j + 1) * HIDDEN].reshape(S, HEADS, HEAD_DIM).transpose(1, 0, 2)
                   for j in range(3))
        # scale_attn_weights=True: / sqrt(head_dim); scale_attn_by_inverse_layer_idx=False
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(HEAD_DIM)
        mask = np.tril(np.ones((S, S), dtype=bool))
        scores = np.where(mask, scores, -np.inf)
        scores = scores - scores.max(axis=-1, keepdims=True)
        pr = np.exp(scores)
        pr = pr / pr.sum(axis=-1, keepdims=True)
        self._last_probs = pr
        o = (pr @ v).transpose(1, 0, 2).reshape(S, HIDDEN)
        return o @ self.w[p + "c_proj.weight"] + self.w[p + "c_proj.bias"]

    def mlp(self, i, h):
        p = f"h.{i}.mlp."
        a = h @ self.w[p + "c_fc.weight"] + self.w[p + "c_fc.bias"]
        self._last_preact = a
        return gelu_new(a) @ self.w[p + "c_proj.weight"] + self.w[p + "c_proj.bias"]

    def block(self, i, x, attn_fn=None, mlp_fn=None):
        attn_fn = attn_fn or self.attn
        mlp_fn = mlp_fn or self.mlp
        p = f"h.{i}."
        y = x + attn_fn(i, layer_norm(x, self.w[p + "ln_1.weight"], self.w[p + "ln_1.bias"]))
        return y + mlp_fn(i, layer_norm(y, self.w[p + "ln_2.weight"], self.w[p + "ln_2.bias"]))

    # --- loop-based second implementation ---------------------------------------
    def attn_loop(self, i, h):
        p = f"h.{i}.attn."
        W, B = self.w[p + "c_attn.weight"], self.w[p + "c_attn.bias"]
        S = h.shape[0]
        out = np.zeros((S, HIDDEN))
        for hd in range(HEADS):
            cols = [slice(j * HIDDEN + hd * HEAD_DIM, j * HIDDEN + (hd + 1) * HEAD_DIM) for j in range(3)]
            qs = [W[:, cols[0]].T @ h[s] + B[cols[0]] for s in range(S)]
            ks = [W[:, cols[1]].T @ h[s] + B[cols[1]] for s in range(S)]
            vs = [W[:, cols[2]].T @ h[s] + B[cols[2]] for s in range(S)]
            for s in range(S):
                sc = [float(np.dot(qs[s], ks[t])) / math.sqrt(HEAD_DIM) for t in range(s + 1)]
                m = max(sc)
                e = [math.exp(x - m) for x in sc]
                z = sum(e)
                out[s, hd * HEAD_DIM:(hd + 1) * HEAD_DIM] = sum((e[t] / z) * vs[t] for t in range(s + 1))
        Wp, bp = self.w[p + "c_proj.weight"], self.w[p + "c_proj.bias"]
        return np.stack([Wp.T @ out[s] + bp for s in range(S)])

    def mlp_loop(self, i, h):
        p = f"h.{i}.mlp."
        W1, b1 = self.w[p + "c_fc.weight"], self.w[p + "c_fc.bias"]
        W2, b2 = self.w[p + "c_proj.weight"], self.w[p + "c_proj.bias"]
        c = math.sqrt(2.0 / math.pi)
        rows = []
        for s in range(h.shape[0]):
            a = W1.T @ h[s] + b1
            g = np.array([0.5 * x * (1.0 + math.tanh(c * (x + 0.044715 * x * x * x))) for x in a])
            rows.append(W2.T @ g + b2)
        return np.stack(rows)

    # --- whole model ------------------------------------------------------------------
    def embed(self, ids):
        ids = np.asarray(ids)
        return self.w["wte.weight"][ids] + self.w["wpe.weight"][np.arange(len(ids))]

    def head(self, x):
        h = layer_norm(x, self.w["ln_f.weight"], self.w["ln_f.bias"])
        return h @ self.w["wte.weight"].T  # tied lm_head

    def run(self, ids, steps, loop=False):
        kw = dict(attn_fn=self.attn_loop, mlp_fn=self.mlp_loop) if loop else {}
        x = self.embed(ids)
        emb = x.copy()
        res = []
        for step in steps:
            outs = [self.block(i, x, **kw) for i in step]
            x = sum(outs) / len(outs)
            res.append(x.copy())
        return emb, res, self.head(x)[-1]


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


def config_json():
    return {
        "activation_function": "gelu_new",
        "add_cross_attention": False,
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": 0.1,
        "bos_token_id": 1,
        "embd_pdrop": 0.1,
        "eos_token_id": 2,
        "initializer_range": 0.02,
        "layer_norm_epsilon": EPS,
        "model_type": "gpt2",
        "n_ctx": N_POS,
        "n_embd": HIDDEN,
        "n_head": HEADS,
        "n_inner": None,
        "n_layer": LAYERS,
        "n_positions": N_POS,
        "reorder_and_upcast_attn": False,
        "resid_pdrop": 0.1,
        "scale_attn_by_inverse_layer_idx": False,
        "scale_attn_weights": True,
        "summary_activation": None,
        "summary_first_dropout": 0.1,
        "summary_proj_to_labels": True,
        "summary_type": "cls_index",
        "summary_use_proj": True,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": VOCAB,
    }


def main():
    out_dir = os.path.join(REFS, VARIANT)
    os.makedirs(out_dir, exist_ok=True)
    tensors, seqs = make_weights(SEED)
    st_path = os.path.join(out_dir, "model.safetensors")
    write_safetensors(st_path, tensors)
    back, header = read_safetensors(st_path)
    assert list(back.keys()) == [n for n, _ in tensors]
    for n, a in tensors:
        assert back[n].shape == a.shape and np.array_equal(back[n].view(np.uint32), a.view(np.uint32)), n
    assert "lm_head.weight" not in back
    model = Model(back)

    results = []
    gmin = math.inf
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

    maxdiff_logits = 0.0
    maxdiff_res = 0.0
    for plan in PLANS:
        for si, ids in enumerate(seqs):
            _, res_a, last_a = model.run(ids, plan["steps"])
            _, res_b, last_b = model.run(ids, plan["steps"], loop=True)
            maxdiff_logits = max(maxdiff_logits, float(np.max(np.abs(last_a - last_b))))
            maxdiff_res = max(maxdiff_res, max(float(np.max(np.abs(a - b))) for a, b in zip(res_a, res_b)))
    assert maxdiff_logits < 1e-10 and maxdiff_res < 1e-10

    stats = {"max_prob_mean": [], "preact_abs_mean": [], "delta_ratio": []}
    x = model.embed(seqs[2])
    for i in range(LAYERS):
        y = model.block(i, x)
        stats["max_prob_mean"].append(float(model._last_probs[:, 4:, :].max(axis=-1).mean()))
        stats["preact_abs_mean"].append(float(np.abs(model._last_preact).mean()))
        stats["delta_ratio"].append(float(np.linalg.norm(y - x) / np.linalg.norm(x)))
        x = y
    final_logits = model.head(x)[-1]

    golden = {
        "format": "painters-family-golden/1",
        "model_type": "gpt2",
        "variant": VARIANT,
        "reference": "numpy float64 from transformers " + TRANSFORMERS_REF,
        "seed": SEED,
        "sequences": seqs,
        "plans": PLANS,
        "results": results,
        "greedy_min_margin": float("%.10g" % gmin),
    }
    with open(os.path.join(out_dir, "golden.json"), "w") as f:
        json.dump(golden, f)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config_json(), f, indent=2)
    shutil.copyfile(os.path.join(REFS, "tokenizer.json"), os.path.join(out_dir, "tokenizer.json"))

    readme = f"""# {VARIANT}

Tiny random-weight GPT-2 (`GPT2LMHeadModel`) checkpoint with float64 numpy goldens.

Exercises: tensor names as the original `gpt2` hub checkpoint stores them (no `transformer.` prefix:
`wte`, `wpe`, `h.N.ln_1`, `h.N.attn.c_attn`, `h.N.attn.c_proj`, `h.N.ln_2`, `h.N.mlp.c_fc`, `h.N.mlp.c_proj`,
`ln_f`); Conv1D weights stored [in, out] (y = x @ W + b; c_attn [32, 96] with columns q | k | v, each split
head-major into 4 heads of 8); learned absolute position embeddings `wpe` (n_positions 64) added to `wte`;
pre-LN blocks y = x + attn(ln_1(x)); out = y + mlp(ln_2(y)); LayerNorm with bias (eps 1e-5);
scale_attn_weights=True (scores / sqrt(head_dim=8)), scale_attn_by_inverse_layer_idx=False,
reorder_and_upcast_attn=False; causal softmax; MLP c_fc (32 -> 128, n_inner null = 4*n_embd) ->
"gelu_new" (tanh approximation) -> c_proj; final `ln_f`; tied LM head (logits = ln_f(x) @ wte^T, no
lm_head tensor in the file). The file also carries the old buffers `h.N.attn.bias` (F32 [1,1,64,64]
lower-triangular ones) and `h.N.attn.masked_bias` (F32 scalar, shape [], -1e4) for every N, as old GPT-2
checkpoints do; the reference ignores them and so must the reader. All tensors F32.

Reference: written from transformers {TRANSFORMERS_REF}.
(The transformers snapshot was too large for the `fetch` tool; the files were read through the stored-file index.)

Seed: {SEED} (`numpy.random.default_rng`); c_attn N(0, 0.25^2), other Conv1D weights N(0, 0.15^2), wte and wpe
N(0, 1), LayerNorm weights 1 + 0.2 N(0,1), all biases 0.1 N(0,1). The reference computes in float64 from the
float32 values read back from model.safetensors.

Regenerate: `python3 /work/refs/scripts/gpt2_reference.py`.

Self-checks (run by the script):
- model.safetensors reads back bit-exactly to the arrays used (header order, contiguous offsets, no trailing bytes).
- Second implementation (per-head / per-position loops, explicit Conv1D column slices, scalar tanh GELU) vs the
  vectorised one, all 5 plans x 3 sequences: max |diff| last logits {maxdiff_logits:.3e}, residuals {maxdiff_res:.3e}.
- greedy_min_margin {gmin:.6g} (> 1e-3).
- Mechanism stats (identity plan, 12-token sequence, per layer): mean max attention prob over positions >= 4:
  {[round(v, 3) for v in stats['max_prob_mean']]}; mean |MLP pre-activation|: {[round(v, 3) for v in stats['preact_abs_mean']]};
  |block(x) - x| / |x|: {[round(v, 3) for v in stats['delta_ratio']]}; last-logit std {float(np.std(final_logits)):.3f}.
"""
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(readme)
    print(VARIANT, "greedy_min_margin", gmin, "loop-vs-vector", maxdiff_logits, maxdiff_res, stats)


if __name__ == "__main__":
    main()
