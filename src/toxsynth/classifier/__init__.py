"""The detector: TF-IDF + MLP per category, its ONNX export, scoring, evaluation and latency measurement."""
