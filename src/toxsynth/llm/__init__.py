"""The generator: base model resolution, prompt templates, LoRA fine-tuning, batched resumable generation."""
