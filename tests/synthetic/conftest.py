"""Tame stand-in records for the dedup, diversity and augment tests (the content does not matter here)."""

from __future__ import annotations

LONG = ("the morning train to the coast was late again because a tree had fallen across the line "
        "near the old mill so everyone waited on the platform with coffee")


def syn(rid: str, text: str, label: int = 1, category: str = "hate", template: str = "v1",
        prompt: str = "p1") -> dict:
    return {"id": f"synthetic:{rid}", "text": text, "label": label, "category": category, "source": "synthetic",
            "template": template, "prompt_id": prompt}


def real(rid: str, text: str, label: int = 0, category: str = "hate") -> dict:
    return {"id": f"real:{rid}", "text": text, "label": label, "category": category, "source": "real"}
