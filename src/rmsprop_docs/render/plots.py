"""Static figures for the pages, one function per figure kind.

Each function takes the output path and the registry's parameters, and writes
a PNG atomically.
"""

from __future__ import annotations

PLOTS: dict = {}
