#!/usr/bin/env python3
"""float64 numpy reference + tiny random checkpoints for Gemma (model_type gemma, BF16) and Gemma 2
(model_type gemma2, F32).

Written from the architecture as described by transformers
  src/transformers/models/gemma/modeling_gemma.py      (commit c4cdd1a0d93642f0143c66609d4273efc74c22cf)
  src/transformers/models/gemma/configuration_gemma.py (commit 3676fc805228e63d9ae97b622d715af847c276c6)
  src/transformers/models/gemma2/modeling_gemma2.py    (commit 9a80143ca26066ee3266749a57c7b3850d8843be)
  src/transformers/models/gemma2/modular_gemma2.py     (commit 213da5a04374bcc99f879631d23687b4fa3bfce7)
  src/transformers/models/gemma2/configuration_gemma2.py (commit 19f5346140749359823ef26c4183bd8f1aed3db7)

Usage: python3 /work/refs/scripts/gemma_reference.py            (writes /work/refs/gemma and /work/refs/gemma2)
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gemma_olmo2_common as C  # noqa: E402

GEMMA_COMMIT = "c4cdd1a0d93642f0143c66609d4273efc74c22cf"
GEMMA2_COMMIT = "9a80143ca26066ee3266749a57c7b3850d8843be"

HIDDEN, LAYERS, HEADS, VOCAB, INTER, MAXPOS = 32, 4, 4, 96, 64, 64


class GemmaFamily:
    """Gemma / Gemma 2 decoder, float64. `v2` switches on the Gemma 2 extras."""

    def __init__(self, cfg, W, v2, normalizer):
        self.cfg = cfg
        self.W = W
        self.v2 = v2
        self.normalizer = normalizer
        self.hd = cfg["head_dim"]
        self.nh = cfg["num_attention_heads"]
        self.nkv = cfg["num_key_value_heads"]
        self.eps = cfg["rms_norm_eps"]
        if v2:
            self.scale = cfg["query_pre_attn_scalar"] ** -0.5
            self.attn_cap = cfg["attn_logit_softcapping"]
            self.final_cap = cfg["final_logit_softcapping"]
            self.window = cfg["sliding_window"]
        else:
            self.scale = self.hd ** -0.5
            self.attn_cap = None
            self.final_cap = None
            self.window = None

    # Gemma RMSNorm: x / sqrt(mean(x^2) + eps) * (1 + w)
    def norm(self, name, x):
        return C.rms(x, self.eps) * (1.0 + self.W[name])

    def is_sliding(self, li):
        # modeling_gemma2.py: self.sliding_window = config.sliding_window if not bool(layer_idx % 2) else None
        return self.v2 and (li % 2 == 0)

    def embed(self, ids):
        return self.W["model.embed_tokens.weight"][np.asarray(ids)] * self.normalizer

    def attention(self, li, h):
        p = f"model.layers.{li}.self_attn."
        T = h.shape[0]
        q = (h @ self.W[p + "q_proj.weight"].T).reshape(T, self.nh, self.hd).transpose(1, 0, 2)
        k = (h @ self.W[p + "k_proj.weight"].T).reshape(T, self.nkv, self.hd).transpose(1, 0, 2)
        v = (h @ self.W[p + "v_proj.weight"].T).reshape(T, self.nkv, self.hd).transpose(1, 0, 2)
        cos, sin = C.rope_cos_sin(T, self.hd, self.cfg["rope_theta"])
        q = C.apply_rope(q, cos, sin)
        k = C.apply_rope(k, cos, sin)
        g = self.nh // self.nkv
        k = np.repeat(k, g, axis=0)  # head h uses kv head h // g
        v = np.repeat(v, g, axis=0)
        s = q @ k.transpose(0, 2, 1) * self.scale  # [nh, T, T]
        if self.attn_cap is not None:
            s = C.softcap(s, self.attn_cap)
        i = np.arange(T)[:, None]
        j = np.arange(T)[None, :]
        allowed = j <= i
        if self.is_sliding(li):
            allowed &= (i - j) < self.window  # key at distance == window is masked
        s = np.where(allowed[None], s, -np.inf)
        pr = C.softmax(s, -1)
        o = (pr @ v).transpose(1, 0, 2).reshape(T, self.nh * self.hd)
        return o @ self.W[p + "o_proj.weight"].T

    def mlp(self, li, h):
        p = f"model.layers.{li}.mlp."
        gte = h @ self.W[p + "gate_proj.weight"].T
        up = h @ self.W[p + "up_proj.weight"].T
        return (C.gelu_tanh(gte) * up) @ self.W[p + "down_proj.weight"].T

    def block(self, li, x):
        p = f"model.layers.{li}."
        a = self.attention(li, self.norm(p + "input_layernorm.weight", x))
        if self.v2:
            a = self.norm(p + "post_attention_layernorm.weight", a)
            x = x + a
            m = self.mlp(li, self.norm(p + "pre_feedforward_layernorm.weight", x))
            m = self.norm(p + "post_feedforward_layernorm.weight", m)
        else:
            x = x + a
            m = self.mlp(li, self.norm(p + "post_attention_layernorm.weight", x))
        return x + m

    def head(self, x):
        h = self.norm("model.norm.weight", x)
        logits = h @ self.W["model.embed_tokens.weight"].T  # tied head
        if self.final_cap is not None:
            logits = C.softcap(logits, self.final_cap)
        return logits

    # ---- second, loop-based implementation (scalar per-head / per-position attention) for self-check
    def slow_logits(self, ids):
        W = self.W
        T = len(ids)
        hd, nh, nkv = self.hd, self.nh, self.nkv
        theta = self.cfg["rope_theta"]

        def rmsn(vec, w):
            ms = sum(float(t) * float(t) for t in vec) / len(vec)
            r = 1.0 / math.sqrt(ms + self.eps)
            return np.array([float(vec[c]) * r * (1.0 + float(w[c])) for c in range(len(vec))])

        def rot(vec, pos):
            out = np.empty(hd)
            half = hd // 2
            for m in range(half):
                ang = pos * theta ** (-(2.0 * m) / hd)
                c, s = math.cos(ang), math.sin(ang)
                out[m] = vec[m] * c - vec[m + half] * s
                out[m + half] = vec[m + half] * c + vec[m] * s
            return out

        def gelu(t):
            return 0.5 * t * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (t + 0.044715 * t * t * t)))

        x = [W["model.embed_tokens.weight"][t] * self.normalizer for t in ids]
        for li in range(LAYERS):
            p = f"model.layers.{li}."
            hs = [rmsn(x[t], W[p + "input_layernorm.weight"]) for t in range(T)]
            Q = [[rot(W[p + "self_attn.q_proj.weight"][hh * hd:(hh + 1) * hd] @ hs[t], t) for hh in range(nh)] for t in range(T)]
            K = [[rot(W[p + "self_attn.k_proj.weight"][kh * hd:(kh + 1) * hd] @ hs[t], t) for kh in range(nkv)] for t in range(T)]
            V = [[W[p + "self_attn.v_proj.weight"][kh * hd:(kh + 1) * hd] @ hs[t] for kh in range(nkv)] for t in range(T)]
            newx = []
            for t in range(T):
                cat = []
                for hh in range(nh):
                    kh = hh // (nh // nkv)
                    keys = [j for j in range(t + 1) if not (self.is_sliding(li) and t - j >= self.window)]
                    sc = []
                    for j in keys:
                        sv = sum(Q[t][hh][d] * K[j][kh][d] for d in range(hd)) * self.scale
                        if self.attn_cap is not None:
                            sv = self.attn_cap * math.tanh(sv / self.attn_cap)
                        sc.append(sv)
                    mx = max(sc)
                    ex = [math.exp(sv - mx) for sv in sc]
                    z = sum(ex)
                    o = np.zeros(hd)
                    for e, j in zip(ex, keys):
                        o += (e / z) * V[j][kh]
                    cat.extend(o.tolist())
                a = W[p + "self_attn.o_proj.weight"] @ np.array(cat)
                if self.v2:
                    a = rmsn(a, W[p + "post_attention_layernorm.weight"])
                xr = x[t] + a
                hm = rmsn(xr, W[p + ("pre_feedforward_layernorm.weight" if self.v2 else "post_attention_layernorm.weight")])
                gg = W[p + "mlp.gate_proj.weight"] @ hm
                uu = W[p + "mlp.up_proj.weight"] @ hm
                act = np.array([gelu(gg[c]) * uu[c] for c in range(len(gg))])
                m = W[p + "mlp.down_proj.weight"] @ act
                if self.v2:
                    m = rmsn(m, W[p + "post_feedforward_layernorm.weight"])
                newx.append(xr + m)
            x = newx
        hl = rmsn(x[-1], W["model.norm.weight"])
        lg = np.array([float(np.dot(W["model.embed_tokens.weight"][vv], hl)) for vv in range(VOCAB)])
        if self.final_cap is not None:
            lg = np.array([self.final_cap * math.tanh(t / self.final_cap) for t in lg])
        return lg


def make_weights(rng, cfg, v2, rounder, emb_std, qk_std):
    hd, nh, nkv = cfg["head_dim"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    tensors = []

    def add(name, arr):
        arr = rounder(arr)
        while np.any(arr == 0.0):  # every weight nonzero
            z = arr == 0.0
            arr[z] = rounder(rng.normal(0.0, 0.1, size=int(z.sum())))
        tensors.append((name, arr))

    def proj(o, i, std=0.15):
        return rng.normal(0.0, std, size=(o, i))

    def normw():
        return 0.2 * rng.normal(0.0, 1.0, size=(HIDDEN,))  # stored w, used as (1 + w)

    add("model.embed_tokens.weight", rng.normal(0.0, emb_std, size=(VOCAB, HIDDEN)))
    for li in range(LAYERS):
        p = f"model.layers.{li}."
        add(p + "self_attn.q_proj.weight", proj(nh * hd, HIDDEN, qk_std))
        add(p + "self_attn.k_proj.weight", proj(nkv * hd, HIDDEN, qk_std))
        add(p + "self_attn.v_proj.weight", proj(nkv * hd, HIDDEN))
        add(p + "self_attn.o_proj.weight", proj(HIDDEN, nh * hd))
        add(p + "mlp.gate_proj.weight", proj(INTER, HIDDEN))
        add(p + "mlp.up_proj.weight", proj(INTER, HIDDEN))
        add(p + "mlp.down_proj.weight", proj(HIDDEN, INTER))
        add(p + "input_layernorm.weight", normw())
        add(p + "post_attention_layernorm.weight", normw())
        if v2:
            add(p + "pre_feedforward_layernorm.weight", normw())
            add(p + "post_feedforward_layernorm.weight", normw())
    add("model.norm.weight", normw())
    tensors.sort(key=lambda kv: kv[0])
    return tensors


def gemma_config():
    return {
        "architectures": ["GemmaForCausalLM"],
        "model_type": "gemma",
        "vocab_size": VOCAB,
        "hidden_size": HIDDEN,
        "intermediate_size": INTER,
        "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS,
        "num_key_value_heads": 1,
        "head_dim": 16,
        "hidden_act": "gelu_pytorch_tanh",
        "hidden_activation": "gelu_pytorch_tanh",
        "max_position_embeddings": MAXPOS,
        "initializer_range": 0.02,
        "rms_norm_eps": 1e-6,
        "use_cache": True,
        "pad_token_id": 0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "tie_word_embeddings": True,
        "rope_theta": 10000.0,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "torch_dtype": "bfloat16",
    }


def gemma2_config():
    return {
        "architectures": ["Gemma2ForCausalLM"],
        "model_type": "gemma2",
        "vocab_size": VOCAB,
        "hidden_size": HIDDEN,
        "intermediate_size": INTER,
        "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS,
        "num_key_value_heads": 2,
        "head_dim": 16,
        "hidden_act": "gelu_pytorch_tanh",
        "hidden_activation": "gelu_pytorch_tanh",
        "max_position_embeddings": MAXPOS,
        "initializer_range": 0.02,
        "rms_norm_eps": 1e-6,
        "use_cache": True,
        "pad_token_id": 0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "tie_word_embeddings": True,
        "rope_theta": 10000.0,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "query_pre_attn_scalar": 24,
        "sliding_window": 4,
        "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
        "final_logit_softcapping": 3.0,
        "attn_logit_softcapping": 2.0,
        "cache_implementation": "hybrid",
        "torch_dtype": "float32",
    }


VARIANTS = {
    # name: (config fn, v2, stored dtype, rounder, seed, embedding std, q/k proj std, commit, modeling path)
    "gemma": (gemma_config, False, "BF16", C.bf16_round, 1241, 0.15, 0.3, GEMMA_COMMIT,
              "src/transformers/models/gemma/modeling_gemma.py"),
    "gemma2": (gemma2_config, True, "F32", C.f32_round, 1239, 0.15, 0.25, GEMMA2_COMMIT,
               "src/transformers/models/gemma2/modeling_gemma2.py"),
}


def diagnostics(model, seqs):
    """How strongly each mechanism is exercised (printed, and returned for the README)."""
    out = {}
    ids = seqs[2]
    x = model.embed(ids)
    caps, ents, gel = [], [], []
    for li in range(LAYERS):
        p = f"model.layers.{li}."
        h = model.norm(p + "input_layernorm.weight", x)
        T = h.shape[0]
        q = (h @ model.W[p + "self_attn.q_proj.weight"].T).reshape(T, model.nh, model.hd).transpose(1, 0, 2)
        k = (h @ model.W[p + "self_attn.k_proj.weight"].T).reshape(T, model.nkv, model.hd).transpose(1, 0, 2)
        cos, sin = C.rope_cos_sin(T, model.hd, model.cfg["rope_theta"])
        q, k = C.apply_rope(q, cos, sin), C.apply_rope(np.repeat(k, model.nh // model.nkv, 0), cos, sin)
        s = q @ k.transpose(0, 2, 1) * model.scale
        tri = np.tril(np.ones((T, T), bool))
        raw = s[:, tri]
        if model.attn_cap is not None:
            caps.append(float(np.max(np.abs(raw - C.softcap(raw, model.attn_cap)))))
            s = C.softcap(s, model.attn_cap)
        s = np.where(tri[None], s, -np.inf)
        pr = C.softmax(s)
        ent = -np.sum(pr * np.log(np.where(pr > 0, pr, 1.0)), -1)[:, -1]
        ents.append(float(np.mean(ent / np.log(T))))
        hm = model.norm(p + ("pre_feedforward_layernorm.weight" if model.v2 else "post_attention_layernorm.weight"), x)
        gte = hm @ model.W[p + "mlp.gate_proj.weight"].T
        gel.append(float(np.std(gte)))
        x = model.block(li, x)
    out["mean_normalised_attention_entropy_last_row_per_layer"] = ents
    out["gate_preactivation_std_per_layer"] = gel
    if caps:
        out["attn_softcap_max_bend"] = caps
    if model.final_cap is not None:
        h = model.norm("model.norm.weight", x)
        raw = h @ model.W["model.embed_tokens.weight"].T
        out["final_logits_precap_absmax"] = float(np.max(np.abs(raw)))
        out["final_softcap_max_bend"] = float(np.max(np.abs(raw - C.softcap(raw, model.final_cap))))
    return out


def _maxdiff_last_logits(m1, m2, seqs):
    d = 0.0
    for ids in seqs:
        _, _, a = C.run_plan(m1, ids, C.PLANS[0]["steps"])
        _, _, b = C.run_plan(m2, ids, C.PLANS[0]["steps"])
        d = max(d, float(np.max(np.abs(a[-1] - b[-1]))))
    return d


class _OddSliding(GemmaFamily):
    def is_sliding(self, li):
        return self.v2 and (li % 2 == 1)


def sensitivity(model, cfg, W, v2, seqs):
    """Max |change| of identity-plan last logits (over the 3 sequences) under plausible misreadings."""
    out = {}
    if not v2:
        alt = GemmaFamily(cfg, W, v2, HIDDEN ** 0.5)
        out["normalizer sqrt(32) unrounded instead of bf16 5.65625"] = _maxdiff_last_logits(model, alt, seqs)
        out["  (same misreading: max |change| of the embedding output)"] = float(
            np.max(np.abs(alt.embed(seqs[2]) - model.embed(seqs[2]))))
        alt = GemmaFamily(cfg, W, v2, model.normalizer)
        erf = np.vectorize(math.erf)
        alt.mlp = lambda li, h, a=alt: (0.5 * (h @ a.W[f"model.layers.{li}.mlp.gate_proj.weight"].T) * (
            1 + erf((h @ a.W[f"model.layers.{li}.mlp.gate_proj.weight"].T) / math.sqrt(2.0))) * (
            h @ a.W[f"model.layers.{li}.mlp.up_proj.weight"].T)) @ a.W[f"model.layers.{li}.mlp.down_proj.weight"].T
        out["exact erf GELU instead of tanh approximation"] = _maxdiff_last_logits(model, alt, seqs)
    else:
        alt = GemmaFamily(cfg, W, v2, model.normalizer)
        alt.window = 10 ** 9
        out["no sliding window at all"] = _maxdiff_last_logits(model, alt, seqs)
        alt = GemmaFamily(cfg, W, v2, model.normalizer)
        alt.window = model.window + 1
        out["window boundary inclusive (distance == 4 visible)"] = _maxdiff_last_logits(model, alt, seqs)
        alt = _OddSliding(cfg, W, v2, model.normalizer)
        out["odd layers sliding instead of even"] = _maxdiff_last_logits(model, alt, seqs)
        alt = GemmaFamily(cfg, W, v2, model.normalizer)
        alt.attn_cap = None
        out["no attention soft-cap"] = _maxdiff_last_logits(model, alt, seqs)
        alt = GemmaFamily(cfg, W, v2, model.normalizer)
        alt.final_cap = None
        out["no final soft-cap"] = _maxdiff_last_logits(model, alt, seqs)
        alt = GemmaFamily(cfg, W, v2, model.normalizer)
        alt.scale = model.hd ** -0.5
        out["1/sqrt(head_dim) instead of query_pre_attn_scalar^-0.5"] = _maxdiff_last_logits(model, alt, seqs)
    return out


README_GEMMA = """# gemma — tiny random GemmaForCausalLM (BF16) + float64 numpy golden

What it exercises: Gemma RMSNorm `x/sqrt(mean(x^2)+eps) * (1 + w)` (stored w = 0.2 N(0,1)); input embeddings
times `sqrt(hidden_size)` rounded to the weights' dtype (`torch.tensor(hidden_size**0.5, dtype=bfloat16)` =
**{normalizer!r}**, not 5.656854...); explicit `head_dim` 16 with 4 heads (64 != hidden 32); multi-query
attention (`num_key_value_heads` 1: every query head reads kv head 0); GeGLU MLP
`down(gelu_tanh(gate(x)) * up(x))`; tied head (no `lm_head.weight` in the file); RoPE (rotate-half, theta 1e4,
over head_dim 16); rms_norm_eps 1e-6.

Activation: the modeling file at this commit builds `GemmaMLP.act_fn = ACT2FN[config.hidden_act]`; older
versions used `config.hidden_activation` (falling back to gelu_pytorch_tanh when it is None). config.json sets
**both** `hidden_act` and `hidden_activation` to `gelu_pytorch_tanh`, so every version picks the tanh GELU
`0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`.

Storage: every tensor is BF16 (`torch_dtype` "bfloat16"). The reference decodes the stored bf16 values exactly to
float64 and computes everything else in float64 (HF in bf16 would also round activations; the golden does not).
"""

README_GEMMA2 = """# gemma2 — tiny random Gemma2ForCausalLM (F32) + float64 numpy golden

What it exercises, on top of Gemma's traits ((1 + w) RMSNorm, sqrt(hidden) embedding scale rounded to the weight
dtype — here float32: {normalizer!r} —, explicit head_dim 16 != hidden/heads, GeGLU with gelu_pytorch_tanh
via `hidden_activation`, tied head, RoPE theta 1e4):
- four norms per block: `x = x + post_attention_layernorm(attn(input_layernorm(x)))`,
  `x = x + post_feedforward_layernorm(mlp(pre_feedforward_layernorm(x)))`;
- GQA 4 query heads / 2 kv heads (query head h reads kv head h // 2);
- attention scale `query_pre_attn_scalar ** -0.5` = 24 ** -0.5 (not head_dim ** -0.5);
- attention logit soft-cap `2.0 * tanh(scores / 2.0)` applied to the scaled scores BEFORE the causal/sliding
  mask and softmax;
- final logit soft-cap `3.0 * tanh(logits / 3.0)` after the tied head;
- sliding-window attention (sliding_window 4) on alternating layers.

## Sliding-window rule implemented
- WHICH layers: layers with EVEN index (0 and 2) are sliding; 1 and 3 are full causal. From
  `modeling_gemma2.py` @ 9a80143: `self.sliding_window = config.sliding_window if not bool(layer_idx % 2) else None`
  (and `Gemma2DecoderLayer.is_sliding = not bool(layer_idx % 2)`). Newer transformers express the same thing as
  `layer_types = ["sliding_attention" if bool((i + 1) % 2) else "full_attention" ...]` (i = 0 -> sliding);
  config.json carries an explicit `layer_types` list with the same pattern so both code generations agree.
- BOUNDARY: query i may attend key j iff `0 <= i - j < sliding_window`, i.e. the query itself and the 3
  previous tokens; a key at distance exactly 4 is MASKED. From `modeling_gemma2.py` @ 9a80143 (eager/sdpa path):
  `sliding_window_mask = torch.tril(torch.ones_like(attention_mask, dtype=torch.bool), diagonal=-self.sliding_window)`
  then `attention_mask = torch.where(sliding_window_mask, min_dtype, attention_mask)` — tril with diagonal -4
  selects j <= i - 4, which is masked. Newer `masking_utils.sliding_window_overlay` says the same:
  `return kv_idx > q_idx - sliding_window`.
- Per the plan semantics, a block keeps its own layer index's attention type wherever it is placed (block 2 stays
  sliding in `reverse_middle`, `repeat_2`, `parallel_1_2`; block 1 stays full).
"""

README_COMMON = """
## Files
- `config.json` — HF config ({arch}).
- `model.safetensors` — hand-written safetensors, {dtype}, names/shapes as `save_pretrained` writes them
  ([out, in] Linear weights), sorted by name.
- `tokenizer.json` — copy of /work/refs/tokenizer.json.
- `golden.json` — format painters-family-golden/1 (see /work/refs/SPEC.md).

Reference: numpy float64, written independently from transformers `{mpath}` at commit `{commit}`
({alsoread}). Not derived from /work/main.

Seed {seed} (`numpy.random.default_rng`): weights drawn in name order of the layer loop, then the 3 sequences.
Weights: embeddings N(0, {emb_std}^2) (small so that the block outputs are comparable to the scaled embedding),
q/k projections N(0, {qk_std}^2), other projections N(0, 0.15^2), norm weights stored as 0.2 N(0,1) (used as 1 + w);
all nonzero.

Regenerate: `python3 /work/refs/scripts/gemma_reference.py {variant}` (no argument: both gemma and gemma2).

## Self-checks (run by the script)
- safetensors file re-read by an independent parser: names, shapes, dtype and every value identical to the arrays
  the reference used; no `lm_head.weight`; all weights nonzero.
- identity-plan last logits recomputed with a scalar loop implementation (per head, per query, per key; RoPE by
  explicit pair rotation; python math exp/tanh): max |diff| over the 3 sequences = {maxdiff:.3g}.
- greedy_min_margin = {margin:.6g} (> 1e-3) over the 4 non-parallel plans x 8 steps on sequence 0.
- greedy tokens: {greedy}

## How much each mechanism matters (max |change| of identity-plan last logits if it were done differently)
{sens}

## Diagnostics
{diag}
"""


ALSO_READ = {
    "gemma": "also read: `configuration_gemma.py` @ 3676fc805228e63d9ae97b622d715af847c276c6 and, for the "
             "hidden_act / hidden_activation history, an older `modeling_gemma.py` @ "
             "0125ac68d92d1866341d531c52af7165af06f3e9",
    "gemma2": "also read: `configuration_gemma2.py` @ 19f5346140749359823ef26c4183bd8f1aed3db7, "
              "`modular_gemma2.py` @ 213da5a04374bcc99f879631d23687b4fa3bfce7, a newer modular_gemma2.py with "
              "`layer_types`, `masking_utils.sliding_window_overlay`, and `modeling_gemma.py` @ "
              "c4cdd1a0d93642f0143c66609d4273efc74c22cf for the shared Gemma parts",
}


def write_readme(outdir, variant, cfg, seed, dtype, emb_std, qk_std, normalizer, commit, mpath, margin, maxdiff,
                 diag, sens, golden):
    head = (README_GEMMA if variant == "gemma" else README_GEMMA2).format(normalizer=normalizer)
    greedy = "; ".join(f"{r['plan']}: {r['greedy']}" for r in golden["results"] if "greedy" in r)
    txt = head + README_COMMON.format(
        alsoread=ALSO_READ[variant], arch=cfg["architectures"][0], dtype=dtype, mpath=mpath, commit=commit, family=cfg["model_type"],
        seed=seed, emb_std=emb_std, qk_std=qk_std, variant=variant, maxdiff=maxdiff, margin=margin, greedy=greedy,
        sens="\n".join(f"- {k}: {v:.4g}" for k, v in sens.items()),
        diag="\n".join(f"- {k}: {np.round(v, 3).tolist() if isinstance(v, list) else round(v, 3)}"
                       for k, v in diag.items()))
    with open(os.path.join(outdir, "README.md"), "w") as fh:
        fh.write(txt)


def build(variant):
    cfg_fn, v2, dtype, rounder, seed, emb_std, qk_std, commit, mpath = VARIANTS[variant]
    cfg = cfg_fn()
    rng = np.random.default_rng(seed)
    tensors = make_weights(rng, cfg, v2, rounder, emb_std, qk_std)
    W = dict(tensors)
    if dtype == "BF16":
        normalizer = float(C.bf16_round(np.array([HIDDEN ** 0.5]))[0])  # torch.tensor(sqrt(H), dtype=bfloat16)
    else:
        normalizer = float(C.f32_round(np.array([HIDDEN ** 0.5]))[0])  # torch.tensor(sqrt(H), dtype=float32)
    model = GemmaFamily(cfg, W, v2, normalizer)
    seqs = C.make_sequences(rng)

    outdir = os.path.join(C.REFS, variant)
    os.makedirs(outdir, exist_ok=True)
    st = os.path.join(outdir, "model.safetensors")
    C.write_safetensors(st, tensors, dtype)
    C.write_json(os.path.join(outdir, "config.json"), cfg, indent=2)
    C.copy_tokenizer(outdir)

    # self-check 1: safetensors reads back exactly
    back, header = C.read_safetensors(st)
    assert set(back) == set(W), "tensor name mismatch"
    assert "lm_head.weight" not in back
    for n in W:
        assert back[n].shape == W[n].shape and np.array_equal(back[n], W[n]), n
        assert header[n]["dtype"] == dtype
        assert np.all(W[n] != 0.0), n
    model_rt = GemmaFamily(cfg, back, v2, normalizer)

    ref = f"numpy float64 from transformers {mpath} at commit {commit}"
    golden, margin = C.build_golden(model_rt, cfg["model_type"], variant, ref, seed, seqs)
    C.write_json(os.path.join(outdir, "golden.json"), golden)

    # self-check 2: identity-plan logits a second (loop-based) way
    maxdiff = 0.0
    for ids in seqs:
        _, _, lg = C.run_plan(model_rt, ids, C.PLANS[0]["steps"])
        maxdiff = max(maxdiff, float(np.max(np.abs(lg[-1] - model_rt.slow_logits(ids)))))
    # self-check 3: greedy margin recomputed
    assert margin > 1e-3, f"greedy margin too small: {margin}"
    diag = diagnostics(model_rt, seqs)
    sens = sensitivity(model_rt, cfg, back, v2, seqs)
    write_readme(outdir, variant, cfg, seed, dtype, emb_std, qk_std, normalizer, commit, mpath, margin, maxdiff,
                 diag, sens, golden)
    return dict(sens=sens, outdir=outdir, seed=seed, margin=margin, maxdiff=maxdiff, diag=diag, normalizer=normalizer,
                commit=commit, mpath=mpath, dtype=dtype, emb_std=emb_std, qk_std=qk_std)


if __name__ == "__main__":
    names = sys.argv[1:] or list(VARIANTS)
    for n in names:
        info = build(n)
        print(n, {k: v for k, v in info.items()})
