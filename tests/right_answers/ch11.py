"""Correct answers to the Chapter 11 exercises, written the way other students would.

Each entry replaces one solution cell of ``solutions/ch11/ch11_exercises.ipynb``; every test
cell the answer reaches must keep its points (see autograder/corpus.py). They vary what the
statements leave open: ``einsum`` or ``@``, ``-inf`` or ``torch.finfo(dtype).min`` as the fill
value, ``torch.where`` or ``masked_fill``, one fused input projection or three, loops over the
heads, encodings built by interleaving or by slicing, ``nn.Embedding`` for positions, other
layers inside the language model, sampling row by row.
"""

from __future__ import annotations

RIGHT_ANSWERS: list[dict] = [
    # 11.1 -----------------------------------------------------------------------------
    {
        "name": "ex11_1 einsum, torch.finfo(dtype).min as the fill value",
        "cell": "ex11_1_solution",
        "source": """
def scaled_dot_product_attention(q, k, v, mask=None):
    d_k = q.size(-1)
    scores = torch.einsum("...id,...jd->...ij", q, k) / d_k**0.5
    if mask is not None:
        if mask.dtype is torch.bool:
            scores = scores.masked_fill(mask.logical_not(), torch.finfo(scores.dtype).min)
        else:
            scores = scores + mask
    weights = F.softmax(scores, dim=-1)
    output = torch.einsum("...ij,...jd->...id", weights, v)
    return output, weights
""",
    },
    {
        "name": "ex11_1 torch.where with -inf, the bool mask turned into an additive one",
        "cell": "ex11_1_solution",
        "source": """
def scaled_dot_product_attention(q, k, v, mask=None):
    scale = 1.0 / math.sqrt(k.shape[-1])
    scores = torch.matmul(q, k.transpose(-1, -2)) * scale
    if mask is not None and mask.dtype == torch.bool:
        zero = torch.zeros((), dtype=scores.dtype, device=scores.device)
        minus_inf = torch.full((), float("-inf"), dtype=scores.dtype, device=scores.device)
        mask = torch.where(mask, zero, minus_inf)
    if mask is not None:
        scores = scores + mask
    weights = scores.softmax(-1)
    return torch.matmul(weights, v), weights
""",
    },
    # 11.2 -----------------------------------------------------------------------------
    {
        "name": "ex11_2 one fused projection like PyTorch's, 11.1's function, masks combined",
        "cell": "ex11_2_solution",
        "source": """
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        assert d_model % num_heads == 0
        self.d_model, self.h = d_model, num_heads
        self.in_proj = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, query, key, value, key_padding_mask=None, attn_mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        w_q, w_k, w_v = self.in_proj.weight.chunk(3)
        b_q, b_k, b_v = self.in_proj.bias.chunk(3)
        q = F.linear(query, w_q, b_q).reshape(B, Tq, self.h, -1).permute(0, 2, 1, 3)
        k = F.linear(key, w_k, b_k).reshape(B, Tk, self.h, -1).permute(0, 2, 1, 3)
        v = F.linear(value, w_v, b_v).reshape(B, Tk, self.h, -1).permute(0, 2, 1, 3)
        blocked = torch.zeros(B, 1, Tq, Tk, dtype=torch.bool, device=query.device)
        if key_padding_mask is not None:
            blocked = blocked | key_padding_mask.view(B, 1, 1, Tk)
        if attn_mask is not None:
            blocked = blocked | attn_mask
        out, weights = scaled_dot_product_attention(q, k, v, mask=~blocked)
        out = out.permute(0, 2, 1, 3).reshape(B, Tq, d)
        return self.out_proj(out), weights

    def load_from_torch(self, mha):
        with torch.no_grad():
            self.in_proj.weight.copy_(mha.in_proj_weight)
            self.in_proj.bias.copy_(mha.in_proj_bias)
            self.out_proj.weight.copy_(mha.out_proj.weight)
            self.out_proj.bias.copy_(mha.out_proj.bias)
""",
    },
    {
        "name": "ex11_2 a loop over the heads, load_state_dict, float masks with finfo.min",
        "cell": "ex11_2_solution",
        "source": """
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, query, key, value, key_padding_mask=None, attn_mask=None):
        q, k, v = self.q_proj(query), self.k_proj(key), self.v_proj(value)
        bias = torch.zeros(query.shape[0], query.shape[1], key.shape[1], dtype=query.dtype)
        low = torch.finfo(query.dtype).min
        if key_padding_mask is not None:
            bias = bias.masked_fill(key_padding_mask[:, None, :], low)
        if attn_mask is not None:
            bias = bias.masked_fill(attn_mask, low)
        outs, maps = [], []
        for i in range(self.num_heads):
            part = slice(i * self.head_dim, (i + 1) * self.head_dim)
            scores = q[..., part] @ k[..., part].transpose(1, 2) / self.head_dim**0.5
            w = torch.softmax(scores + bias, dim=-1)
            outs.append(w @ v[..., part])
            maps.append(w)
        return self.o_proj(torch.cat(outs, dim=-1)), torch.stack(maps, dim=1)

    def load_from_torch(self, mha):
        d = self.q_proj.in_features
        w, b = mha.in_proj_weight.detach(), mha.in_proj_bias.detach()
        self.load_state_dict({
            "q_proj.weight": w[:d], "q_proj.bias": b[:d],
            "k_proj.weight": w[d : 2 * d], "k_proj.bias": b[d : 2 * d],
            "v_proj.weight": w[2 * d :], "v_proj.bias": b[2 * d :],
            "o_proj.weight": mha.out_proj.weight.detach(),
            "o_proj.bias": mha.out_proj.bias.detach(),
        })
""",
    },
    # 11.3 -----------------------------------------------------------------------------
    {
        "name": "ex11_3 slices 0::2 and 1::2, exp-log frequencies, pe as an nn.Embedding-free "
        "buffer, a Sequential feed-forward",
        "cell": "ex11_3_solution",
        "source": """
def sinusoidal_encoding(T, d):
    pe = torch.zeros(T, d)
    position = torch.arange(0, T).unsqueeze(1).float()
    div_term = torch.exp(torch.arange(0, d, 2).float() * (-math.log(10000.0) / d))
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=512):
        super().__init__()
        pe = sinusoidal_encoding(max_len, d_model)
        self.register_buffer("pe", pe, persistent=True)

    def forward(self, x):
        T = x.size(1)
        return x + self.pe[:T, :].unsqueeze(0)


class OrderClassifier(nn.Module):
    def __init__(self, vocab=8, d_model=32, num_heads=4, positional=True):
        super().__init__()
        self.positional = positional
        self.emb = nn.Embedding(vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        self.attn = nn.MultiheadAttention(d_model, num_heads, batch_first=True)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, 2 * d_model), nn.ReLU(), nn.Linear(2 * d_model, d_model)
        )
        self.out = nn.Linear(d_model, 2)

    def forward(self, tokens):
        h = self.emb(tokens)
        if self.positional:
            h = self.pos(h)
        attended, _ = self.attn(h, h, h)
        h = h + attended
        h = h + self.ffn(h)
        return self.out(h.mean(1))
""",
    },
    {
        "name": "ex11_3 loops in float64, pe kept as a buffer of the module, torch.relu",
        "cell": "ex11_3_solution",
        "source": """
def sinusoidal_encoding(T: int, d: int) -> torch.Tensor:
    pe = torch.empty(T, d, dtype=torch.float64)
    for p in range(T):
        for i in range(0, d, 2):
            angle = p / (10000 ** (i / d))
            pe[p, i] = math.sin(angle)
            pe[p, i + 1] = math.cos(angle)
    return pe.to(torch.float32)


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, max_len: int = 512) -> None:
        super().__init__()
        self.register_buffer("pe", sinusoidal_encoding(max_len, d_model))

    def forward(self, x):
        return x + self.pe[None, : x.shape[1]]


class FeedForward(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class OrderClassifier(nn.Module):
    def __init__(self, vocab=8, d_model=32, num_heads=4, positional=True):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d_model)
        self.pe = PositionalEncoding(d_model) if positional else nn.Identity()
        self.attention = nn.MultiheadAttention(d_model, num_heads, batch_first=True)
        self.ffn = FeedForward(d_model)
        self.classify = nn.Linear(d_model, 2)

    def forward(self, tokens):
        x = self.pe(self.embedding(tokens))
        x = x + self.attention(x, x, x, need_weights=False)[0]
        x = x + self.ffn(x)
        return self.classify(x.mean(dim=1))
""",
    },
    # 11.4 -----------------------------------------------------------------------------
    {
        "name": "ex11_4 three dropouts like PyTorch's, nn.Embedding positions, a masked mean "
        "with masked_fill",
        "cell": "ex11_4_solution",
        "source": """
class TransformerEncoderBlock(nn.Module):
    def __init__(self, d_model, nhead, d_ff, dropout=0.1, norm_first=False):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm_first = norm_first
        self.norm1 = nn.LayerNorm(d_model, eps=1e-5)
        self.norm2 = nn.LayerNorm(d_model, eps=1e-5)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.activation = nn.ReLU()

    def _sa_block(self, x, padding_mask):
        x = self.self_attn(x, x, x, key_padding_mask=padding_mask, need_weights=False)[0]
        return self.dropout1(x)

    def _ff_block(self, x):
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout2(x)

    def forward(self, x, padding_mask=None):
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), padding_mask)
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + self._sa_block(x, padding_mask))
            x = self.norm2(x + self._ff_block(x))
        return x


class TransformerClassifier(nn.Module):
    def __init__(self, in_features=8, d_model=32, nhead=4, d_ff=64, num_layers=2,
                 num_classes=10, max_len=64):
        super().__init__()
        self.input = nn.Linear(in_features, d_model)
        self.pos_embedding = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList([
            TransformerEncoderBlock(d_model, nhead, d_ff, 0.0, norm_first=True)
            for _ in range(num_layers)
        ])
        self.final_norm = nn.LayerNorm(d_model)
        self.classifier = nn.Linear(d_model, num_classes)

    def forward(self, x, padding_mask=None):
        positions = torch.arange(x.shape[1], device=x.device)
        h = self.input(x) + self.pos_embedding(positions)
        for block in self.blocks:
            h = block(h, padding_mask=padding_mask)
        h = self.final_norm(h)
        if padding_mask is not None:
            h = h.masked_fill(padding_mask.unsqueeze(-1), 0.0)
            lengths = (~padding_mask).sum(dim=1, keepdim=True)
        else:
            lengths = torch.full((x.shape[0], 1), x.shape[1], device=x.device)
        return self.classifier(h.sum(dim=1) / lengths)
""",
    },
    {
        "name": "ex11_4 one residual helper, a zero-initialised position parameter, "
        "keep weights from torch.where",
        "cell": "ex11_4_solution",
        "source": """
class TransformerEncoderBlock(nn.Module):
    def __init__(self, d_model, nhead, d_ff, dropout=0.1, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout, batch_first=True)
        self.linear1, self.linear2 = nn.Linear(d_model, d_ff), nn.Linear(d_ff, d_model)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, padding_mask=None):
        def attention(y):
            return self.drop(self.self_attn(y, y, y, key_padding_mask=padding_mask)[0])

        def feed_forward(y):
            return self.drop(self.linear2(self.drop(torch.relu(self.linear1(y)))))

        for sub, norm in ((attention, self.norm1), (feed_forward, self.norm2)):
            x = x + sub(norm(x)) if self.norm_first else norm(x + sub(x))
        return x


class TransformerClassifier(nn.Module):
    def __init__(self, in_features=8, d_model=32, nhead=4, d_ff=64, num_layers=2,
                 num_classes=10, max_len=64):
        super().__init__()
        self.proj = nn.Linear(in_features, d_model)
        self.pos = nn.Parameter(torch.zeros(max_len, d_model))
        self.encoder = nn.ModuleList(
            [TransformerEncoderBlock(d_model, nhead, d_ff, dropout=0.0, norm_first=True)
             for _ in range(num_layers)]
        )
        self.ln = nn.LayerNorm(d_model)
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, x, padding_mask=None):
        B, T, _ = x.shape
        h = self.proj(x) + self.pos[:T]
        for block in self.encoder:
            h = block(h, padding_mask)
        h = self.ln(h)
        if padding_mask is None:
            padding_mask = torch.zeros(B, T, dtype=torch.bool, device=x.device)
        w = torch.where(padding_mask, 0.0, 1.0).to(h.dtype)
        w = w / w.sum(dim=1, keepdim=True)
        return self.fc(torch.einsum("bt,btd->bd", w, h))
""",
    },
    # 11.5 -----------------------------------------------------------------------------
    {
        "name": "ex11_5 blocks written out with F.scaled_dot_product_attention, sampling row "
        "by row is not needed: torch.topk and scatter",
        "cell": "ex11_5_solution",
        "source": """
def causal_mask(T):
    i = torch.arange(T)
    return i[None, :] <= i[:, None]


class CausalSelfAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q, k, v = (t.view(B, T, self.h, d // self.h).transpose(1, 2) for t in (q, k, v))
        mask = causal_mask(T).to(x.device)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.proj(y.transpose(1, 2).reshape(B, T, d))


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = CausalSelfAttention(d, h)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab_size=27, block_size=12, d_model=32, num_heads=4, num_layers=2):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, d_model)
        self.wpe = nn.Embedding(block_size, d_model)
        self.blocks = nn.Sequential(*[Block(d_model, num_heads) for _ in range(num_layers)])
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        pos = torch.arange(idx.shape[1], device=idx.device)
        x = self.blocks(self.wte(idx) + self.wpe(pos))
        return self.lm_head(self.ln_f(x))


def top_k_filter(logits, k):
    if k is None:
        return logits.clone()
    values, indices = torch.topk(logits, k, dim=-1)
    out = torch.full_like(logits, float("-inf"))
    return out.scatter(-1, indices, values)


def sample_next(logits, temperature=1.0, top_k=None, generator=None):
    if temperature == 0:
        return torch.argmax(logits, dim=-1)
    logits = top_k_filter(logits / temperature, top_k)
    probs = F.softmax(logits, dim=-1)
    return torch.multinomial(probs, num_samples=1, generator=generator)[:, 0]


def generate(model, context, max_new_tokens, block_size, temperature=1.0, top_k=None,
             generator=None):
    out = context.clone()
    for _ in range(max_new_tokens):
        window = out[:, -block_size:] if out.shape[1] > block_size else out
        logits = model(window)
        nxt = sample_next(logits[:, -1, :], temperature, top_k, generator)
        out = torch.cat((out, nxt.unsqueeze(1)), dim=1)
    return out
""",
    },
    {
        "name": "ex11_5 nn.TransformerEncoder with a float causal mask, a sort for top-k, "
        "a preallocated output",
        "cell": "ex11_5_solution",
        "source": """
def causal_mask(T: int) -> torch.Tensor:
    return ~torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)


class TinyGPT(nn.Module):
    def __init__(self, vocab_size=27, block_size=12, d_model=32, num_heads=4, num_layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.zeros(1, block_size, d_model))
        layer = nn.TransformerEncoderLayer(
            d_model, num_heads, dim_feedforward=4 * d_model, dropout=0.0,
            batch_first=True, norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        T = idx.shape[1]
        additive = torch.zeros(T, T, device=idx.device).masked_fill(
            ~causal_mask(T).to(idx.device), float("-inf")
        )
        h = self.encoder(self.tok(idx) + self.pos[:, :T], mask=additive, is_causal=True)
        return self.out(self.norm(h))


def top_k_filter(logits, k):
    if k is None:
        return logits.clone()
    threshold = logits.sort(dim=-1, descending=True).values[..., k - 1].unsqueeze(-1)
    return torch.where(logits >= threshold, logits, torch.full_like(logits, -math.inf))


def sample_next(logits, temperature=1.0, top_k=None, generator=None):
    if temperature == 0:
        return logits.argmax(-1)
    probs = torch.softmax(top_k_filter(logits, top_k) / temperature, dim=-1)
    return torch.multinomial(probs, 1, generator=generator).view(-1)


def generate(model, context, max_new_tokens, block_size, temperature=1.0, top_k=None,
             generator=None):
    B, T0 = context.shape
    out = torch.empty(B, T0 + max_new_tokens, dtype=torch.long, device=context.device)
    out[:, :T0] = context
    model.eval()
    with torch.no_grad():
        for t in range(T0, T0 + max_new_tokens):
            logits = model(out[:, max(0, t - block_size) : t])[:, -1]
            out[:, t] = sample_next(logits, temperature, top_k, generator)
    return out
""",
    },
    # 11.6 -----------------------------------------------------------------------------
    {
        "name": "ex11_6 torch.inference_mode, a list of maps, the distance by broadcasting",
        "cell": "ex11_6_solution",
        "source": """
def get_attention_maps(layers, x):
    out = []
    with torch.inference_mode():
        h = x
        for block in layers:
            inp = block.norm1(h) if block.norm_first else h
            w = block.self_attn(inp, inp, inp, need_weights=True,
                                average_attn_weights=False)[1]
            out.append(w.clone())
            h = block(h)
    return torch.stack(out, dim=0)


def mean_attention_distance(maps):
    T = maps.size(-1)
    i = torch.arange(T, device=maps.device).view(T, 1)
    j = torch.arange(T, device=maps.device).view(1, T)
    dist = (i - j).abs().to(maps.dtype)
    per_query = (maps * dist).sum(-1)  # (L, B, H, T)
    return per_query.mean(-1).mean(1)
""",
    },
    {
        "name": "ex11_6 loops over layers and heads, the distance with einsum",
        "cell": "ex11_6_solution",
        "source": """
def get_attention_maps(layers, x):
    L = len(layers)
    maps = None
    h = x.detach()
    for l_index, layer in enumerate(layers):
        with torch.no_grad():
            query = layer.norm1(h) if getattr(layer, "norm_first", False) else h
            _, w = layer.self_attn(query, query, query, average_attn_weights=False)
            if maps is None:
                maps = torch.zeros(L, *w.shape, dtype=w.dtype, device=w.device)
            maps[l_index] = w
            h = layer(h)
    return maps


def mean_attention_distance(maps):
    T = maps.shape[-1]
    grid = torch.arange(T, dtype=maps.dtype, device=maps.device)
    distance = torch.cdist(grid[:, None], grid[:, None], p=1)
    B, T_q = maps.shape[1], maps.shape[3]
    return torch.einsum("lbhij,ij->lh", maps, distance) / (B * T_q)
""",
    },
]
