"""float64 numpy reference + tiny random checkpoint for Phi-3 (phi3, Phi3ForCausalLM).

Written from transformers src/transformers/models/phi3/modeling_phi3.py (commit below):
- self_attn.qkv_proj.weight: [H*d + 2*KV*d, hidden]; output columns sliced q = [0, H*d), k = [H*d, H*d + KV*d),
  v = the rest (so weight rows q, then k, then v), each then viewed as (heads, head_dim).
- mlp.gate_up_proj.weight: [2*I, hidden]; output chunked in two along the last dim: gate = first I, up = last I;
  out = down_proj(up * silu(gate)).
- RMSNorm (eps rms_norm_eps), default RoPE (rope_scaling null, partial_rotary_factor 1), GQA, untied lm_head.

Run:  python3 /work/refs/scripts/phi3_reference.py   (writes /work/refs/phi3)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qwen_phi3_common as rc  # noqa: E402

MODELING_COMMIT = "00d4b3d2142cb4ced2f51b90614b5d26bc045015"
CONFIG_COMMIT = "008e574391258935f3ecc3035c882e73bbcac419"
MIN_MARGIN = 1e-2  # stricter than the 1e-3 SPEC asks
HIDDEN, LAYERS, HEADS, KV_HEADS, VOCAB, INTER, MAXPOS = 32, 4, 4, 2, 96, 64, 64


class Phi3Ref:
    def __init__(self, cfg, W):
        self.cfg, self.W = cfg, W
        self.H = cfg["num_attention_heads"]
        self.KV = cfg["num_key_value_heads"]
        self.d = cfg["hidden_size"] // self.H
        self.I = cfg["intermediate_size"]
        self.eps = cfg["rms_norm_eps"]
        self.theta = cfg["rope_theta"]
        assert cfg["rope_scaling"] is None and cfg.get("partial_rotary_factor", 1.0) == 1.0
        assert cfg["sliding_window"] is None

    def embed(self, ids):
        return self.W["model.embed_tokens.weight"][np.asarray(ids)].copy()

    def block(self, i, x):
        p = f"model.layers.{i}."
        W, S, d, H, KV = self.W, x.shape[0], self.d, self.H, self.KV
        h = rc.rms_norm(x, W[p + "input_layernorm.weight"], self.eps)
        qkv = h @ W[p + "self_attn.qkv_proj.weight"].T  # [S, H*d + 2*KV*d]
        qp = H * d
        q = qkv[:, :qp].reshape(S, H, d).transpose(1, 0, 2)
        k = qkv[:, qp:qp + KV * d].reshape(S, KV, d).transpose(1, 0, 2)
        v = qkv[:, qp + KV * d:].reshape(S, KV, d).transpose(1, 0, 2)
        cos, sin = rc.rope_cos_sin(S, d, self.theta)
        q, k = rc.apply_rope(q, cos, sin), rc.apply_rope(k, cos, sin)
        a = rc.causal_attention(q, k, v, d ** -0.5)
        x = x + a @ W[p + "self_attn.o_proj.weight"].T
        h = rc.rms_norm(x, W[p + "post_attention_layernorm.weight"], self.eps)
        gu = h @ W[p + "mlp.gate_up_proj.weight"].T
        gate, up = gu[:, :self.I], gu[:, self.I:]
        return x + (up * rc.silu(gate)) @ W[p + "mlp.down_proj.weight"].T

    def head(self, x):
        return rc.rms_norm(x, self.W["model.norm.weight"], self.eps) @ self.W["lm_head.weight"].T

    # ---- second, loop-based implementation: picks weight ROWS of the fused tensors per head / per unit
    def slow_block(self, i, x):
        p = f"model.layers.{i}."
        W, S, d, H, KV = self.W, x.shape[0], self.d, self.H, self.KV
        Wqkv = W[p + "self_attn.qkv_proj.weight"]
        h = rc.slow_rms_norm(x, W[p + "input_layernorm.weight"], self.eps)
        qh, kh, vh = [], [], []
        for t in range(S):
            qh.append([rc.slow_rope_vec(Wqkv[hh * d:(hh + 1) * d] @ h[t], t, self.theta) for hh in range(H)])
            kh.append([rc.slow_rope_vec(Wqkv[H * d + g * d:H * d + (g + 1) * d] @ h[t], t, self.theta)
                       for g in range(KV)])
            vh.append([Wqkv[(H + KV) * d + g * d:(H + KV) * d + (g + 1) * d] @ h[t] for g in range(KV)])
        a = rc.slow_attention(qh, kh, vh, H, KV, d)
        x = np.array([x[t] + W[p + "self_attn.o_proj.weight"] @ a[t] for t in range(S)])
        h = rc.slow_rms_norm(x, W[p + "post_attention_layernorm.weight"], self.eps)
        Wgu = W[p + "mlp.gate_up_proj.weight"]
        out = np.empty_like(x)
        for t in range(S):
            act = np.empty(self.I)
            for j in range(self.I):
                g = float(Wgu[j] @ h[t])
                u = float(Wgu[self.I + j] @ h[t])
                act[j] = u * (g / (1.0 + np.exp(-g)))
            out[t] = x[t] + W[p + "mlp.down_proj.weight"] @ act
        return out

    def slow_logits(self, ids):
        x = self.embed(ids)
        for i in range(self.cfg["num_hidden_layers"]):
            x = self.slow_block(i, x)
        h = rc.slow_rms_norm(x, self.W["model.norm.weight"], self.eps)
        w = self.W["lm_head.weight"]
        return np.array([[float(np.dot(w[v], h[t])) for v in range(w.shape[0])] for t in range(h.shape[0])])


def phi3_config():
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
        "original_max_position_embeddings": MAXPOS,
        "pad_token_id": None,
        "partial_rotary_factor": 1.0,
        "resid_pdrop": 0.0,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.56.0",
        "use_cache": True,
        "vocab_size": VOCAB,
    }


def make_weights(cfg, seed):
    rng = np.random.default_rng(seed)
    I = rc.Init(rng)
    W = {}
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = HIDDEN // H
    W["model.embed_tokens.weight"] = I.emb("model.embed_tokens.weight", (VOCAB, HIDDEN))
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        for nm, shape in (("input_layernorm.weight", None),
                          ("self_attn.qkv_proj.weight", ((H + 2 * KV) * d, HIDDEN)),
                          ("self_attn.o_proj.weight", (HIDDEN, H * d)),
                          ("post_attention_layernorm.weight", None),
                          ("mlp.gate_up_proj.weight", (2 * INTER, HIDDEN)),
                          ("mlp.down_proj.weight", (HIDDEN, INTER))):
            W[p + nm] = I.norm(p + nm, HIDDEN) if shape is None else I.proj(p + nm, shape)
    W["model.norm.weight"] = I.norm("model.norm.weight", HIDDEN)
    W["lm_head.weight"] = I.proj("lm_head.weight", (VOCAB, HIDDEN))
    return W, I.tensors, rng


README = """# phi3: tiny random Phi3ForCausalLM checkpoint + float64 numpy golden

Exercises: fused `self_attn.qkv_proj.weight` [(4 + 2*2)*8 = 64, 32] (rows: q 0..31, k 32..47, v 48..63, as
Phi3Attention slices the projection output) with GQA (4 heads, 2 kv heads, head h uses kv head h // 2);
fused `mlp.gate_up_proj.weight` [128, 32] (rows 0..63 gate, 64..127 up, as Phi3MLP chunks it:
down(up * silu(gate))); RMSNorm eps 1e-5; default RoPE theta 1e4 (rope_scaling null, partial_rotary_factor 1.0,
sliding_window null); untied lm_head; no biases.

- Weights: projections N(0, 0.15^2), norm weights 1 + 0.2 N(0,1), embeddings N(0, 1).
- Sizes: hidden 32, 4 layers, head_dim 8, vocab 96, intermediate 64. F32 weights, `model.safetensors` written
  by hand (names sorted, contiguous offsets).
- Reference: numpy float64 (from the float32 values stored in the file), written from transformers
  `src/transformers/models/phi3/modeling_phi3.py` at commit {mc} (configuration_phi3.py read at commit {cc}).
- Seed: {seed} (`numpy.random.default_rng`; the search starts at 1234 and moves to the next seed until the
  greedy margin exceeds 1e-2), also drives the three prompts.
- Regenerate: `cd /work/refs/scripts && python3 phi3_reference.py`

Self-checks (done by the script on every run):
- identity-plan logits (all positions, all 3 sequences) recomputed with a loop-based implementation that takes
  per-head ROWS of the fused qkv tensor and per-unit gate/up rows (explicit pair-rotation RoPE, scalar
  softmax): max |diff| = {diff:.3e}.
- `model.safetensors` read back ({ntensors} tensors) bit-identical to the arrays used.
- greedy_min_margin = {margin:.6f} (> 1e-3).
"""


def main():
    cfg = phi3_config()
    seed = 1234
    while True:
        W, tensors, rng = make_weights(cfg, seed)
        model = Phi3Ref(cfg, W)
        seqs = rc.make_sequences(rng)
        ref = f"numpy float64 from transformers src/transformers/models/phi3/modeling_phi3.py at commit {MODELING_COMMIT}"
        golden = rc.build_golden(model, "phi3", "phi3", ref, seed, seqs)
        if golden["greedy_min_margin"] > MIN_MARGIN:
            break
        print(f"phi3: seed {seed} margin {golden['greedy_min_margin']} too small, next seed")
        seed += 1
    diff = rc.identity_selfcheck(model, seqs, LAYERS)
    assert diff < 1e-10, diff
    readme = README.format(mc=MODELING_COMMIT, cc=CONFIG_COMMIT, seed=seed, diff=diff, ntensors=len(tensors),
                           margin=golden["greedy_min_margin"])
    n, total = rc.write_folder("phi3", cfg, tensors, golden, readme)
    print(f"phi3: seed {seed} greedy_min_margin {golden['greedy_min_margin']:.6f} "
          f"slow-vs-fast max|diff| {diff:.3e} tensors {n} folder bytes {total}")
    return True


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
