"""Plausible wrong answers to the Chapter 11 exercises: tests of the tests.

Each entry replaces one solution cell of ``solutions/ch11/ch11_exercises.ipynb`` with what a
student might submit: the reference solution with one plausible mistake. Grading the notebook
with that cell must make exactly the test cells in ``fails`` lose their points, each on one of
the clauses in ``breaks`` (keys of the cells' CONTRACT), while every other test cell keeps them.

Each entry is written as edits of the reference cell: ``(correct text, wrong text)`` pairs,
each of which must occur exactly once in the cell. The mistake is all that an entry shows.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from autograder.corpus import edited_answer, solution_cells

_SOURCE = Path(__file__).resolve().parents[2] / "solutions" / "ch11" / "ch11_exercises.ipynb"


_CORRECT = solution_cells(_SOURCE)
_wrong = partial(edited_answer, _CORRECT)

_SCORES = "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])"
_11_1 = ["ex11_1_tests_values", "ex11_1_tests_masks"]
_11_2 = ["ex11_2_tests_outputs", "ex11_2_tests_masks"]
_11_4_BLOCK = ["ex11_4_tests_block_post", "ex11_4_tests_block_pre"]

WRONG_ANSWERS: list[dict] = [
    # 11.1 -----------------------------------------------------------------------------
    _wrong(
        "ex11_1 no scaling by sqrt(d_k)",
        "ex11_1_solution",
        [(_SCORES, "scores = q @ k.transpose(-2, -1)")],
        _11_1,
        ["values", "bool-mask"],
    ),
    _wrong(
        "ex11_1 scaled by d_k instead of its square root",
        "ex11_1_solution",
        [(_SCORES, "scores = q @ k.transpose(-2, -1) / q.shape[-1]")],
        _11_1,
        ["values", "bool-mask"],
    ),
    _wrong(
        "ex11_1 softmax over the queries (dim=-2): rows do not sum to 1",
        "ex11_1_solution",
        [("weights = torch.softmax(scores, dim=-1)", "weights = torch.softmax(scores, dim=-2)")],
        _11_1,
        ["values", "rows", "bool-mask"],
    ),
    _wrong(
        "ex11_1 the weights detached: no gradient reaches q and k",
        "ex11_1_solution",
        [
            (
                "weights = torch.softmax(scores, dim=-1)",
                "weights = torch.softmax(scores, dim=-1).detach()",
            )
        ],
        ["ex11_1_tests_values"],
        ["gradients"],
    ),
    _wrong(
        "ex11_1 the scores made float32 whatever the input's dtype",
        "ex11_1_solution",
        [(_SCORES, "scores = (q @ k.transpose(-2, -1)).float() / math.sqrt(q.shape[-1])")],
        _11_1,
        ["dtype-device", "float16"],
    ),
    _wrong(
        "ex11_1 a zero mask made on the CPU when none is given",
        "ex11_1_solution",
        [
            (
                "    if mask is not None:\n        if mask.dtype",
                "    if mask is None:\n        mask = torch.zeros(scores.shape[-2:])\n"
                "    if mask is not None:\n        if mask.dtype",
            )
        ],
        ["ex11_1_tests_values"],
        ["dtype-device"],
    ),
    _wrong(
        "ex11_1 the boolean mask read as True = blocked (nn.MultiheadAttention's convention)",
        "ex11_1_solution",
        [("scores.masked_fill(~mask, ", "scores.masked_fill(mask, ")],
        ["ex11_1_tests_masks"],
        ["bool-mask"],
    ),
    _wrong(
        "ex11_1 a float mask ignored",
        "ex11_1_solution",
        [("            scores = scores + mask\n", "            pass\n")],
        ["ex11_1_tests_masks"],
        ["float-mask"],
    ),
    _wrong(
        "ex11_1 -1e9 as the fill value: overflows in float16",
        "ex11_1_solution",
        [('scores.masked_fill(~mask, float("-inf"))', "scores.masked_fill(~mask, -1e9)")],
        ["ex11_1_tests_masks"],
        ["float16"],
    ),
    # 11.2 -----------------------------------------------------------------------------
    _wrong(
        "ex11_2 projections without bias",
        "ex11_2_solution",
        [
            (
                "        self.w_q = nn.Linear(d_model, d_model)\n"
                "        self.w_k = nn.Linear(d_model, d_model)\n"
                "        self.w_v = nn.Linear(d_model, d_model)\n"
                "        self.w_o = nn.Linear(d_model, d_model)\n",
                "        self.w_q = nn.Linear(d_model, d_model, bias=False)\n"
                "        self.w_k = nn.Linear(d_model, d_model, bias=False)\n"
                "        self.w_v = nn.Linear(d_model, d_model, bias=False)\n"
                "        self.w_o = nn.Linear(d_model, d_model, bias=False)\n",
            ),
            ("                layer.bias.copy_(b)\n", ""),
            ("\n            self.w_o.bias.copy_(mha.out_proj.bias)", ""),
        ],
        ["ex11_2_tests_parameters", *_11_2],
        ["count", "outputs", "masks"],
    ),
    _wrong(
        "ex11_2 no output projection",
        "ex11_2_solution",
        [
            ("        self.w_o = nn.Linear(d_model, d_model)\n", ""),
            ("return self.w_o(out), weights", "return out, weights"),
            (
                "\n            self.w_o.weight.copy_(mha.out_proj.weight)"
                "\n            self.w_o.bias.copy_(mha.out_proj.bias)",
                "",
            ),
        ],
        ["ex11_2_tests_parameters", *_11_2],
        ["count", "outputs", "masks"],
    ),
    _wrong(
        "ex11_2 heads split along the wrong axis of the features",
        "ex11_2_solution",
        [
            (
                "return x.view(B, T, h, d // h).transpose(1, 2)",
                "return x.view(B, T, d // h, h).permute(0, 3, 1, 2)",
            )
        ],
        _11_2,
        ["outputs", "masks"],
    ),
    _wrong(
        "ex11_2 scaled by sqrt(d_model) instead of sqrt(d_head)",
        "ex11_2_solution",
        [("/ math.sqrt(d // h)", "/ math.sqrt(d)")],
        _11_2,
        ["outputs", "masks"],
    ),
    _wrong(
        "ex11_2 the key and value weights swapped when loading",
        "ex11_2_solution",
        [
            (
                "w_q, w_k, w_v = mha.in_proj_weight.chunk(3)",
                "w_q, w_v, w_k = mha.in_proj_weight.chunk(3)",
            ),
            (
                "b_q, b_k, b_v = mha.in_proj_bias.chunk(3)",
                "b_q, b_v, b_k = mha.in_proj_bias.chunk(3)",
            ),
        ],
        _11_2,
        ["outputs", "masks"],
    ),
    _wrong(
        "ex11_2 attn_mask read as True = may attend (the convention of Exercise 11.1)",
        "ex11_2_solution",
        [("scores.masked_fill(attn_mask, ", "scores.masked_fill(~attn_mask, ")],
        ["ex11_2_tests_masks"],
        ["masks"],
    ),
    _wrong(
        "ex11_2 the key_padding_mask applied to the queries",
        "ex11_2_solution",
        [("key_padding_mask[:, None, None, :]", "key_padding_mask[:, None, :, None]")],
        ["ex11_2_tests_masks"],
        ["masks"],
    ),
    # 11.3 -----------------------------------------------------------------------------
    _wrong(
        "ex11_3 sin and cos swapped",
        "ex11_3_solution",
        [
            (
                "torch.stack([torch.sin(angle), torch.cos(angle)], dim=-1)",
                "torch.stack([torch.cos(angle), torch.sin(angle)], dim=-1)",
            )
        ],
        ["ex11_3_tests_encoding", "ex11_3_tests_module"],
        ["encoding", "buffer"],
    ),
    _wrong(
        "ex11_3 the exponent i / d instead of 2i / d",
        "ex11_3_solution",
        [
            (
                "-torch.arange(0, d, 2, dtype=torch.float64) / d",
                "-torch.arange(0, d // 2, dtype=torch.float64) / d",
            )
        ],
        ["ex11_3_tests_encoding", "ex11_3_tests_module"],
        ["encoding", "buffer"],
    ),
    _wrong(
        "ex11_3 pe a plain attribute, not a buffer",
        "ex11_3_solution",
        [
            (
                'self.register_buffer("pe", sinusoidal_encoding(max_len, d_model))',
                "self.pe = sinusoidal_encoding(max_len, d_model)",
            )
        ],
        ["ex11_3_tests_module"],
        ["buffer"],
    ),
    _wrong(
        "ex11_3 pe an nn.Parameter: trained, and 16,384 more parameters",
        "ex11_3_solution",
        [
            (
                'self.register_buffer("pe", sinusoidal_encoding(max_len, d_model))',
                "self.pe = nn.Parameter(sinusoidal_encoding(max_len, d_model))",
            )
        ],
        ["ex11_3_tests_module", "ex11_3_tests_order"],
        ["buffer", "layers", "limits"],
    ),
    _wrong(
        "ex11_3 the encoding sliced by the batch size",
        "ex11_3_solution",
        [("return x + self.pe[: x.shape[1]]", "return x + self.pe[: x.shape[0], None]")],
        ["ex11_3_tests_module", "ex11_3_tests_order"],
        ["forward", "accuracy"],
    ),
    _wrong(
        "ex11_3 the embeddings scaled by sqrt(d_model) inside PositionalEncoding: the "
        "encoding drowns",
        "ex11_3_solution",
        [
            (
                "return x + self.pe[: x.shape[1]]",
                "return x * math.sqrt(x.shape[-1]) + self.pe[: x.shape[1]]",
            )
        ],
        ["ex11_3_tests_module", "ex11_3_tests_order"],
        ["forward", "accuracy"],
    ),
    _wrong(
        "ex11_3 the encoding added even when positional=False",
        "ex11_3_solution",
        [
            (
                "self.position = PositionalEncoding(d_model) if positional else None",
                "self.position = PositionalEncoding(d_model)",
            )
        ],
        ["ex11_3_tests_order"],
        ["invariant"],
    ),
    _wrong(
        "ex11_3 the last position instead of the mean",
        "ex11_3_solution",
        [("return self.head(h.mean(dim=1))", "return self.head(h[:, -1])")],
        ["ex11_3_tests_order"],
        ["invariant"],
    ),
    _wrong(
        "ex11_3 the classifier never adds the encoding",
        "ex11_3_solution",
        [("            h = self.position(h)\n", "            h = h\n")],
        ["ex11_3_tests_order"],
        ["accuracy"],
    ),
    # 11.4 -----------------------------------------------------------------------------
    _wrong(
        "ex11_4 GELU instead of ReLU in the feed-forward layer",
        "ex11_4_solution",
        [("F.relu(self.linear1(h))", "F.gelu(self.linear1(h))")],
        _11_4_BLOCK,
        ["post-norm", "pre-norm"],
    ),
    _wrong(
        "ex11_4 pre-norm and post-norm swapped",
        "ex11_4_solution",
        [
            (
                "        if self.norm_first:\n            x = x + sa",
                "        if not self.norm_first:\n            x = x + sa",
            )
        ],
        _11_4_BLOCK,
        ["post-norm", "pre-norm"],
    ),
    _wrong(
        "ex11_4 the attention's own names (attn)",
        "ex11_4_solution",
        [
            (
                "        self.self_attn = nn.MultiheadAttention(",
                "        self.attn = nn.MultiheadAttention(",
            ),
            ("out = self.self_attn(h, h, h,", "out = self.attn(h, h, h,"),
        ],
        ["ex11_4_tests_layers", *_11_4_BLOCK],
        ["layers", "post-norm", "pre-norm"],
    ),
    _wrong(
        "ex11_4 norm_first not kept under that name",
        "ex11_4_solution",
        [
            ("        self.norm_first = norm_first\n", "        self.pre_norm = norm_first\n"),
            ("        if self.norm_first:\n", "        if self.pre_norm:\n"),
        ],
        ["ex11_4_tests_layers"],
        ["norm-first"],
    ),
    _wrong(
        "ex11_4 the padding mask not given to the attention",
        "ex11_4_solution",
        [("key_padding_mask=padding_mask,", "key_padding_mask=None,")],
        [*_11_4_BLOCK, "ex11_4_tests_padding"],
        ["padding"],
    ),
    _wrong(
        "ex11_4 a plain mean over all positions, padding included",
        "ex11_4_solution",
        [
            (
                "        if padding_mask is None:\n            return",
                "        if True:\n            return",
            )
        ],
        ["ex11_4_tests_padding"],
        ["padding"],
    ),
    _wrong(
        "ex11_4 the mean taken with keepdim=True: logits of shape (B, 1, classes)",
        "ex11_4_solution",
        [("return self.head(h.mean(dim=1))", "return self.head(h.mean(dim=1, keepdim=True))")],
        ["ex11_4_tests_padding", "ex11_4_tests_training"],
        ["shape", "accuracy"],
    ),
    _wrong(
        "ex11_4 a feed-forward layer 16 times as wide: too many parameters",
        "ex11_4_solution",
        [
            (
                "TransformerEncoderBlock(d_model, nhead, d_ff, dropout=0.0, norm_first=True)",
                "TransformerEncoderBlock(d_model, nhead, 16 * d_ff, dropout=0.0, norm_first=True)",
            )
        ],
        ["ex11_4_tests_training"],
        ["layers", "limits"],
    ),
    _wrong(
        "ex11_4 the encoder's output detached: only the last layer learns",
        "ex11_4_solution",
        [("        h = self.norm(h)\n", "        h = self.norm(h).detach()\n")],
        ["ex11_4_tests_training"],
        ["accuracy"],
    ),
    # 11.5 -----------------------------------------------------------------------------
    _wrong(
        "ex11_5 causal_mask with triu: the future instead of the past",
        "ex11_5_solution",
        [
            (
                "    return torch.ones(T, T, dtype=torch.bool).tril()",
                "    return torch.ones(T, T, dtype=torch.bool).triu()",
            )
        ],
        ["ex11_5_tests_causality"],
        ["mask"],
    ),
    _wrong(
        "ex11_5 no mask in the blocks: every position sees the whole name",
        "ex11_5_solution",
        [("h = block(h, src_mask=blocked)", "h = block(h)")],
        ["ex11_5_tests_causality"],
        ["causal"],
    ),
    _wrong(
        "ex11_5 the mask given to nn.MultiheadAttention in SDPA's convention",
        "ex11_5_solution",
        [("blocked = ~causal_mask(T).to(idx.device)", "blocked = causal_mask(T).to(idx.device)")],
        ["ex11_5_tests_causality", "ex11_5_tests_training"],
        ["causal", "loss"],
    ),
    _wrong(
        "ex11_5 the head reads the token embeddings: a bigram model",
        "ex11_5_solution",
        [("return self.head(self.norm(h))", "return self.head(self.norm(self.token(idx)))")],
        ["ex11_5_tests_training"],
        ["loss"],
    ),
    _wrong(
        "ex11_5 a feed-forward layer 64 times as wide: too many parameters",
        "ex11_5_solution",
        [("d_model, num_heads, 4 * d_model,", "d_model, num_heads, 64 * d_model,")],
        ["ex11_5_tests_training"],
        ["limits"],
    ),
    _wrong(
        "ex11_5 top-k keeps the k - 1 largest (<= instead of <)",
        "ex11_5_solution",
        [("logits.masked_fill(logits < kth,", "logits.masked_fill(logits <= kth,")],
        ["ex11_5_tests_sampling"],
        ["top-k"],
    ),
    _wrong(
        "ex11_5 the logits multiplied by the temperature",
        "ex11_5_solution",
        [
            (
                "top_k_filter(logits / temperature, top_k)",
                "top_k_filter(logits * temperature, top_k)",
            )
        ],
        ["ex11_5_tests_sampling"],
        ["sample"],
    ),
    _wrong(
        "ex11_5 top_k ignored when sampling",
        "ex11_5_solution",
        [("top_k_filter(logits / temperature, top_k)", "logits / temperature")],
        ["ex11_5_tests_sampling"],
        ["sample", "support"],
    ),
    _wrong(
        "ex11_5 greedy decoding returns shape (B, 1)",
        "ex11_5_solution",
        [
            (
                "        return logits.argmax(dim=-1)\n",
                "        return logits.argmax(dim=-1, keepdim=True)\n",
            )
        ],
        ["ex11_5_tests_sampling", "ex11_5_tests_generation"],
        ["greedy", "crop"],
    ),
    _wrong(
        "ex11_5 generate gives the model the whole sequence",
        "ex11_5_solution",
        [("logits = model(idx[:, -block_size:])[:, -1, :]", "logits = model(idx)[:, -1, :]")],
        ["ex11_5_tests_generation"],
        ["crop"],
    ),
    _wrong(
        "ex11_5 generate samples from the logits of the first position",
        "ex11_5_solution",
        [
            (
                "logits = model(idx[:, -block_size:])[:, -1, :]",
                "logits = model(idx[:, -block_size:])[:, 0, :]",
            )
        ],
        ["ex11_5_tests_generation"],
        ["generate"],
    ),
    # 11.6 -----------------------------------------------------------------------------
    _wrong(
        "ex11_6 the block's input given to self_attn also in pre-norm blocks",
        "ex11_6_solution",
        [("a = layer.norm1(h) if layer.norm_first else h", "a = h")],
        ["ex11_6_tests_maps"],
        ["maps"],
    ),
    _wrong(
        "ex11_6 every layer given x: h never updated",
        "ex11_6_solution",
        [("            h = layer(h)\n", "")],
        ["ex11_6_tests_maps"],
        ["maps"],
    ),
    _wrong(
        "ex11_6 the weights averaged over the heads",
        "ex11_6_solution",
        [("average_attn_weights=False", "average_attn_weights=True")],
        ["ex11_6_tests_maps", "ex11_6_tests_distance"],
        ["maps", "local-uniform"],
    ),
    _wrong(
        "ex11_6 the maps transposed (keys by queries): columns sum to 1",
        "ex11_6_solution",
        [("maps.append(weights)", "maps.append(weights.transpose(-2, -1))")],
        ["ex11_6_tests_maps"],
        ["maps", "rows"],
    ),
    _wrong(
        "ex11_6 the mean over the keys instead of the weighted sum",
        "ex11_6_solution",
        [(".sum(dim=-1).mean(dim=(1, 3))", ".mean(dim=-1).mean(dim=(1, 3))")],
        ["ex11_6_tests_distance"],
        ["distance"],
    ),
    _wrong(
        "ex11_6 squared distances",
        "ex11_6_solution",
        [
            (
                "(position[:, None] - position[None, :]).abs()",
                "(position[:, None] - position[None, :]).pow(2)",
            )
        ],
        ["ex11_6_tests_distance"],
        ["distance"],
    ),
]
