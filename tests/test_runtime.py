import pytest
import torch

from companion import runtime


def test_profile_defaults_to_fast():
    assert runtime.profile() == "fast"
    assert runtime.is_fast()


def test_profile_reads_environment(monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", " Full ")
    assert runtime.profile() == "full"
    assert not runtime.is_fast()


def test_unknown_profile_names_the_choices(monkeypatch):
    monkeypatch.setenv("BERTBOOK_PROFILE", "turbo")
    with pytest.raises(ValueError, match="fast, full"):
        runtime.profile()


def test_seed_everything_makes_torch_repeatable():
    runtime.seed_everything(7)
    first = torch.rand(5)
    runtime.seed_everything(7)
    assert torch.equal(first, torch.rand(5))


@pytest.mark.parametrize("seed", [-1, 1.5, "0"])
def test_seed_everything_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match="non-negative int"):
        runtime.seed_everything(seed)


def test_device_is_cpu_without_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert runtime.device() == torch.device("cpu")


def test_device_prefers_cuda_when_present(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert runtime.device() == torch.device("cuda")


def test_device_ignores_cuda_with_no_devices(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert runtime.device() == torch.device("cpu")


def test_set_threads_explicit_and_from_environment(monkeypatch):
    before = torch.get_num_threads()
    try:
        assert runtime.set_threads(1) == 1
        monkeypatch.setenv("OMP_NUM_THREADS", "2")
        assert runtime.set_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_set_threads_rejects_zero():
    with pytest.raises(ValueError, match="at least 1"):
        runtime.set_threads(0)


def test_setup_reports_the_run(monkeypatch):
    before = torch.get_num_threads()
    try:
        report = runtime.setup(seed=3, threads=1)
    finally:
        torch.set_num_threads(before)
    assert report["profile"] == "fast"
    assert report["threads"] == "1"
    assert report["seed"] == "3"
    assert report["torch"] == torch.__version__


def test_mixed_precision_follows_the_hardware_and_the_override(monkeypatch):
    monkeypatch.delenv(runtime.PRECISION_ENV, raising=False)
    monkeypatch.setattr(runtime, "device", lambda: torch.device("cpu"))
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False, raising=False)
    assert runtime.mixed_precision() == "no"
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True, raising=False)
    assert runtime.mixed_precision() == "bf16"
    monkeypatch.setenv(runtime.PRECISION_ENV, "no")
    assert runtime.mixed_precision() == "no"
    monkeypatch.setenv(runtime.PRECISION_ENV, " FP16 ")
    assert runtime.mixed_precision() == "fp16"
    monkeypatch.setenv(runtime.PRECISION_ENV, "fp8")
    with pytest.raises(ValueError, match="BERTBOOK_PRECISION"):
        runtime.mixed_precision()


def _fake_gpu(monkeypatch, *, capability: tuple[int, int], emulates_bf16: bool, old_torch: bool = False):
    # A CUDA device whose bf16 answers follow torch.cuda.is_bf16_supported's rules for that capability.
    monkeypatch.delenv(runtime.PRECISION_ENV, raising=False)
    monkeypatch.setattr(runtime, "device", lambda: torch.device("cuda"))
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability)
    native = capability[0] >= 8

    def is_bf16_supported(including_emulation: bool = True) -> bool:
        return native or (including_emulation and emulates_bf16)

    def old_is_bf16_supported() -> bool:  # torch < 2.3: no including_emulation argument
        return native or emulates_bf16

    monkeypatch.setattr(torch.cuda, "is_bf16_supported", old_is_bf16_supported if old_torch else is_bf16_supported)


@pytest.mark.parametrize("old_torch", [False, True])
def test_mixed_precision_on_a_gpu_that_only_emulates_bf16_is_fp16(monkeypatch, old_torch):
    _fake_gpu(monkeypatch, capability=(7, 5), emulates_bf16=True, old_torch=old_torch)  # a T4, as in Colab
    assert torch.cuda.is_bf16_supported()  # what the old check asked: True, yet only emulated
    assert runtime.mixed_precision() == "fp16"


@pytest.mark.parametrize("old_torch", [False, True])
def test_mixed_precision_on_a_gpu_with_native_bf16_is_bf16(monkeypatch, old_torch):
    _fake_gpu(monkeypatch, capability=(8, 0), emulates_bf16=True, old_torch=old_torch)  # an A100
    assert runtime.mixed_precision() == "bf16"


def test_mixed_precision_on_a_gpu_follows_the_override(monkeypatch):
    _fake_gpu(monkeypatch, capability=(8, 0), emulates_bf16=True)
    monkeypatch.setenv(runtime.PRECISION_ENV, "fp16")
    assert runtime.mixed_precision() == "fp16"
    monkeypatch.setenv(runtime.PRECISION_ENV, "no")
    assert runtime.mixed_precision() == "no"


def test_mixed_precision_on_apple_gpus_is_float32(monkeypatch):
    monkeypatch.delenv(runtime.PRECISION_ENV, raising=False)
    monkeypatch.setattr(runtime, "device", lambda: torch.device("mps"))
    assert runtime.mixed_precision() == "no"


def test_seed_reads_bertbook_seed(monkeypatch):
    monkeypatch.delenv("BERTBOOK_SEED", raising=False)
    assert runtime.seed() == 0
    monkeypatch.setenv("BERTBOOK_SEED", "3")
    assert runtime.seed() == 3


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_seed_rejects_bad_values_with_the_fix(monkeypatch, value):
    monkeypatch.setenv("BERTBOOK_SEED", value)
    with pytest.raises(ValueError, match="non-negative integer"):
        runtime.seed()
