"""The forward-pass benchmark of bench/model.sbpl on ONNX Runtime: the same checkpoint exported with
torch.onnx.export (once, next to the checkpoint), fp32 or int8 (onnxruntime.quantization.quantize_dynamic),
ORT_ENABLE_ALL, as many intra-op threads as cores. Usage: ort_model.py CHECKPOINT fp32|int8"""
import os
import sys
import time

import numpy as np

checkpoint, precision = sys.argv[1], sys.argv[2]
fp32_path = os.path.join(checkpoint, "model.onnx")
int8_path = os.path.join(checkpoint, "model-int8.onnx")
if not os.path.exists(fp32_path):
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(checkpoint).eval()
    ids = torch.ones(2, 16, dtype=torch.int64)
    axes = {0: "batch", 1: "length"}
    torch.onnx.export(model, (ids, torch.ones_like(ids)), fp32_path, input_names=["input_ids", "attention_mask"],
                      output_names=["last_hidden_state"], dynamic_axes={"input_ids": axes, "attention_mask": axes,
                                                                         "last_hidden_state": axes}, opset_version=17,
                      dynamo=False)
if precision == "int8" and not os.path.exists(int8_path):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(fp32_path, int8_path, weight_type=QuantType.QInt8)

import onnxruntime as ort

options = ort.SessionOptions()
options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
options.intra_op_num_threads = os.cpu_count()
session = ort.InferenceSession(int8_path if precision == "int8" else fp32_path, options,
                               providers=["CPUExecutionProvider"])
for batch, length in [(1, 128), (8, 128), (2, 16), (32, 64)]:
    feeds = {"input_ids": np.arange(batch * length, dtype=np.int64).reshape(batch, length),
             "attention_mask": np.ones((batch, length), dtype=np.int64)}
    session.run(None, feeds)
    times = []
    for run in range(10 if batch * length < 4096 else 6):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append(time.perf_counter() - start)
    print(f"forward {batch}x{length}: {min(times) * 1000:.1f} ms")
