"""Rewrite the Output blocks on the pages with what their code prints now.

    python scripts/update_doc_outputs.py [docs/page.md ...]

Use it on purpose, after a change that should alter printed numbers; review the
diff; the test suite fails until the pages agree with the code again.
"""

from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import doc_blocks  # noqa: E402


def update(page: pathlib.Path) -> int:
    text = page.read_text()
    namespace: dict = {"__name__": "__main__"}
    edits = []
    for example in doc_blocks.examples(text):
        printed = doc_blocks.run(example, namespace, str(page))
        if example.compile_only:
            continue  # its output is a recording from the framework, held to it by the tests
        if example.output is None:
            if printed.strip():
                print(f"{page}: a block prints but has no Output block after it", file=sys.stderr)
            continue
        body = "".join(f"{example.output.indent}{line}\n" for line in doc_blocks.normalise(printed).splitlines())
        edits.append((example.output.body_start, example.output.body_end, body))
    for start, end, body in reversed(edits):
        text = text[:start] + body + text[end:]
    if text != page.read_text():
        page.write_text(text)
        return 1
    return 0


def main(paths: list[str]) -> int:
    pages = [pathlib.Path(p) for p in paths] or sorted((ROOT / "docs").rglob("*.md"))
    changed = sum(update(page) for page in pages)
    print(f"{changed} page(s) updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
