"""The search index as readers use it: ε under every spelling, formulas as text, short previews.

Material's search plugin indexes each page's HTML (``add_entry_from_context``).
This hook hands it a copy of the page made for searching, and leaves the page
itself as it was:

- a formula (MathML, from ``docs/hooks/mathml.py``) becomes its text with
  sub- and superscripts kept (``ϵ=10<sup>−8</sup>``, not ``ϵ=10−8``), which the
  index keeps as markup and the result previews show;
- a printed output (an ``Output`` block, a notebook cell's output) keeps its
  first lines only, so a result's preview is a few lines, not a table;
- a section that writes ε, ϵ, "epsilon" or "eps" gets every other spelling
  too, in fields of its own that are searched but never shown (``aka`` for
  the text, ``aka_title`` for the title, boosted like the title); their
  weights are set with the plugin's ``fields`` in ``mkdocs.yml``.  A reader
  who types "epsilon", "eps" or "ε" finds the same sections.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

SPELLINGS = ("epsilon", "eps", "ε", "ϵ")
MENTION = re.compile(r"[εϵ]|\b(?:epsilon|eps)\b", re.IGNORECASE)
MATH = re.compile(r"<math\b[^>]*>.*?</math>", re.DOTALL)
OUTPUT = re.compile(
    r'(<span class="filename">Output</span><pre\b[^>]*>(?:<span></span>)?<code\b[^>]*>)(.*?)(</code></pre>)'
    r'|(<div class="jp-OutputArea-output[^"]*"[^>]*>\s*<pre\b[^>]*>)(.*?)(</pre>)',
    re.DOTALL,
)
ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>[^<]*</a>')  # a notebook heading's ¶, not part of its title
OUTPUT_LINES = 3
TOKENS = {"mi", "mn", "mo", "mtext", "ms"}


class _MathTree(HTMLParser):
    """MathML as nested ``[tag, children...]`` lists; text as strings."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root: list = ["root"]
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = [tag]
        self.stack[-1].append(node)
        if tag != "mspace":
            self.stack.append(node)
        else:
            node.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].append([tag, " "] if tag == "mspace" else [tag])

    def handle_endtag(self, tag):
        if tag == "mspace":
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].append(data)


def _plain(node) -> str:
    return node if isinstance(node, str) else "".join(_plain(child) for child in node[1:])


def _grouped(node) -> str:
    """A fraction's part or a root's radicand: in parentheses when it is more than one symbol."""
    text = _linear(node)
    plain = _plain(node).strip()
    return f"({text})" if len(plain) > 1 and not (plain.startswith("(") and plain.endswith(")")) else text


def _linear(node) -> str:
    if isinstance(node, str):
        return html.escape(node.strip() if not node.isspace() else " ", quote=False)
    tag, children = node[0], [c for c in node[1:] if not (isinstance(c, str) and c.isspace() and node[0] != "mspace")]
    if tag in TOKENS:
        return html.escape(_plain(node).strip(), quote=False)
    if tag == "mspace":
        return " "
    if tag == "msup" and len(children) >= 2:
        return f"{_linear(children[0])}<sup>{_linear(children[1])}</sup>"
    if tag == "msub" and len(children) >= 2:
        return f"{_linear(children[0])}<sub>{_linear(children[1])}</sub>"
    if tag == "msubsup" and len(children) >= 3:
        return f"{_linear(children[0])}<sub>{_linear(children[1])}</sub><sup>{_linear(children[2])}</sup>"
    if tag == "mfrac" and len(children) >= 2:
        return f"{_grouped(children[0])}/{_grouped(children[1])}"
    if tag == "msqrt":
        return "√" + _grouped(["mrow", *children])
    if tag == "mroot" and len(children) >= 2:
        return f"<sup>{_linear(children[1])}</sup>√{_grouped(children[0])}"
    return "".join(_linear(child) for child in children)


def linear(mathml: str) -> str:
    """A formula as text with ``<sub>`` and ``<sup>``, as the search index keeps it."""
    tree = _MathTree()
    tree.feed(mathml)
    tree.close()
    return re.sub(r" {2,}", " ", _linear(tree.root)).strip()


def _short_output(match: re.Match) -> str:
    start, body, end = (match.group(1), match.group(2), match.group(3))
    if start is None:
        start, body, end = match.group(4), match.group(5), match.group(6)
    lines = body.strip("\n").split("\n")
    if len(lines) > OUTPUT_LINES:
        body = "\n".join(lines[:OUTPUT_LINES]) + "\n…\n"
    return start + body + end


def searchable(content: str) -> str:
    """The page's HTML as the index should see it."""
    content = MATH.sub(lambda match: f"<span>{linear(match.group(0))}</span>", content)
    content = ANCHOR_LINK.sub("", content)
    return OUTPUT.sub(_short_output, content)


def add_spellings(entry: dict) -> dict:
    for field, source in (("aka_title", "title"), ("aka", "text")):
        text = html.unescape(re.sub(r"<[^>]+>", " ", entry.get(source, "")))
        if MENTION.search(text):
            entry[field] = " ".join(SPELLINGS)
    return entry


def on_config(config):
    plugin = config.plugins.get("search") or config.plugins.get("material/search")
    index = getattr(plugin, "search_index", None)
    if index is None or getattr(index.add_entry_from_context, "_searchable", False):
        return config
    original = index.add_entry_from_context

    def add_entry_from_context(page):
        content, before = page.content, len(index.entries)
        page.content = searchable(content)
        try:
            original(page)
        finally:
            page.content = content
        for entry in index.entries[before:]:
            add_spellings(entry)

    add_entry_from_context._searchable = True
    index.add_entry_from_context = add_entry_from_context
    return config
