"""float64 numpy reference + tiny random checkpoints for Qwen2 (qwen2) and Qwen3 (qwen3).

Written from transformers src/transformers/models/qwen2/modeling_qwen2.py and
src/transformers/models/qwen3/modeling_qwen3.py (see COMMITS below).

Run:  python3 /work/refs/scripts/qwen_reference.py   (writes /work/refs/qwen2 and /work/refs/qwen3)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qwen_phi3_common as rc  # noqa: E402

MODELING_COMMIT = "00d4b3d2142cb4ced2f51b90614b5d26bc045015"
CONFIG_COMMIT = "008e574391258935f3ecc3035c882e73bbcac419"

MIN_MARGIN = 1e-2  # stricter than the 1e-3 SPEC asks, so float32 implementations cannot flip a token
HIDDEN, LAYERS, HEADS, KV_HEADS, VOCAB, INTER, MAXPOS = 32, 4, 4, 2, 96, 64, 64


class QwenRef:
    """Qwen2 / Qwen3 decoder. qwen3: q_norm/k_norm over head_dim on the projected q/k (per head), before RoPE."""

    def __init__(self, kind, cfg, W):
        self.kind, self.cfg, self.W = kind, cfg, W
        self.H = cfg["num_attention_heads"]
        self.KV = cfg["num_key_value_heads"]
        self.d = cfg.get("head_dim") or cfg["hidden_size"] // self.H
        self.eps = cfg["rms_norm_eps"]
        self.theta = cfg["rope_theta"]
        self.bias = kind == "qwen2" or cfg.get("attention_bias", False)
        # Qwen2 always has q/k/v bias, never o_proj bias; Qwen3 uses attention_bias for all four
        self.o_bias = kind == "qwen3" and cfg.get("attention_bias", False)
        assert not cfg.get("use_sliding_window", False)  # every layer is full causal attention

    def embed(self, ids):
        return self.W["model.embed_tokens.weight"][np.asarray(ids)].copy()

    def lin(self, name, x, bias):
        y = x @ self.W[name + ".weight"].T
        if bias:
            y = y + self.W[name + ".bias"]
        return y

    def block(self, i, x):
        p = f"model.layers.{i}."
        S = x.shape[0]
        h = rc.rms_norm(x, self.W[p + "input_layernorm.weight"], self.eps)
        q = self.lin(p + "self_attn.q_proj", h, self.bias).reshape(S, self.H, self.d)
        k = self.lin(p + "self_attn.k_proj", h, self.bias).reshape(S, self.KV, self.d)
        v = self.lin(p + "self_attn.v_proj", h, self.bias).reshape(S, self.KV, self.d)
        if self.kind == "qwen3":
            q = rc.rms_norm(q, self.W[p + "self_attn.q_norm.weight"], self.eps)
            k = rc.rms_norm(k, self.W[p + "self_attn.k_norm.weight"], self.eps)
        q, k, v = q.transpose(1, 0, 2), k.transpose(1, 0, 2), v.transpose(1, 0, 2)
        cos, sin = rc.rope_cos_sin(S, self.d, self.theta)
        q, k = rc.apply_rope(q, cos, sin), rc.apply_rope(k, cos, sin)
        a = rc.causal_attention(q, k, v, self.d ** -0.5)
        x = x + self.lin(p + "self_attn.o_proj", a, self.o_bias)
        h = rc.rms_norm(x, self.W[p + "post_attention_layernorm.weight"], self.eps)
        m = rc.silu(h @ self.W[p + "mlp.gate_proj.weight"].T) * (h @ self.W[p + "mlp.up_proj.weight"].T)
        return x + m @ self.W[p + "mlp.down_proj.weight"].T

    def head(self, x):
        h = rc.rms_norm(x, self.W["model.norm.weight"], self.eps)
        w = self.W["model.embed_tokens.weight"] if self.cfg["tie_word_embeddings"] else self.W["lm_head.weight"]
        return h @ w.T

    # ---- second, loop-based implementation (per position, per head) for the self-check
    def slow_block(self, i, x):
        p = f"model.layers.{i}."
        W = self.W
        S, d = x.shape[0], self.d
        h = rc.slow_rms_norm(x, W[p + "input_layernorm.weight"], self.eps)
        qh, kh, vh = [], [], []
        for t in range(S):
            qs, ks, vs = [], [], []
            for hh in range(self.H):
                rows = slice(hh * d, (hh + 1) * d)
                vec = W[p + "self_attn.q_proj.weight"][rows] @ h[t]
                if self.bias:
                    vec = vec + W[p + "self_attn.q_proj.bias"][rows]
                if self.kind == "qwen3":
                    vec = rc.slow_rms_norm(vec[None], W[p + "self_attn.q_norm.weight"], self.eps)[0]
                qs.append(rc.slow_rope_vec(vec, t, self.theta))
            for g in range(self.KV):
                rows = slice(g * d, (g + 1) * d)
                kv = W[p + "self_attn.k_proj.weight"][rows] @ h[t]
                vv = W[p + "self_attn.v_proj.weight"][rows] @ h[t]
                if self.bias:
                    kv = kv + W[p + "self_attn.k_proj.bias"][rows]
                    vv = vv + W[p + "self_attn.v_proj.bias"][rows]
                if self.kind == "qwen3":
                    kv = rc.slow_rms_norm(kv[None], W[p + "self_attn.k_norm.weight"], self.eps)[0]
                ks.append(rc.slow_rope_vec(kv, t, self.theta))
                vs.append(vv)
            qh.append(qs), kh.append(ks), vh.append(vs)
        a = rc.slow_attention(qh, kh, vh, self.H, self.KV, d)
        out = np.empty_like(x)
        for t in range(S):
            o = W[p + "self_attn.o_proj.weight"] @ a[t]
            if self.o_bias:
                o = o + W[p + "self_attn.o_proj.bias"]
            out[t] = x[t] + o
        x = out
        h = rc.slow_rms_norm(x, W[p + "post_attention_layernorm.weight"], self.eps)
        out = np.empty_like(x)
        for t in range(S):
            g = W[p + "mlp.gate_proj.weight"] @ h[t]
            u = W[p + "mlp.up_proj.weight"] @ h[t]
            act = rc.slow_silu_vec(g) * u
            out[t] = x[t] + W[p + "mlp.down_proj.weight"] @ act
        return out

    def slow_logits(self, ids):
        x = self.embed(ids)
        for i in range(self.cfg["num_hidden_layers"]):
            x = self.slow_block(i, x)
        h = rc.slow_rms_norm(x, self.W["model.norm.weight"], self.eps)
        w = self.W["model.embed_tokens.weight"] if self.cfg["tie_word_embeddings"] else self.W["lm_head.weight"]
        return np.array([[float(np.dot(w[v], h[t])) for v in range(w.shape[0])] for t in range(h.shape[0])])


def qwen2_config():
    return {
        "architectures": ["Qwen2ForCausalLM"],
        "model_type": "qwen2",
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTER,
        "max_position_embeddings": MAXPOS,
        # present as in real Qwen2 configs (sliding_window == max_position_embeddings there too); inert
        # because use_sliding_window is false. Kept >= max positions so the golden does not depend on the
        # transformers version (some 4.4x versions built the eager/sdpa mask from sliding_window alone).
        "max_window_layers": LAYERS,
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "num_key_value_heads": KV_HEADS,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "sliding_window": MAXPOS,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "transformers_version": "4.56.0",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": VOCAB,
    }


def qwen3_config():
    return {
        "architectures": ["Qwen3ForCausalLM"],
        "model_type": "qwen3",
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "head_dim": 16,
        "hidden_act": "silu",
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTER,
        "max_position_embeddings": MAXPOS,
        "max_window_layers": LAYERS,
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "num_key_value_heads": KV_HEADS,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 1000000.0,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.56.0",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": VOCAB,
    }


def make_weights(kind, cfg, seed):
    rng = np.random.default_rng(seed)
    I = rc.Init(rng)
    W = {}
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = cfg.get("head_dim") or cfg["hidden_size"] // H
    if cfg["tie_word_embeddings"]:
        # tied head: with N(0, 1) embeddings the token's own embedding dominates the final residual and
        # greedy just repeats the last prompt token whatever the plan; N(0, 0.3^2) lets the blocks decide.
        W["model.embed_tokens.weight"] = I.proj("model.embed_tokens.weight", (VOCAB, HIDDEN), std=0.3)
    else:
        W["model.embed_tokens.weight"] = I.emb("model.embed_tokens.weight", (VOCAB, HIDDEN))
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        W[p + "input_layernorm.weight"] = I.norm(p + "input_layernorm.weight", HIDDEN)
        for nm, rows in (("q_proj", H * d), ("k_proj", KV * d), ("v_proj", KV * d)):
            W[p + f"self_attn.{nm}.weight"] = I.proj(p + f"self_attn.{nm}.weight", (rows, HIDDEN))
            if kind == "qwen2":
                W[p + f"self_attn.{nm}.bias"] = I.bias(p + f"self_attn.{nm}.bias", rows)
        W[p + "self_attn.o_proj.weight"] = I.proj(p + "self_attn.o_proj.weight", (HIDDEN, H * d))
        if kind == "qwen3":
            W[p + "self_attn.q_norm.weight"] = I.norm(p + "self_attn.q_norm.weight", d)
            W[p + "self_attn.k_norm.weight"] = I.norm(p + "self_attn.k_norm.weight", d)
        W[p + "post_attention_layernorm.weight"] = I.norm(p + "post_attention_layernorm.weight", HIDDEN)
        W[p + "mlp.gate_proj.weight"] = I.proj(p + "mlp.gate_proj.weight", (INTER, HIDDEN))
        W[p + "mlp.up_proj.weight"] = I.proj(p + "mlp.up_proj.weight", (INTER, HIDDEN))
        W[p + "mlp.down_proj.weight"] = I.proj(p + "mlp.down_proj.weight", (HIDDEN, INTER))
    W["model.norm.weight"] = I.norm("model.norm.weight", HIDDEN)
    if not cfg["tie_word_embeddings"]:
        W["lm_head.weight"] = I.proj("lm_head.weight", (VOCAB, HIDDEN))
    return W, I.tensors, rng


README = """# {variant}: tiny random {arch} checkpoint + float64 numpy golden

Exercises: {exercises}

- Weights: projections N(0, 0.15^2), norm weights 1 + 0.2 N(0,1),{biases} embeddings {embstd}.
- Sizes: hidden 32, 4 layers, 4 heads, 2 kv heads (GQA, head h uses kv head h // 2), head_dim {d},
  vocab 96, intermediate 64. F32 weights, `model.safetensors` written by hand (names sorted, contiguous offsets).
- Reference: numpy float64 (from the float32 values stored in the file), written from transformers
  `{modeling}` at commit {mc} (configuration file read at commit {cc}).
- Seed: {seed} (`numpy.random.default_rng`; the search starts at 1234 and moves to the next seed until the
  greedy margin exceeds 1e-2), also drives the three prompts.
- Regenerate: `cd /work/refs/scripts && python3 qwen_reference.py`

Self-checks (done by the script on every run):
- identity-plan logits (all positions, all 3 sequences) recomputed with a loop-based per-position,
  per-head implementation (explicit pair-rotation RoPE, scalar softmax): max |diff| = {diff:.3e}.
- `model.safetensors` read back ({ntensors} tensors) bit-identical to the arrays used.
- greedy_min_margin = {margin:.6f} (> 1e-3).
"""


def main():
    out = {}
    for kind, cfgf, exercises, seed in (
        ("qwen2", qwen2_config,
         "q/k/v projection biases (o_proj none), RMSNorm eps 1e-6, SwiGLU, RoPE theta 1e4, GQA 4/2, TIED "
         "embeddings (no lm_head tensor), sliding_window/max_window_layers present but inert "
         "(use_sliding_window false), generation_config.json with eos_token_id list [2, 3].", 1234),
        ("qwen3", qwen3_config,
         "per-head RMSNorm q_norm/k_norm (weight [head_dim]) on q and k after projection and before RoPE, "
         "explicit head_dim 16 (heads*head_dim = 64 != hidden 32), no attention biases, UNTIED lm_head, "
         "RoPE theta 1e6, GQA 4/2.", 1234),
    ):
        cfg = cfgf()
        while True:
            W, tensors, rng = make_weights(kind, cfg, seed)
            model = QwenRef(kind, cfg, W)
            seqs = rc.make_sequences(rng)
            ref = (f"numpy float64 from transformers src/transformers/models/{kind}/modeling_{kind}.py "
                   f"at commit {MODELING_COMMIT}")
            golden = rc.build_golden(model, kind, kind, ref, seed, seqs)
            if golden["greedy_min_margin"] > MIN_MARGIN:
                break
            print(f"{kind}: seed {seed} margin {golden['greedy_min_margin']} too small, next seed")
            seed += 1
        # self-check: loop-based logits vs vectorised, identity plan, all positions
        diff = rc.identity_selfcheck(model, seqs, LAYERS)
        assert diff < 1e-10, diff
        gen = {"bos_token_id": 1, "eos_token_id": [2, 3], "transformers_version": "4.56.0"} \
            if kind == "qwen2" else None
        d = cfg.get("head_dim") or HIDDEN // HEADS
        readme = README.format(
            variant=kind, arch=cfg["architectures"][0], exercises=exercises, d=d,
            embstd="N(0, 0.3^2) (tied head: N(0,1) made greedy just repeat the last prompt token)" if cfg["tie_word_embeddings"] else "N(0, 1)",
            biases=" q/k/v biases 0.1 N(0,1)," if kind == "qwen2" else "",
            modeling=f"src/transformers/models/{kind}/modeling_{kind}.py", mc=MODELING_COMMIT,
            cc=CONFIG_COMMIT, seed=seed, diff=diff, ntensors=len(tensors), margin=golden["greedy_min_margin"])
        n, total = rc.write_folder(kind, cfg, tensors, golden, readme, gen)
        out[kind] = (seed, golden["greedy_min_margin"], diff, n, total)
        print(f"{kind}: seed {seed} greedy_min_margin {golden['greedy_min_margin']:.6f} "
              f"slow-vs-fast max|diff| {diff:.3e} tensors {n} folder bytes {total}")
    return out


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
