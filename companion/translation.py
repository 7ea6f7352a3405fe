"""Translation with a BERT encoder: a fresh causal decoder with cross-attention, target labels, generation."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import (
    AutoTokenizer,
    BertConfig,
    BertLMHeadModel,
    EncoderDecoderModel,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)


def encode_pairs(
    batch: Mapping[str, Sequence],
    source_tokenizer: PreTrainedTokenizerBase,
    target_tokenizer: PreTrainedTokenizerBase,
    *,
    source: str = "en",
    target: str = "de",
    max_length: int = 64,
) -> dict[str, list]:
    """Tokenize {'translation': [{en, de}, ...]} rows; labels are target ids without [CLS], ending in [SEP]."""
    pairs = batch["translation"]
    if any(source not in pair or target not in pair for pair in pairs):
        raise KeyError(f"each row's 'translation' needs keys {source!r} and {target!r}")
    encoded = source_tokenizer([pair[source] for pair in pairs], truncation=True, max_length=max_length)
    targets = target_tokenizer([pair[target] for pair in pairs], truncation=True, max_length=max_length + 1)
    cls_id, sep_id = target_tokenizer.cls_token_id, target_tokenizer.sep_token_id
    labels = []
    for ids in targets["input_ids"]:
        if ids[0] != cls_id or ids[-1] != sep_id:
            raise ValueError(
                "the target tokenizer must add [CLS] ... [SEP] (train it with "
                "companion.tokenization.train_wordpiece): labels need the end-of-sequence token"
            )
        labels.append(ids[1:])  # the decoder starts from [CLS] (decoder_start_token_id) and must learn to stop
    return {"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"], "labels": labels}


def build_bert2bert(
    encoder: PreTrainedModel,
    target_tokenizer: PreTrainedTokenizerBase,
    *,
    decoder_layers: int = 3,
    decoder_heads: int | None = None,
    decoder_hidden_size: int | None = None,
) -> EncoderDecoderModel:
    """Attach a randomly initialised causal BERT decoder (with cross-attention) over the target vocabulary.

    The decoder has the encoder's width unless decoder_hidden_size is given; then EncoderDecoderModel adds
    a linear projection from the encoder's outputs to the decoder's width (enc_to_dec_proj).
    """
    if decoder_layers < 1:
        raise ValueError(f"decoder_layers must be at least 1, got {decoder_layers}")
    if target_tokenizer.cls_token_id is None or target_tokenizer.sep_token_id is None:
        raise ValueError("the target tokenizer needs [CLS] and [SEP] tokens (start and end of a translation)")
    size = decoder_hidden_size or encoder.config.hidden_size
    heads = decoder_heads or encoder.config.num_attention_heads
    if size % heads:
        raise ValueError(f"decoder width {size} must be divisible by decoder_heads={heads}")
    decoder_config = BertConfig(
        vocab_size=len(target_tokenizer),
        hidden_size=size,
        num_hidden_layers=decoder_layers,
        num_attention_heads=heads,
        intermediate_size=4 * size,
        max_position_embeddings=encoder.config.max_position_embeddings,
        is_decoder=True,
        add_cross_attention=True,
        pad_token_id=target_tokenizer.pad_token_id,
    )
    return _assemble(encoder, BertLMHeadModel(decoder_config), target_tokenizer)


def _assemble(
    encoder: PreTrainedModel, decoder: BertLMHeadModel, target_tokenizer: PreTrainedTokenizerBase
) -> EncoderDecoderModel:
    # generate() needs the start, end and padding ids of the target side.
    model = EncoderDecoderModel(encoder=encoder, decoder=decoder)
    for config in (model.config, model.generation_config):
        config.decoder_start_token_id = target_tokenizer.cls_token_id
        config.bos_token_id = target_tokenizer.cls_token_id
        config.eos_token_id = target_tokenizer.sep_token_id
        config.pad_token_id = target_tokenizer.pad_token_id
    return model


def decoder_state(model: EncoderDecoderModel) -> dict[str, torch.Tensor]:
    """Return the weights that are not the encoder's: the decoder and the encoder-to-decoder projection."""
    return {key: value for key, value in model.state_dict().items() if not key.startswith("encoder.")}


STORAGE_BITS = (16, 8, 4)
GROUP = 64  # 4-bit storage: one scale per 64 consecutive weights of a row


def save_decoder(
    model: EncoderDecoderModel, target_tokenizer: PreTrainedTokenizerBase, path: str | Path, *, bits: int = 16
) -> None:
    """Save the decoder (+ projection) with its config and tokenizer; the encoder is not saved.

    bits=16 stores every weight in fp16; bits=8 (or 4) stores each weight matrix as integers with one
    fp16 scale per row (per 64 weights of a row), biases and LayerNorm weights staying fp16.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    state, _ = _without_tied(decoder_state(model))
    save_file(pack_state(state, bits=bits), path / "decoder.safetensors", metadata={"bits": str(bits)})
    model.decoder.config.save_pretrained(path)
    target_tokenizer.save_pretrained(path)


def load_decoder(encoder: PreTrainedModel, path: str | Path) -> tuple[EncoderDecoderModel, PreTrainedTokenizerBase]:
    """Rebuild a model saved by save_decoder over the given encoder; return (model, target tokenizer)."""
    path = Path(path)
    if not (path / "decoder.safetensors").is_file():
        raise FileNotFoundError(f"{path} holds no decoder.safetensors: create it with scripts/train_translation.py")
    target_tokenizer = AutoTokenizer.from_pretrained(path)
    model = _assemble(encoder, BertLMHeadModel(BertConfig.from_pretrained(path)), target_tokenizer)
    state = unpack_state(load_file(path / "decoder.safetensors"))
    result = model.load_state_dict(state, strict=False)
    _, tied = _without_tied(decoder_state(model))
    missing = [key for key in result.missing_keys if not key.startswith("encoder.") and key not in tied]
    if result.unexpected_keys or missing:
        raise ValueError(f"{path} does not fit this encoder: missing {missing}, unexpected {result.unexpected_keys}")
    model.decoder.tie_weights()
    return model.eval(), target_tokenizer


def pack_state(state: dict[str, torch.Tensor], *, bits: int = 16) -> dict[str, torch.Tensor]:
    """Return the tensors to store: fp16, or for bits=8/4 each matrix as integers plus fp16 scales."""
    if bits not in STORAGE_BITS:
        raise ValueError(f"bits must be one of {STORAGE_BITS}, got {bits}")
    stored = {}
    for key, value in state.items():
        value = value.detach().to("cpu", torch.float32)
        if bits == 16 or value.ndim != 2:
            stored[key] = value.to(torch.float16).contiguous()
        else:
            stored[f"{key}.q{bits}"], stored[f"{key}.scale"] = _quantize(value, bits)
    return stored


def unpack_state(stored: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Return float32 weights from what pack_state stored."""
    state = {}
    for key, value in stored.items():
        if key.endswith(".scale"):
            continue
        if key.endswith(".q8"):
            state[key[:-3]] = value.float() * stored[key[:-3] + ".scale"].float()
        elif key.endswith(".q4"):
            packed = value.to(torch.int16)
            q = torch.stack([packed & 15, packed >> 4], dim=-1).reshape(value.shape[0], -1) - 8  # (rows, columns)
            scale = stored[key[:-3] + ".scale"].float().repeat_interleave(GROUP, dim=1)
            state[key[:-3]] = q.float() * scale
        else:
            state[key] = value.float()
    return state


def _quantize(weight: torch.Tensor, bits: int) -> tuple[torch.Tensor, torch.Tensor]:
    # Symmetric round-to-nearest: int8 with one scale per row, or 4-bit (two per byte) with one per GROUP.
    rows, columns = weight.shape
    if bits == 8:
        scale = weight.abs().amax(dim=1, keepdim=True).clamp(min=1e-12) / 127  # (rows, 1)
        return torch.round(weight / scale).to(torch.int8), scale.to(torch.float16)
    if columns % GROUP:
        raise ValueError(f"4-bit storage needs a width divisible by {GROUP}, got {columns}")
    groups = weight.reshape(rows, columns // GROUP, GROUP)
    scale = groups.abs().amax(dim=2, keepdim=True).clamp(min=1e-12) / 7  # (rows, groups, 1)
    q = (torch.round(groups / scale).clamp(-8, 7).to(torch.int16) + 8).reshape(rows, columns)  # 0..15
    packed = (q[:, 0::2] | (q[:, 1::2] << 4)).to(torch.uint8)  # (rows, columns / 2)
    return packed, scale.squeeze(2).to(torch.float16)


def fingerprint(module: torch.nn.Module) -> float:
    """Return the sum of |weights| of a module: a cheap check that a decoder is loaded over the same encoder."""
    return float(sum(parameter.detach().double().abs().sum() for parameter in module.parameters()))


def _without_tied(state: dict[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], set[str]]:
    # Tied weights (the output layer shares the input embeddings) appear under two keys; keep the first.
    kept, tied, seen = {}, set(), set()
    for key, value in state.items():
        if value.data_ptr() in seen:
            tied.add(key)
        else:
            seen.add(value.data_ptr())
            kept[key] = value
    return kept, tied


_SPACED_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")


def join_hyphens(text: str) -> str:
    """Rejoin the hyphens WordPiece's decoder spaces out between word characters: "T - Shirt" -> "T-Shirt"."""
    return _SPACED_HYPHEN.sub("-", text)


def translate(
    model: EncoderDecoderModel,
    texts: Sequence[str],
    source_tokenizer: PreTrainedTokenizerBase,
    target_tokenizer: PreTrainedTokenizerBase,
    *,
    num_beams: int = 1,
    max_new_tokens: int = 64,
    batch_size: int = 64,
) -> list[str]:
    """Generate translations (greedy when num_beams=1, else beam search) and decode them to text.

    WordPiece splits "T-Shirt" into T, -, Shirt and its decoder spaces the pieces ("T - Shirt"); the
    hyphens are joined again (join_hyphens), as references write them and sacreBLEU's tokenizer keeps them.
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, not one string")
    model.eval()
    target = next(model.parameters()).device
    outputs = []
    with torch.no_grad():
        for first in range(0, len(texts), batch_size):
            inputs = source_tokenizer(
                list(texts[first : first + batch_size]),
                padding=True,
                truncation=True,
                max_length=128,
                return_tensors="pt",
            ).to(target)
            generated = model.generate(
                input_ids=inputs["input_ids"],
                attention_mask=inputs["attention_mask"],
                num_beams=num_beams,
                max_new_tokens=max_new_tokens,
            )
            outputs.extend(
                join_hyphens(text) for text in target_tokenizer.batch_decode(generated, skip_special_tokens=True)
            )
    return outputs


@dataclass(frozen=True)
class BleuComparison:
    """sacreBLEU's paired bootstrap test of two systems' outputs for the same source sentences."""

    first: float  # corpus BLEU of the first system
    second: float  # corpus BLEU of the second
    pvalue: float  # how often resampling the sentences gives a difference this large by chance
    sentences: int
    resamples: int

    def first_is_better(self, *, level: float = 0.05) -> bool:
        """Return True when the first scores higher and resampling rarely gives such a gap (p < level)."""
        return self.first > self.second and self.pvalue < level

    def __str__(self) -> str:
        return (
            f"BLEU {self.first:.2f} vs {self.second:.2f} on {self.sentences:,} sentences (difference "
            f"{self.first - self.second:+.2f}, paired bootstrap p = {self.pvalue:.3f}, {self.resamples:,} resamples)"
        )


def paired_bleu(
    references: Sequence[str], first: Sequence[str], second: Sequence[str], *, resamples: int = 1000
) -> BleuComparison:
    """Compare two systems' outputs on the same sentences with sacreBLEU's paired bootstrap (seeded, 12345)."""
    if not len(references) == len(first) == len(second) or not references:
        raise ValueError(
            f"references and both outputs must be non-empty and of one length, got "
            f"{len(references)}, {len(first)}, {len(second)}"
        )
    import sacrebleu  # the book extra's dependency, needed only here
    from sacrebleu.significance import PairedTest

    # first is sacreBLEU's baseline; the seed comes from SACREBLEU_SEED (default 12345), so reruns agree
    _, scores = PairedTest(
        [("first", list(first)), ("second", list(second))],
        {"BLEU": sacrebleu.BLEU()},
        references=[list(references)],
        test_type="bs",
        n_samples=resamples,
    )()
    baseline, system = scores["BLEU"]
    return BleuComparison(baseline.score, system.score, float(system.p_value), len(references), resamples)
