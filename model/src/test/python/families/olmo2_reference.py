#!/usr/bin/env python3
"""float64 numpy reference + tiny random checkpoint for OLMo 2 (model_type olmo2, F32).

Written from the architecture as described by transformers
  src/transformers/models/olmo2/modeling_olmo2.py      (commit 7264638d7b0ab5841670813ebed806189b8f7b71)
  src/transformers/models/olmo2/configuration_olmo2.py (commit d9ba0a3fef608b3acf672f456b3462446f75bf17)

Usage: python3 /work/refs/scripts/olmo2_reference.py            (writes /work/refs/olmo2)
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gemma_olmo2_common as C  # noqa: E402

OLMO2_COMMIT = "7264638d7b0ab5841670813ebed806189b8f7b71"
MPATH = "src/transformers/models/olmo2/modeling_olmo2.py"
HIDDEN, LAYERS, HEADS, KV, VOCAB, INTER, MAXPOS = 32, 4, 4, 2, 96, 64, 64
SEED = 1234
EMB_STD, PROJ_STD, HEAD_STD = 1.0, 0.15, 0.3


def olmo2_config():
    return {
        "architectures": ["Olmo2ForCausalLM"],
        "model_type": "olmo2",
        "vocab_size": VOCAB,
        "hidden_size": HIDDEN,
        "intermediate_size": INTER,
        "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS,
        "num_key_value_heads": KV,
        "hidden_act": "silu",
        "max_position_embeddings": MAXPOS,
        "initializer_range": 0.02,
        "use_cache": True,
        "pad_token_id": 0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "tie_word_embeddings": False,
        "rope_theta": 10000.0,
        "rope_scaling": None,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "rms_norm_eps": 1e-6,
        "torch_dtype": "float32",
    }


class Olmo2:
    def __init__(self, cfg, W):
        self.cfg = cfg
        self.W = W
        self.nh = cfg["num_attention_heads"]
        self.nkv = cfg["num_key_value_heads"]
        self.hd = cfg["hidden_size"] // self.nh  # no head_dim in Olmo2Config
        self.eps = cfg["rms_norm_eps"]
        self.scale = self.hd ** -0.5

    # Olmo2RMSNorm (T5-style): w * x / sqrt(mean(x^2) + eps)
    def norm(self, name, x):
        return self.W[name] * C.rms(x, self.eps)

    def embed(self, ids):
        return self.W["model.embed_tokens.weight"][np.asarray(ids)]  # no embedding scaling

    def attention(self, li, x):
        p = f"model.layers.{li}.self_attn."
        T = x.shape[0]
        # q_norm / k_norm act on the WHOLE projection width (num_heads*head_dim, num_kv_heads*head_dim), before RoPE
        q = self.norm(p + "q_norm.weight", x @ self.W[p + "q_proj.weight"].T)
        k = self.norm(p + "k_norm.weight", x @ self.W[p + "k_proj.weight"].T)
        v = x @ self.W[p + "v_proj.weight"].T
        q = q.reshape(T, self.nh, self.hd).transpose(1, 0, 2)
        k = k.reshape(T, self.nkv, self.hd).transpose(1, 0, 2)
        v = v.reshape(T, self.nkv, self.hd).transpose(1, 0, 2)
        cos, sin = C.rope_cos_sin(T, self.hd, self.cfg["rope_theta"])
        q, k = C.apply_rope(q, cos, sin), C.apply_rope(k, cos, sin)
        g = self.nh // self.nkv
        k, v = np.repeat(k, g, axis=0), np.repeat(v, g, axis=0)
        s = q @ k.transpose(0, 2, 1) * self.scale
        s = np.where(np.tril(np.ones((T, T), bool))[None], s, -np.inf)
        o = (C.softmax(s) @ v).transpose(1, 0, 2).reshape(T, self.nh * self.hd)
        return o @ self.W[p + "o_proj.weight"].T

    def mlp(self, li, x):
        p = f"model.layers.{li}.mlp."
        return (C.silu(x @ self.W[p + "gate_proj.weight"].T) * (x @ self.W[p + "up_proj.weight"].T)) @ \
            self.W[p + "down_proj.weight"].T

    def block(self, li, x):
        p = f"model.layers.{li}."
        x = x + self.norm(p + "post_attention_layernorm.weight", self.attention(li, x))  # no pre-norm
        x = x + self.norm(p + "post_feedforward_layernorm.weight", self.mlp(li, x))
        return x

    def head(self, x):
        return self.norm("model.norm.weight", x) @ self.W["lm_head.weight"].T  # untied head

    # ---- second, loop-based implementation for self-check
    def slow_logits(self, ids):
        W, T, hd, nh, nkv = self.W, len(ids), self.hd, self.nh, self.nkv
        theta = self.cfg["rope_theta"]

        def rmsn(vec, w):
            r = 1.0 / math.sqrt(sum(float(t) ** 2 for t in vec) / len(vec) + self.eps)
            return np.array([float(w[c]) * float(vec[c]) * r for c in range(len(vec))])

        def rot(vec, pos):
            out, half = np.empty(hd), hd // 2
            for m in range(half):
                ang = pos * theta ** (-(2.0 * m) / hd)
                c, s = math.cos(ang), math.sin(ang)
                out[m] = vec[m] * c - vec[m + half] * s
                out[m + half] = vec[m + half] * c + vec[m] * s
            return out

        x = [W["model.embed_tokens.weight"][t].copy() for t in ids]
        for li in range(LAYERS):
            p = f"model.layers.{li}."
            qf = [rmsn(W[p + "self_attn.q_proj.weight"] @ x[t], W[p + "self_attn.q_norm.weight"]) for t in range(T)]
            kf = [rmsn(W[p + "self_attn.k_proj.weight"] @ x[t], W[p + "self_attn.k_norm.weight"]) for t in range(T)]
            Q = [[rot(qf[t][h * hd:(h + 1) * hd], t) for h in range(nh)] for t in range(T)]
            K = [[rot(kf[t][h * hd:(h + 1) * hd], t) for h in range(nkv)] for t in range(T)]
            V = [[W[p + "self_attn.v_proj.weight"][h * hd:(h + 1) * hd] @ x[t] for h in range(nkv)] for t in range(T)]
            newx = []
            for t in range(T):
                cat = []
                for h in range(nh):
                    kh = h // (nh // nkv)
                    sc = [sum(Q[t][h][d] * K[j][kh][d] for d in range(hd)) * self.scale for j in range(t + 1)]
                    mx = max(sc)
                    ex = [math.exp(s - mx) for s in sc]
                    z = sum(ex)
                    o = np.zeros(hd)
                    for j in range(t + 1):
                        o += ex[j] / z * V[j][kh]
                    cat.extend(o.tolist())
                xr = x[t] + rmsn(W[p + "self_attn.o_proj.weight"] @ np.array(cat), W[p + "post_attention_layernorm.weight"])
                gg = W[p + "mlp.gate_proj.weight"] @ xr
                uu = W[p + "mlp.up_proj.weight"] @ xr
                act = np.array([gg[c] / (1.0 + math.exp(-gg[c])) * uu[c] for c in range(len(gg))])
                newx.append(xr + rmsn(W[p + "mlp.down_proj.weight"] @ act, W[p + "post_feedforward_layernorm.weight"]))
            x = newx
        hl = rmsn(x[-1], W["model.norm.weight"])
        return np.array([float(np.dot(W["lm_head.weight"][v], hl)) for v in range(VOCAB)])


def make_weights(rng, cfg):
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = HIDDEN // nh
    tensors = []

    def add(name, arr):
        arr = C.f32_round(arr)
        while np.any(arr == 0.0):
            z = arr == 0.0
            arr[z] = C.f32_round(rng.normal(0.0, 0.1, size=int(z.sum())))
        tensors.append((name, arr))

    def proj(o, i, std=PROJ_STD):
        return rng.normal(0.0, std, size=(o, i))

    def normw(n=HIDDEN):
        return 1.0 + 0.2 * rng.normal(0.0, 1.0, size=(n,))

    add("model.embed_tokens.weight", rng.normal(0.0, EMB_STD, size=(VOCAB, HIDDEN)))
    for li in range(LAYERS):
        p = f"model.layers.{li}."
        add(p + "self_attn.q_proj.weight", proj(nh * hd, HIDDEN))
        add(p + "self_attn.k_proj.weight", proj(nkv * hd, HIDDEN))
        add(p + "self_attn.v_proj.weight", proj(nkv * hd, HIDDEN))
        add(p + "self_attn.o_proj.weight", proj(HIDDEN, nh * hd))
        add(p + "self_attn.q_norm.weight", normw(nh * hd))
        add(p + "self_attn.k_norm.weight", normw(nkv * hd))
        add(p + "mlp.gate_proj.weight", proj(INTER, HIDDEN))
        add(p + "mlp.up_proj.weight", proj(INTER, HIDDEN))
        add(p + "mlp.down_proj.weight", proj(HIDDEN, INTER))
        add(p + "post_attention_layernorm.weight", normw())
        add(p + "post_feedforward_layernorm.weight", normw())
    add("model.norm.weight", normw())
    add("lm_head.weight", proj(VOCAB, HIDDEN, HEAD_STD))
    tensors.sort(key=lambda kv: kv[0])
    return tensors


class PerHeadQK(Olmo2):
    """Sensitivity probe only: the (wrong) per-head q/k norm, to show the whole-width norm matters."""

    def attention(self, li, x):
        p = f"model.layers.{li}.self_attn."
        T = x.shape[0]
        qw, kw = self.W[p + "q_norm.weight"], self.W[p + "k_norm.weight"]
        q = (x @ self.W[p + "q_proj.weight"].T).reshape(T, self.nh, self.hd)
        k = (x @ self.W[p + "k_proj.weight"].T).reshape(T, self.nkv, self.hd)
        q = (C.rms(q, self.eps).reshape(T, -1) * qw).reshape(T, self.nh, self.hd).transpose(1, 0, 2)
        k = (C.rms(k, self.eps).reshape(T, -1) * kw).reshape(T, self.nkv, self.hd).transpose(1, 0, 2)
        v = (x @ self.W[p + "v_proj.weight"].T).reshape(T, self.nkv, self.hd).transpose(1, 0, 2)
        cos, sin = C.rope_cos_sin(T, self.hd, self.cfg["rope_theta"])
        q, k = C.apply_rope(q, cos, sin), C.apply_rope(k, cos, sin)
        g = self.nh // self.nkv
        k, v = np.repeat(k, g, axis=0), np.repeat(v, g, axis=0)
        s = q @ k.transpose(0, 2, 1) * self.scale
        s = np.where(np.tril(np.ones((T, T), bool))[None], s, -np.inf)
        o = (C.softmax(s) @ v).transpose(1, 0, 2).reshape(T, self.nh * self.hd)
        return o @ self.W[p + "o_proj.weight"].T


def build():
    cfg = olmo2_config()
    rng = np.random.default_rng(SEED)
    tensors = make_weights(rng, cfg)
    W = dict(tensors)
    seqs = C.make_sequences(rng)
    outdir = os.path.join(C.REFS, "olmo2")
    os.makedirs(outdir, exist_ok=True)
    st = os.path.join(outdir, "model.safetensors")
    C.write_safetensors(st, tensors, "F32")
    C.write_json(os.path.join(outdir, "config.json"), cfg, indent=2)
    C.copy_tokenizer(outdir)

    back, header = C.read_safetensors(st)
    assert set(back) == set(W)
    for n in W:
        assert back[n].shape == W[n].shape and np.array_equal(back[n], W[n]), n
        assert header[n]["dtype"] == "F32" and np.all(W[n] != 0.0), n
    model = Olmo2(cfg, back)
    ref = f"numpy float64 from transformers {MPATH} at commit {OLMO2_COMMIT}"
    golden, margin = C.build_golden(model, "olmo2", "olmo2", ref, SEED, seqs)
    C.write_json(os.path.join(outdir, "golden.json"), golden)

    maxdiff = 0.0
    for ids in seqs:
        _, _, lg = C.run_plan(model, ids, C.PLANS[0]["steps"])
        maxdiff = max(maxdiff, float(np.max(np.abs(lg[-1] - model.slow_logits(ids)))))
    assert margin > 1e-3, margin

    # sensitivity: per-head q/k norm instead of whole-width
    _, _, a = C.run_plan(model, seqs[2], C.PLANS[0]["steps"])
    _, _, b = C.run_plan(PerHeadQK(cfg, back), seqs[2], C.PLANS[0]["steps"])
    perhead = float(np.max(np.abs(a[-1] - b[-1])))
    # attention entropy diagnostics
    ents = []
    x = model.embed(seqs[2])
    for li in range(LAYERS):
        p = f"model.layers.{li}.self_attn."
        T = x.shape[0]
        q = model.norm(p + "q_norm.weight", x @ back[p + "q_proj.weight"].T).reshape(T, model.nh, model.hd).transpose(1, 0, 2)
        k = model.norm(p + "k_norm.weight", x @ back[p + "k_proj.weight"].T).reshape(T, model.nkv, model.hd).transpose(1, 0, 2)
        cos, sin = C.rope_cos_sin(T, model.hd, 10000.0)
        q, k = C.apply_rope(q, cos, sin), C.apply_rope(np.repeat(k, 2, 0), cos, sin)
        s = np.where(np.tril(np.ones((T, T), bool))[None], q @ k.transpose(0, 2, 1) * model.scale, -np.inf)
        pr = C.softmax(s)
        ent = -np.sum(pr * np.log(np.where(pr > 0, pr, 1.0)), -1)[:, -1]
        ents.append(float(np.mean(ent / np.log(T))))
        x = model.block(li, x)
    info = dict(outdir=outdir, seed=SEED, margin=margin, maxdiff=maxdiff, perhead_qknorm_logit_change=perhead,
                attn_entropy=ents)
    greedy = "; ".join(f"{r['plan']}: {r['greedy']}" for r in golden["results"] if "greedy" in r)
    with open(os.path.join(outdir, "README.md"), "w") as fh:
        fh.write(README.format(commit=OLMO2_COMMIT, mpath=MPATH, seed=SEED, maxdiff=maxdiff, margin=margin,
                               greedy=greedy, perhead=perhead, ents=np.round(ents, 3).tolist(),
                               emb=EMB_STD, proj=PROJ_STD, head=HEAD_STD))
    return info


README = """# olmo2 — tiny random Olmo2ForCausalLM (F32) + float64 numpy golden

What it exercises:
- NO pre-norms. Each block is
  `x = x + post_attention_layernorm(attn(x))`, then `x = x + post_feedforward_layernorm(mlp(x))`
  (the norms sit inside the residual branch, after the sublayer);
- q_norm / k_norm: RMSNorms over the WHOLE projection width, applied to `q_proj(x)` ([seq, 4*8 = 32], weight
  shape [32]) and `k_proj(x)` ([seq, 2*8 = 16], weight shape [16]) BEFORE the reshape into heads and before RoPE
  (`Olmo2Attention`: `self.q_norm = Olmo2RMSNorm(config.num_attention_heads * self.head_dim, ...)`,
  `query_states = self.q_norm(self.q_proj(hidden_states))`, then `.view(hidden_shape)`). A per-head norm instead
  would change the identity-plan last logits by up to {perhead:.3g};
- Olmo2RMSNorm is T5/Llama style: `w * x / sqrt(mean(x^2) + eps)` (weights stored as 1 + 0.2 N(0,1)), eps 1e-6;
- GQA 4 query heads / 2 kv heads, head_dim = hidden/heads = 8 (Olmo2Config has no head_dim), scale 8**-0.5;
- RoPE rotate-half, theta 1e4, positions 0..len-1;
- SwiGLU MLP `down(silu(gate(x)) * up(x))`;
- no embedding scaling; final `model.norm` then an UNTIED `lm_head.weight` (present in the file).

## Files
- `config.json` — HF config (Olmo2ForCausalLM, torch_dtype float32).
- `model.safetensors` — hand-written safetensors, F32, names/shapes as `save_pretrained` writes them
  ([out, in] Linear weights), sorted by name.
- `tokenizer.json` — copy of /work/refs/tokenizer.json.
- `golden.json` — format painters-family-golden/1 (see /work/refs/SPEC.md).

Reference: numpy float64, written independently from transformers `{mpath}` at commit `{commit}`
(and `configuration_olmo2.py` @ d9ba0a3fef608b3acf672f456b3462446f75bf17). Not derived from /work/main.

Seed {seed} (`numpy.random.default_rng`): weights drawn in the order of the layer loop, then the 3 sequences.
Weights: embeddings N(0, {emb}^2), projections N(0, {proj}^2), lm_head N(0, {head}^2), norm weights 1 + 0.2 N(0,1);
all nonzero.

Regenerate: `python3 /work/refs/scripts/olmo2_reference.py`

## Self-checks (run by the script)
- safetensors file re-read by an independent parser: names, shapes, dtype and every value identical to the arrays
  the reference used; all weights nonzero.
- identity-plan last logits recomputed with a scalar loop implementation (per head, per query, per key; RoPE by
  explicit pair rotation; python math exp): max |diff| over the 3 sequences = {maxdiff:.3g}.
- greedy_min_margin = {margin:.6g} (> 1e-3) over the 4 non-parallel plans x 8 steps on sequence 0.
- greedy tokens: {greedy}
- mean normalised attention entropy (last query row, sequence 2) per layer: {ents}
"""


if __name__ == "__main__":
    print(build())
