"""Writes a full-size model with random weights (fixed seed) for the benchmarks: DistilBERT for the forward passes,
a DistilBERT sequence classifier for the accuracy of reduced precision, GPT-2 for generation.
Usage: make_checkpoint.py distilbert|distilbert-classifier|gpt2 FOLDER"""
import sys

import torch
from transformers import DistilBertConfig, DistilBertForSequenceClassification, DistilBertModel, GPT2Config, GPT2LMHeadModel

torch.manual_seed(0)
build = {"distilbert": lambda: DistilBertModel(DistilBertConfig()),
         "distilbert-classifier": lambda: DistilBertForSequenceClassification(DistilBertConfig()),
         "gpt2": lambda: GPT2LMHeadModel(GPT2Config())}
build[sys.argv[1]]().eval().save_pretrained(sys.argv[2], safe_serialization=True)
