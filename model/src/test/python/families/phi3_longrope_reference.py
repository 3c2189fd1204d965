"""float64 numpy reference + tiny random checkpoint for Phi-3 with LongRoPE ("longrope") rotary scaling
(phi3, Phi3ForCausalLM, rope_scaling {"type": "longrope", "short_factor": [...], "long_factor": [...]}).

Written from the published transformers sources (read, not copied; commits in README below):
- modeling_rope_utils.py `_compute_longrope_parameters`: dim = head_dim * partial_rotary_factor;
  factor = max_position_embeddings / original_max_position_embeddings (Phi-3 carries original_max_position_embeddings,
  which overrides rope_scaling's `factor`); attention_factor (when rope_scaling gives none) =
  1.0 if factor <= 1 else sqrt(1 + ln(factor) / ln(original_max_position_embeddings));
  inv_freq[i] = 1 / (ext_factor[i] * theta^(2i/dim)), ext_factor = long_factor if seq_len > original_max else short_factor
  (seq_len None at construction -> short).
- the longrope frequency update run before every rotary-embedding forward (Phi3RotaryEmbedding._longrope_frequency_update,
  later `dynamic_rope_update`/`longrope_frequency_update`): seq_len = max(position_ids) + 1 of THAT call; long inverse
  frequencies if seq_len > original_max_position_embeddings, else the short (construction-time) ones.
  cos = cos(pos * inv_freq) * attention_scaling, sin likewise (attention_scaling = the construction-time attention factor,
  used for both factor sets), half-split rotate_half convention: x * cos + rotate_half(x) * sin.
- modeling_phi3.py: fused qkv_proj rows q | k | v, fused gate_up_proj rows gate | up, down(up * silu(gate)), RMSNorm,
  GQA, untied lm_head; keys are rotated BEFORE they are written to the KV cache (cached keys keep their rotation).
- Phi3ForCausalLM.prepare_inputs_for_generation: when generate() is about to run a step with a cache, and the total
  input length >= original_max + 1 while the cache holds <= original_max positions, it DROPS the cache and re-runs the
  whole sequence (PR huggingface/transformers#33129 "[Phi-3] Bug on stale kv cache").

Run:  python3 /work/refs/scripts/phi3_longrope_reference.py   (writes /work/refs/phi3_longrope)
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qwen_phi3_common as rc  # noqa: E402

VARIANT = "phi3_longrope"
MODELING_COMMIT = "43c2b4816a6507cb08a18b402c6b053453651daf"        # modeling_phi3.py (rotary + generate override)
MODULAR_COMMIT = "2b6c089d5a0b18d59a08c36b91404ece60915cf3"         # modular_phi3.py (4.56-era, same override)
ROPE_UTILS_COMMIT = "ef46806472a64b0013ed413781e3afed82bfa047"      # modeling_rope_utils.py (_compute_longrope_parameters)
CONFIG_COMMIT_4X = "d7991107f1114ec9fd32a4fdfed4c2dd8a76e0e4"       # configuration_phi3.py (_rope_scaling_validation)
CONFIG_COMMIT_V5 = "008e574391258935f3ecc3035c882e73bbcac419"       # configuration_phi3.py (v5 validate_rope)

HIDDEN, LAYERS, HEADS, KV_HEADS, VOCAB, INTER = 32, 4, 4, 2, 96, 64
MAXPOS, ORIG_MAXPOS, THETA = 64, 16, 10000.0
HEAD_DIM = HIDDEN // HEADS
# exactly representable in binary (so float32 / float64 parsers agree), increasing, distinct per rotary pair
SHORT_FACTOR = [1.0625, 1.1875, 1.3125, 1.4375]
LONG_FACTOR = [1.25, 2.5, 4.75, 7.5]
SEQ_LENGTHS = (12, 8, 24)
GREEDY_NEW = 8
MIN_MARGIN = 1e-2  # stricter than the 1e-3 asked


def longrope_config():
    return {
        "architectures": ["Phi3ForCausalLM"],
        "model_type": "phi3",
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "embd_pdrop": 0.0,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTER,
        "max_position_embeddings": MAXPOS,
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "num_key_value_heads": KV_HEADS,
        "original_max_position_embeddings": ORIG_MAXPOS,
        "pad_token_id": None,
        "partial_rotary_factor": 1.0,
        "resid_pdrop": 0.0,
        "rms_norm_eps": 1e-05,
        # exactly three keys, as a real Phi-3.5-mini-instruct config.json has them (type, short_factor, long_factor)
        "rope_scaling": {"type": "longrope", "short_factor": list(SHORT_FACTOR), "long_factor": list(LONG_FACTOR)},
        "rope_theta": THETA,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.56.0",
        "use_cache": True,
        "vocab_size": VOCAB,
    }


def check_config_like_hf(cfg):
    """Mirror of the checks Phi3Config applies (4.x _rope_scaling_validation; v5 validate_rope after
    standardize_rope_params maps the legacy `type` key to `rope_type`)."""
    rs = cfg["rope_scaling"]
    assert isinstance(rs, dict) and len(rs) == 3, "4.x: rope_scaling must have exactly type/short_factor/long_factor"
    assert rs.get("type") == "longrope"
    n = cfg["hidden_size"] // cfg["num_attention_heads"] // 2
    rot = int(cfg["hidden_size"] // cfg["num_attention_heads"] * cfg["partial_rotary_factor"]) // 2
    for k in ("short_factor", "long_factor"):
        v = rs[k]
        assert isinstance(v, list) and all(isinstance(x, (int, float)) for x in v)
        assert len(v) == n == rot
    v5_type = rs.get("rope_type", rs.get("type", "default"))
    assert v5_type in ("default", "longrope")
    assert "factor" not in rs and "attention_factor" not in rs  # so both come from the two max-position fields


class Phi3LongRopeRef:
    """Vectorised float64 Phi-3 with LongRoPE. Every forward call goes through `call`, which takes the new tokens'
    positions and a KV cache (one slot per executed step); a no-cache forward is a call with fresh empty caches."""

    def __init__(self, cfg, W, factor_override=None, use_attention_factor=True):
        self.cfg, self.W = cfg, W
        self.H = cfg["num_attention_heads"]
        self.KV = cfg["num_key_value_heads"]
        self.d = cfg["hidden_size"] // self.H
        self.I = cfg["intermediate_size"]
        self.eps = cfg["rms_norm_eps"]
        self.theta = cfg["rope_theta"]
        assert cfg.get("partial_rotary_factor", 1.0) == 1.0 and cfg["sliding_window"] is None
        rs = cfg["rope_scaling"]
        assert rs["type"] == "longrope"
        self.orig = cfg["original_max_position_embeddings"]
        dim = int(self.d * cfg.get("partial_rotary_factor", 1.0))
        factor = cfg["max_position_embeddings"] / self.orig
        if factor <= 1.0:
            af = 1.0
        else:
            af = math.sqrt(1.0 + math.log(factor) / math.log(self.orig))
        self.attention_factor = af
        self.scale = af if use_attention_factor else 1.0
        shape = np.arange(0, dim, 2, dtype=np.float64) / dim
        self.inv = {"short": 1.0 / (np.asarray(rs["short_factor"], np.float64) * self.theta ** shape),
                    "long": 1.0 / (np.asarray(rs["long_factor"], np.float64) * self.theta ** shape)}
        self.factor_override = factor_override  # negative controls: force "short"/"long" regardless of length

    # ---- rotary
    def factors_for_call(self, positions):
        if self.factor_override is not None:
            return self.factor_override
        seq_len = int(np.max(positions)) + 1
        return "long" if seq_len > self.orig else "short"

    def cos_sin(self, positions, which):
        freqs = np.outer(np.asarray(positions, np.float64), self.inv[which])
        emb = np.concatenate([freqs, freqs], axis=-1)
        return np.cos(emb) * self.scale, np.sin(emb) * self.scale

    # ---- model pieces
    def embed(self, ids):
        return self.W["model.embed_tokens.weight"][np.asarray(ids)].copy()

    def block(self, i, x, positions, cos, sin, cache):
        """x [n, hidden] rows at `positions`; cache: dict with 'k','v' [KV, m, d] and 'pos' [m] (updated in place)."""
        p = f"model.layers.{i}."
        W, n, d, H, KV = self.W, x.shape[0], self.d, self.H, self.KV
        h = rc.rms_norm(x, W[p + "input_layernorm.weight"], self.eps)
        qkv = h @ W[p + "self_attn.qkv_proj.weight"].T
        qp = H * d
        q = qkv[:, :qp].reshape(n, H, d).transpose(1, 0, 2)
        k = qkv[:, qp:qp + KV * d].reshape(n, KV, d).transpose(1, 0, 2)
        v = qkv[:, qp + KV * d:].reshape(n, KV, d).transpose(1, 0, 2)
        q, k = rc.apply_rope(q, cos, sin), rc.apply_rope(k, cos, sin)
        cache["k"] = np.concatenate([cache["k"], k], axis=1)
        cache["v"] = np.concatenate([cache["v"], v], axis=1)
        cache["pos"] = np.concatenate([cache["pos"], np.asarray(positions)])
        rep = H // KV
        kk = np.repeat(cache["k"], rep, axis=0)
        vv = np.repeat(cache["v"], rep, axis=0)
        s = np.einsum("hqd,hkd->hqk", q, kk) * d ** -0.5
        allowed = cache["pos"][None, :] <= np.asarray(positions)[:, None]
        s = np.where(allowed[None], s, -np.inf)
        a = np.einsum("hqk,hkd->hqd", rc.softmax(s, axis=-1), vv).transpose(1, 0, 2).reshape(n, H * d)
        x = x + a @ W[p + "self_attn.o_proj.weight"].T
        h = rc.rms_norm(x, W[p + "post_attention_layernorm.weight"], self.eps)
        gu = h @ W[p + "mlp.gate_up_proj.weight"].T
        return x + (gu[:, self.I:] * rc.silu(gu[:, :self.I])) @ W[p + "mlp.down_proj.weight"].T

    def head(self, x):
        return rc.rms_norm(x, self.W["model.norm.weight"], self.eps) @ self.W["lm_head.weight"].T

    @staticmethod
    def new_caches(steps):
        return [[{"k": np.zeros((KV_HEADS, 0, HEAD_DIM)), "v": np.zeros((KV_HEADS, 0, HEAD_DIM)),
                  "pos": np.zeros(0, dtype=np.int64)} for _ in step] for step in steps]

    def call(self, ids, positions, steps, caches):
        """One forward call on new tokens `ids` at `positions`; factors chosen by THIS call's positions.
        Returns (embedding, residuals per executed step, logits [n, vocab], factor set used)."""
        which = self.factors_for_call(positions)
        cos, sin = self.cos_sin(positions, which)
        x = self.embed(ids)
        emb = x.copy()
        residuals = []
        for si, step in enumerate(steps):
            outs = [self.block(b, x, positions, cos, sin, caches[si][j]) for j, b in enumerate(step)]
            x = outs[0] if len(outs) == 1 else x + sum(o - x for o in outs) / len(outs)
            residuals.append(x.copy())
        return emb, residuals, self.head(x), which

    def forward(self, ids, steps):
        """No-cache forward of the whole sequence, positions 0..len-1."""
        return self.call(ids, np.arange(len(ids)), steps, self.new_caches(steps))


# ---------------------------------------------------------------- decoding
def greedy_full(model, prompt, steps, n_new=GREEDY_NEW):
    """Full recompute: each step re-runs the whole sequence without cache (factors by the whole length)."""
    ids, new, margins, logits = list(prompt), [], [], []
    for _ in range(n_new):
        _, _, lg, _ = model.forward(ids, steps)
        last = lg[-1]
        t = int(np.argmax(last))
        new.append(t), margins.append(rc.top2_margin(last)), logits.append(last)
        ids.append(t)
    return new, margins, logits


def greedy_kv(model, prompt, steps, n_new=GREEDY_NEW, hf_generate_reset=False):
    """KV-cached decoding: prefill over the prompt, then one call per new token at its own position; each call picks
    its factors from its own max position; cached keys keep the rotation they were computed with.
    hf_generate_reset=True adds Phi3ForCausalLM.prepare_inputs_for_generation's rule: if the cache is non-empty, the
    full input length >= original_max + 1 and the cache holds <= original_max positions, drop the cache and run the
    whole sequence again (positions 0..len-1) in that call."""
    caches = model.new_caches(steps)
    ids = list(prompt)
    _, _, lg, which = model.call(ids, np.arange(len(ids)), steps, caches)
    calls = [("prefill", 0, len(ids), which)]
    new, margins, logits = [], [], []
    for step in range(n_new):
        last = lg[-1]
        t = int(np.argmax(last))
        new.append(t), margins.append(rc.top2_margin(last)), logits.append(last)
        ids.append(t)
        if step == n_new - 1:
            break
        past = caches[0][0]["k"].shape[1]
        if hf_generate_reset and past > 0 and len(ids) >= model.orig + 1 and past <= model.orig:
            caches = model.new_caches(steps)
            _, _, lg, which = model.call(ids, np.arange(len(ids)), steps, caches)
            calls.append(("reset+full", 0, len(ids), which))
        else:
            pos = len(ids) - 1
            _, _, lg, which = model.call([t], np.array([pos]), steps, caches)
            calls.append(("cached", pos, pos + 1, which))
    return new, margins, logits, calls


# ---------------------------------------------------------------- loop-based second implementation
def slow_logits(model, ids, pos_factor):
    """Identity plan, loops only, explicit pair rotation. pos_factor[t] in {"short","long"} is the factor set with which
    the query AND key of position t are rotated (a no-cache forward uses one set for all t; the stale-KV-cache run uses
    short for t < original_max and long from there on). Rotated vectors are multiplied by the attention factor."""
    W, H, KV, d, eps = model.W, model.H, model.KV, model.d, model.eps
    fac = {"short": model.cfg["rope_scaling"]["short_factor"], "long": model.cfg["rope_scaling"]["long_factor"]}
    half = d // 2

    def rot(vec, t):
        out = np.empty(d)
        for i in range(half):
            ang = t / (fac[pos_factor[t]][i] * model.theta ** ((2.0 * i) / d))
            c, s = math.cos(ang), math.sin(ang)
            out[i] = (vec[i] * c - vec[i + half] * s) * model.scale
            out[i + half] = (vec[i] * s + vec[i + half] * c) * model.scale
        return out

    x = model.embed(ids)
    S = len(ids)
    for li in range(model.cfg["num_hidden_layers"]):
        p = f"model.layers.{li}."
        Wqkv = W[p + "self_attn.qkv_proj.weight"]
        h = rc.slow_rms_norm(x, W[p + "input_layernorm.weight"], eps)
        qh, kh, vh = [], [], []
        for t in range(S):
            qh.append([rot(Wqkv[hh * d:(hh + 1) * d] @ h[t], t) for hh in range(H)])
            kh.append([rot(Wqkv[H * d + g * d:H * d + (g + 1) * d] @ h[t], t) for g in range(KV)])
            vh.append([Wqkv[(H + KV) * d + g * d:(H + KV) * d + (g + 1) * d] @ h[t] for g in range(KV)])
        a = rc.slow_attention(qh, kh, vh, H, KV, d)
        x = np.array([x[t] + W[p + "self_attn.o_proj.weight"] @ a[t] for t in range(S)])
        h = rc.slow_rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        Wgu = W[p + "mlp.gate_up_proj.weight"]
        out = np.empty_like(x)
        for t in range(S):
            act = np.empty(model.I)
            for j in range(model.I):
                g = float(Wgu[j] @ h[t])
                u = float(Wgu[model.I + j] @ h[t])
                act[j] = u * (g / (1.0 + math.exp(-g)))
            out[t] = x[t] + W[p + "mlp.down_proj.weight"] @ act
        x = out
    hN = rc.slow_rms_norm(x, W["model.norm.weight"], eps)
    w = W["lm_head.weight"]
    return np.array([[float(np.dot(w[v], hN[t])) for v in range(w.shape[0])] for t in range(S)])


# ---------------------------------------------------------------- weights, golden
def make_weights(seed):
    rng = np.random.default_rng(seed)
    I = rc.Init(rng)
    W = {"model.embed_tokens.weight": I.emb("model.embed_tokens.weight", (VOCAB, HIDDEN))}
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        for nm, shape in (("input_layernorm.weight", None),
                          ("self_attn.qkv_proj.weight", ((HEADS + 2 * KV_HEADS) * HEAD_DIM, HIDDEN)),
                          ("self_attn.o_proj.weight", (HIDDEN, HEADS * HEAD_DIM)),
                          ("post_attention_layernorm.weight", None),
                          ("mlp.gate_up_proj.weight", (2 * INTER, HIDDEN)),
                          ("mlp.down_proj.weight", (HIDDEN, INTER))):
            W[p + nm] = I.norm(p + nm, HIDDEN) if shape is None else I.proj(p + nm, shape)
    W["model.norm.weight"] = I.norm("model.norm.weight", HIDDEN)
    W["lm_head.weight"] = I.proj("lm_head.weight", (VOCAB, HIDDEN))
    seqs = [[1] + [int(t) for t in rng.integers(3, VOCAB, size=n - 1)] for n in SEQ_LENGTHS]
    return W, I.tensors, seqs


def build(seed, cfg):
    W, tensors, seqs = make_weights(seed)
    model = Phi3LongRopeRef(cfg, W)
    results, margins, info = [], [], {}
    for plan in rc.PLANS:
        for si, seq in enumerate(seqs):
            emb, res, lg, which = model.forward(seq, plan["steps"])
            r = {"plan": plan["name"], "sequence": si, "rope_factors": which,
                 "embedding": [float(v) for v in emb.ravel()],
                 "residuals": [[float(v) for v in x.ravel()] for x in res],
                 "last_logits": [float(v) for v in lg[-1]]}
            if si == 0 and all(len(s) == 1 for s in plan["steps"]):
                g, mg, lg_g = greedy_full(model, seq, plan["steps"])
                c, mc, lg_c, calls_c = greedy_kv(model, seq, plan["steps"])
                e, me, lg_e, calls_e = greedy_kv(model, seq, plan["steps"], hf_generate_reset=True)
                r["greedy"], r["greedy_cached"], r["greedy_generate"] = g, c, e
                margins += mg + mc + me
                info[plan["name"]] = dict(g=g, c=c, e=e, lg_g=lg_g, lg_c=lg_c, lg_e=lg_e,
                                          calls_c=calls_c, calls_e=calls_e, prompt=seq)
            results.append(r)
    golden = {
        "format": "painters-family-golden/1",
        "model_type": "phi3",
        "variant": VARIANT,
        "reference": (f"numpy float64 from transformers src/transformers/models/phi3/modeling_phi3.py at commit "
                      f"{MODELING_COMMIT} and src/transformers/modeling_rope_utils.py at commit {ROPE_UTILS_COMMIT}"),
        "seed": seed,
        "attention_factor": model.attention_factor,
        "sequences": seqs,
        "plans": rc.PLANS,
        "results": results,
        "greedy_min_margin": float(min(margins)),
    }
    return model, W, tensors, seqs, golden, info


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return None


README = """# phi3_longrope: tiny random Phi3ForCausalLM with LongRoPE rotary scaling + float64 numpy golden

Exercises everything the plain `phi3` fixture does (fused `self_attn.qkv_proj.weight` [64, 32] rows q 0..31 | k 32..47 |
v 48..63, GQA 4 heads / 2 kv heads, fused `mlp.gate_up_proj.weight` [128, 32] rows gate 0..63 | up 64..127,
down(up * silu(gate)), RMSNorm eps 1e-5, untied lm_head, no biases, F32) plus LongRoPE:

- config: `max_position_embeddings` 64, `original_max_position_embeddings` 16, `rope_theta` 1e4,
  `rope_scaling` = {{"type": "longrope", "short_factor": {sf}, "long_factor": {lf}}} (head_dim/2 = 4 entries each,
  increasing, distinct; values exact in binary). No `factor` / `attention_factor` keys, so, as HF does for Phi-3:
  factor = 64 / 16 = 4 and attention_factor = sqrt(1 + ln 4 / ln 16) = sqrt(1.5) = {af:.12f}.
- inverse frequencies: inv_freq[i] = 1 / (ext[i] * 10000^(2i/8)), i = 0..3, ext = long_factor when the forward call's
  max(position) + 1 > 16, else short_factor. cos/sin = cos/sin(pos * inv_freq) * attention_factor (the factor is applied
  for BOTH factor sets, i.e. also to short sequences), rotate_half convention.
- `rope_factors` in every result says which set that no-cache forward used: sequences 0 and 1 (lengths 12, 8) short,
  sequence 2 (length 24) long.

## golden.json beyond SPEC.md
- `sequences`: lengths 12, 8, 24 (first id 1).
- per result: `rope_factors` ("short" | "long"), as above.
- top level: `attention_factor` ({af:.12f}).
- for sequence 0 and each plan without a parallel step, three 8-token greedy runs:
  - `greedy`: full recompute, each step re-runs the whole sequence without cache; from the step where the sequence has
    17 tokens on, the whole sequence uses the long factors.
  - `greedy_cached`: KV-cached decoding in which every forward call picks its factors from its own max position and
    keys already in the cache keep the rotation they were written with: prefill over the 12 prompt tokens (short),
    then one call per new token at position p (p = 12..18): short for p <= 15, long for p >= 16 while the keys of
    positions 0..15 stay short-rotated. This is what `Phi3Model`/`Phi3ForCausalLM.forward` compute when driven step by
    step with a `DynamicCache` (the rotary embedding rotates keys before `past_key_values.update`).
  - `greedy_generate`: what `Phi3ForCausalLM.generate()` itself does. Its `prepare_inputs_for_generation` override
    (PR huggingface/transformers#33129 "[Phi-3] Bug on stale kv cache"; present in modeling_phi3.py {mc_short} and
    modular_phi3.py {mod_short}) drops the cache when the input reaches original_max + 1 = 17 tokens while the cache
    holds <= 16 positions, and re-runs all 17 tokens (long factors); later calls are cached with long keys. Simulated
    here with that rule on an actual cache; it equals `greedy` (ids identical, logits max|diff| {ge_diff:.1e}).
    (My reading, not run: HF gets that re-run causal under its default sdpa attention; under eager attention the
    reset call passes cache_position [16] for all 17 rows, which would make its mask non-causal. Not modelled.)
  - So `greedy_cached` is the stale-cache semantics the brief described. It is NOT what HF generate() returns for
    Phi-3; HF generate() corresponds to `greedy_generate` (= `greedy`).
- Each executed step of a plan has its own KV-cache slot (a repeated block gets two), as a layer applied twice would
  in a real model with an unrolled layer list.
- `greedy_min_margin` is the smallest top1 - top2 gap over all three kinds of run, all four plans.

Where `greedy` and `greedy_cached` differ (0-based index into the 8 new ids; ids 0..4 come from calls that are all short
in both, so they are identical, and their logits agree to {prefix_diff:.1e}):
{diffs}

## Negative controls (identity plan, max |last_logits difference|)
- sequence 2 (length 24): long factors (right) vs short factors (wrong): {neg_ls:.6f}
- sequence 2 (length 24): with vs without the attention factor: {neg_af:.6f}
- sequence 0 (length 12, short factors): with vs without the attention factor: {neg_af0:.6f}

## Provenance
- Weights: projections N(0, 0.15^2), norm weights 1 + 0.2 N(0,1), embeddings N(0, 1); sizes hidden 32, 4 layers,
  head_dim 8, vocab 96, intermediate 64; `model.safetensors` written by hand (names sorted, contiguous offsets).
- Seed: {seed} (`numpy.random.default_rng`; search starts at 1234 and moves to the next seed until the identity-plan
  `greedy` and `greedy_cached` differ and the greedy margin exceeds 1e-2); the same generator draws the prompts.
- Reference: numpy float64 (from the float32 values stored), written from huggingface/transformers (read with the
  code-index read_file tool, not copied):
  - `src/transformers/models/phi3/modeling_phi3.py` at {mc}: Phi3RotaryEmbedding (longrope frequency update before
    each forward, attention_scaling on cos/sin), Phi3Attention (fused qkv slicing, rope before cache update),
    Phi3MLP, Phi3RMSNorm, Phi3ForCausalLM.prepare_inputs_for_generation (cache reset).
  - `src/transformers/models/phi3/modular_phi3.py` at {mod} (4.56-era; same attention/MLP/generate override).
  - `src/transformers/modeling_rope_utils.py` at {ru} (`_compute_longrope_parameters`: factor from
    max/original_max, attention factor formula, long iff seq_len > original_max) and at
    0044e3b3facff1a1ad60b235c69d5b45beae75a4 (older form, `_validate_longrope_parameters`).
  - `src/transformers/models/phi3/configuration_phi3.py` at {c4} (4.x `_rope_scaling_validation`: rope_scaling must be
    a dict of EXACTLY three keys, `type` in ['longrope'], short/long factor lists of numbers of length
    hidden/heads/2 = 4; adding `rope_type` as a fourth key would be rejected there, so the config has only `type`, as
    Phi-3.5-mini-instruct's config.json does) and at {c5} (v5: `rope_scaling` is accepted as a legacy kwarg,
    standardize_rope_params sets rope_type from `type`, validate_rope wants rope_type in ['default', 'longrope'] and
    factor lists of length rotary_ndims // 2 = 4). The script asserts these conditions on the config it writes.
- Regenerate: `cd /work/refs/scripts && python3 phi3_longrope_reference.py` (needs qwen_phi3_common.py beside it and
  /work/refs/tokenizer.json).

## Self-checks (done by the script on every run)
- identity-plan logits at every position of all 3 sequences, vectorised vs a loop-based implementation (per-head rows of
  the fused tensors, explicit per-pair rotation with 1 / (ext[i] * theta^(2i/d)), scalar softmax): max |diff| = {slow:.3e}.
- `greedy_cached` logits (identity plan, all 8 steps) vs the loop-based implementation run once over the final
  19-token sequence with per-position factor sets (short for positions 0..15, long from 16; exact for a stale cache
  because the 12-token prefill is short too): max |diff| = {slow_c:.3e}.
- `greedy_generate` vs `greedy` logits (all 4 plans): max |diff| = {ge_diff:.3e}; `greedy_cached` vs `greedy` over the
  first 5 steps (all short): max |diff| = {prefix_diff:.3e}.
- `model.safetensors` read back ({ntensors} tensors) bit-identical to the arrays used; golden.json read back.
- greedy_min_margin = {margin:.6f} (> 1e-3).
"""


def main():
    cfg = longrope_config()
    check_config_like_hf(cfg)
    seed = 1234
    while True:
        model, W, tensors, seqs, golden, info = build(seed, cfg)
        differs = info["identity"]["g"] != info["identity"]["c"]
        if differs and golden["greedy_min_margin"] > MIN_MARGIN:
            break
        print(f"{VARIANT}: seed {seed} differs={differs} margin {golden['greedy_min_margin']:.5f}; next seed")
        seed += 1

    # ---- checks
    slow = 0.0
    for seq in seqs:
        _, _, fast, which = model.forward(seq, rc.PLANS[0]["steps"])
        sl = slow_logits(model, seq, [which] * len(seq))
        slow = max(slow, float(np.max(np.abs(fast - sl))))
    assert slow < 1e-10, slow
    idn = info["identity"]
    final = idn["prompt"] + idn["c"][:-1]
    pf = ["long" if t + 1 > model.orig else "short" for t in range(len(final))]
    sl = slow_logits(model, final, pf)
    slow_c = max(float(np.max(np.abs(sl[len(idn["prompt"]) - 1 + k] - idn["lg_c"][k]))) for k in range(GREEDY_NEW))
    assert slow_c < 1e-10, slow_c
    ge_diff, prefix_diff, diffs = 0.0, 0.0, []
    for name, v in info.items():
        assert v["e"] == v["g"], name
        ge_diff = max(ge_diff, max(float(np.max(np.abs(a - b))) for a, b in zip(v["lg_e"], v["lg_g"])))
        prefix_diff = max(prefix_diff, max(float(np.max(np.abs(a - b))) for a, b in zip(v["lg_c"][:5], v["lg_g"][:5])))
        assert v["g"][:5] == v["c"][:5]
        i = first_diff(v["g"], v["c"])
        where = "identical" if i is None else f"first differ at index {i}"
        diffs.append(f"- {name}: greedy {v['g']} vs greedy_cached {v['c']}: {where}")
        assert [c[3] for c in v["calls_c"]] == ["short"] * 5 + ["long"] * 3
        assert [c[0] for c in v["calls_e"]] == ["prefill"] + ["cached"] * 4 + ["reset+full"] + ["cached"] * 2
    assert ge_diff < 1e-10 and prefix_diff < 1e-10, (ge_diff, prefix_diff)

    # ---- negative controls
    seq2, seq0, ident = seqs[2], seqs[0], rc.PLANS[0]["steps"]
    base2 = model.forward(seq2, ident)[2][-1]
    assert model.forward(seq2, ident)[3] == "long"
    wrong = Phi3LongRopeRef(cfg, W, factor_override="short").forward(seq2, ident)[2][-1]
    noaf = Phi3LongRopeRef(cfg, W, use_attention_factor=False)
    neg_ls = float(np.max(np.abs(base2 - wrong)))
    neg_af = float(np.max(np.abs(base2 - noaf.forward(seq2, ident)[2][-1])))
    neg_af0 = float(np.max(np.abs(model.forward(seq0, ident)[2][-1] - noaf.forward(seq0, ident)[2][-1])))
    assert neg_ls > 1e-3 and neg_af > 1e-3 and neg_af0 > 1e-3

    readme = README.format(
        sf=json.dumps(SHORT_FACTOR), lf=json.dumps(LONG_FACTOR), af=model.attention_factor,
        mc=MODELING_COMMIT, mc_short=MODELING_COMMIT[:10], mod=MODULAR_COMMIT, mod_short=MODULAR_COMMIT[:10],
        ru=ROPE_UTILS_COMMIT, c4=CONFIG_COMMIT_4X, c5=CONFIG_COMMIT_V5, seed=seed, slow=slow, slow_c=slow_c,
        ge_diff=ge_diff, prefix_diff=prefix_diff, diffs="\n".join(diffs), neg_ls=neg_ls, neg_af=neg_af,
        neg_af0=neg_af0, ntensors=len(tensors), margin=golden["greedy_min_margin"])
    n, total = rc.write_folder(VARIANT, cfg, tensors, golden, readme)
    with open(os.path.join(rc.REFS, VARIANT, "golden.json")) as f:
        g2 = json.load(f)
    for a, b in zip(g2["results"], golden["results"]):
        for k in ("greedy_cached", "greedy_generate", "rope_factors"):
            assert a.get(k) == b.get(k)
    print(f"{VARIANT}: seed {seed} greedy_min_margin {golden['greedy_min_margin']:.6f} attention_factor "
          f"{model.attention_factor:.12f} slow {slow:.2e} slow_cached {slow_c:.2e} generate-vs-full {ge_diff:.2e} "
          f"neg long/short {neg_ls:.6f} neg attn-factor {neg_af:.6f} (seq0 {neg_af0:.6f}) tensors {n} bytes {total}")
    print("\n".join(diffs))
    return True


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
