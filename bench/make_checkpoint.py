"""Writes a full-size DistilBERT with random weights (fixed seed) for the forward-pass benchmark."""
import sys

import torch
from transformers import DistilBertConfig, DistilBertModel

torch.manual_seed(0)
DistilBertModel(DistilBertConfig()).eval().save_pretrained(sys.argv[1], safe_serialization=True)
