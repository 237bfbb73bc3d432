"""toxsynth: synthesize toxic / non-toxic text with an open LLM and train a small ONNX detector."""

__version__ = "0.1.0"

CATEGORIES = ("hate", "sexual", "violence", "self_harm", "political")
LABEL_NAMES = {1: "pos", 0: "neg"}  # label -> its name in reports and request ids
