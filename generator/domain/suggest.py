"""'Did you mean' suggestions for misspelt names, ids and values."""
from __future__ import annotations

import difflib
from typing import Iterable


def nearest(word: str, options: Iterable[str]) -> str | None:
    options = [str(o) for o in options]
    matches = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if not matches:
        lowered = {o.lower(): o for o in options}
        matches = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=0.6)
        matches = [lowered[m] for m in matches]
    return matches[0] if matches else None


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' Bedoelt u 'x'?' or '' — ready to append to a message."""
    match = nearest(word, options)
    return f" Bedoelt u '{match}'?" if match else ""
