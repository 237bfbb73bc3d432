"""What happens to generated text before training: dedup (exact, MinHash, optional semantic) and diversity."""
