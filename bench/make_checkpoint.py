"""Writes a full-size model with random weights (fixed seed) for the benchmarks: DistilBERT for the forward passes,
a DistilBERT sequence classifier for the accuracy of reduced precision, GPT-2 for generation, and one checkpoint per
pipeline task (`pipeline-*`), each with a tokenizer copied from TOKENIZER (a folder holding tokenizer files: the
MiniLM checkpoint's BERT WordPiece for the encoder tasks, the test fixtures' byte-level BPE and Unigram for GPT-2,
BART and T5, whose vocabularies the models are sized to).
Usage: make_checkpoint.py KIND FOLDER [TOKENIZER]"""
import json
import pathlib
import shutil
import sys

import torch
from transformers import (BartConfig, BartForConditionalGeneration, BertConfig, BertForMaskedLM, BertForTokenClassification,
                          DistilBertConfig, DistilBertForQuestionAnswering, DistilBertForSequenceClassification,
                          DistilBertModel, GPT2Config, GPT2LMHeadModel, T5Config, T5ForConditionalGeneration)

TOKENIZER_FILES = ["vocab.txt", "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
CONLL = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


def labels(names):
    return {"id2label": dict(enumerate(names)), "label2id": {n: i for i, n in enumerate(names)}}


def task_params(tokenizer):
    """The tokenizer folder's config: its vocabulary size and the generation settings its tasks pin."""
    config = json.loads((tokenizer / "config.json").read_text())
    keep = ["task_specific_params", "bos_token_id", "eos_token_id", "pad_token_id", "decoder_start_token_id",
            "forced_bos_token_id", "forced_eos_token_id"]
    return {"vocab_size": config["vocab_size"], **{k: config[k] for k in keep if k in config}}


build = {
    "distilbert": lambda t: DistilBertModel(DistilBertConfig()),
    "distilbert-classifier": lambda t: DistilBertForSequenceClassification(DistilBertConfig()),
    "gpt2": lambda t: GPT2LMHeadModel(GPT2Config()),
    "pipeline-sentiment": lambda t: DistilBertForSequenceClassification(DistilBertConfig(**labels(["NEGATIVE", "POSITIVE"]))),
    "pipeline-fill-mask": lambda t: BertForMaskedLM(BertConfig()),
    "pipeline-ner": lambda t: BertForTokenClassification(BertConfig(**labels(CONLL))),
    "pipeline-qa": lambda t: DistilBertForQuestionAnswering(DistilBertConfig()),
    "pipeline-nli": lambda t: DistilBertForSequenceClassification(DistilBertConfig(**labels(["contradiction", "neutral", "entailment"]))),
    # GPT-2 small, distilbart-cnn-12-6 and t5-base in size, with the fixtures' vocabularies
    "pipeline-gpt2": lambda t: GPT2LMHeadModel(GPT2Config(**task_params(t))),
    "pipeline-bart": lambda t: BartForConditionalGeneration(BartConfig(
        d_model=1024, encoder_layers=12, decoder_layers=6, encoder_attention_heads=16, decoder_attention_heads=16,
        encoder_ffn_dim=4096, decoder_ffn_dim=4096, **task_params(t))),
    "pipeline-t5": lambda t: T5ForConditionalGeneration(T5Config(d_model=768, d_ff=3072, num_layers=12, num_heads=12, **task_params(t))),
}

torch.manual_seed(0)
folder = pathlib.Path(sys.argv[2])
tokenizer = pathlib.Path(sys.argv[3]) if len(sys.argv) > 3 else None
model = build[sys.argv[1]](tokenizer).eval()
model.save_pretrained(folder, safe_serialization=True)
for name in TOKENIZER_FILES if tokenizer else []:
    if (tokenizer / name).exists():
        shutil.copy(tokenizer / name, folder / name)
if tokenizer and model.config.model_type == "distilbert":  # DistilBERT's tokenizer class gives no token_type_ids
    config = json.loads((folder / "tokenizer_config.json").read_text())
    (folder / "tokenizer_config.json").write_text(json.dumps({**config, "tokenizer_class": "DistilBertTokenizer"}))
