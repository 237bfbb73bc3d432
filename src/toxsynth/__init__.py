"""toxsynth: synthesize toxic / non-toxic text with an open LLM and train a small ONNX detector."""

__version__ = "0.1.0"

CATEGORIES = ("hate", "sexual", "violence", "self_harm", "political")
