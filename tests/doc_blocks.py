"""Code blocks on the pages, and the printed output shown under them.

A page shows output in a fenced ``text`` block titled ``Output`` right after the
code that prints it.  Every Python block runs (blocks on one page share one
namespace, in order) and what it prints must equal that block, character for
character.  A block preceded by ``<!-- compile-only: REASON -->`` needs a
framework this project does not install: it is compiled, not run.  A ``sh``
block followed by an Output block runs in bash with the project's commands on
the PATH; its Output shows stdout and stderr together.
"""

from __future__ import annotations

import contextlib
import io
import os
import pathlib
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$", re.MULTILINE)
COMPILE_ONLY = re.compile(r"<!--\s*compile-only:\s*(?P<reason>.*?)\s*-->\s*$", re.DOTALL)
OUTPUT_TITLE = 'title="Output"'


@dataclass(frozen=True)
class Block:
    start: int  # offset of the opening fence line
    end: int  # offset just past the closing fence line
    body_start: int
    body_end: int
    indent: str
    info: str
    source: str  # dedented body

    @property
    def language(self) -> str:
        return self.info.strip().split(" ", 1)[0].lstrip("{").lstrip(".")


@dataclass(frozen=True)
class Example:
    code: Block
    output: Block | None
    compile_only: str | None


def blocks(text: str) -> list[Block]:
    found = []
    position = 0
    while True:
        opening = FENCE.search(text, position)
        if opening is None:
            return found
        indent, fence = opening.group("indent"), opening.group("fence")
        closing_pattern = re.compile(rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        body_start = opening.end() + 1
        closing = closing_pattern.search(text, body_start)
        if closing is None:
            return found
        body = text[body_start : closing.start()]
        source = textwrap.dedent(body) if indent else body
        end = min(closing.end() + 1, len(text))
        found.append(Block(opening.start(), end, body_start, closing.start(), indent, opening.group("info"), source))
        position = end


def examples(text: str) -> list[Example]:
    found = blocks(text)
    result = []
    for i, block in enumerate(found):
        if block.language not in ("python", "sh") or OUTPUT_TITLE in block.info:
            continue
        following = found[i + 1] if i + 1 < len(found) else None
        output = None
        if following and OUTPUT_TITLE in following.info and not text[block.end : following.start].strip():
            output = following
        if block.language == "sh" and output is None:
            continue  # shell lines shown for reading, such as installation steps
        before = text[found[i - 1].end if i else 0 : block.start]
        marker = COMPILE_ONLY.search(before)
        result.append(Example(block, output, marker.group("reason") if marker else None))
    return result


def run(example: Example, namespace: dict, filename: str) -> str:
    """Run (or only compile) one example; return what it printed."""
    if example.code.language == "sh":
        bin_dir = str(pathlib.Path(sys.executable).parent)
        env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "COLUMNS": "100"}
        done = subprocess.run(
            ["bash", "-c", "exec 2>&1\n" + example.code.source], capture_output=True, text=True, env=env, timeout=300
        )
        return done.stdout + done.stderr
    code = compile(example.code.source, filename, "exec")
    if example.compile_only:
        return ""
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        exec(code, namespace)
    return captured.getvalue()


def normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def check(example: Example, namespace: dict, filename: str) -> None:
    printed = run(example, namespace, filename)
    if example.compile_only:
        return
    if example.output is None:
        assert not printed.strip(), f"a block prints but the page shows no Output block after it:\n{printed}"
        return
    expected = normalise(example.output.source)
    assert normalise(printed) == expected, f"printed:\n{normalise(printed)}\n\npage shows:\n{expected}"
