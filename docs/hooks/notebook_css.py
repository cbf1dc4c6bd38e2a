"""Notebook pages: JupyterLab's stylesheet moves to the head, cut down to the rules the page can use.

mkdocs-jupyter writes nbconvert's stylesheets (JupyterLab's whole theme, about
300 KB, and the Pygments colours twice, once as a Python list's repr) as
``<style>`` elements inside the article, where HTML does not allow them, and
a Mermaid loader that would fetch from a CDN if a diagram were present.  This
hook takes the styles out of the body, keeps a rule only when every class and
id its selector names occurs on the page (a static notebook gains no classes
at run time) and it can match at all (JupyterLab's sheet is scoped under
``.jupyter-wrapper``, which makes its ``:root`` and ``body`` rules dead), keeps
a custom property only when something uses it, leaves out what browsers
ignore anyway (WebKit scrollbar parts, ``cursor: normal``), and puts the
result in one ``<style>`` in the head, after the site's stylesheets as before.
Output images (PNG data in the page, a third of a notebook page's bytes) become
files beside the page, named by their content, that load lazily, with the
``height`` their PNG implies, so the text arrives first and does not shift
while they load.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import pathlib
import re
import struct

import tinycss2

ARTICLE = re.compile(r"(<article\b[^>]*>)(.*?)(</article>)", re.DOTALL)
STYLE = re.compile(r"[ \t]*<style\b[^>]*>(.*?)</style>[ \t]*\n?", re.DOTALL)
MERMAID = re.compile(
    r"[ \t]*<script type=\"module\">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>\s*"
    r"(?:<style>(?:(?!</style>).)*jp-Mermaid(?:(?!</style>).)*</style>\s*)?"
    r"(?:<!-- End of mermaid configuration -->)?",
    re.DOTALL,
)
CLASS_ATTRIBUTE = re.compile(r"""\sclass=(?:"([^"]*)"|'([^']*)')""")
ID_ATTRIBUTE = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
SELECTOR_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
NEGATION = re.compile(r":not\([^()]*\)")
# a document's root or body below another element, or a part of WebKit's scrollbars
CANNOT_MATCH = re.compile(r"\S\s+(?:[>+~]\s*)?(?::root|html|body)\b|::-webkit-scrollbar")
IGNORED = {("cursor", "normal")}  # not a value of the property
VAR = re.compile(r"var\(\s*(--[\w-]+)")
PNG_IMAGE = re.compile(r"<img\b[^>]*?src=\"data:image/png;base64,([A-Za-z0-9+/=]{32})[^>]*>")
PNG_DATA = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')
WIDTH = re.compile(r"\swidth=\"(\d+)\"")


def _top_level_split(prelude: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _may_match(selector: str, classes: set[str], ids: set[str]) -> bool:
    if CANNOT_MATCH.search(selector):
        return False
    positive = NEGATION.sub("", selector)
    return set(SELECTOR_CLASS.findall(positive)) <= classes and set(SELECTOR_ID.findall(positive)) <= ids


def _prune(rules, classes: set[str], ids: set[str]) -> str:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude).strip()
            selectors = [s for s in _top_level_split(prelude) if _may_match(s, classes, ids)]
            declarations = [
                d
                for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
                if d.type == "declaration" and (d.lower_name, tinycss2.serialize(d.value).strip()) not in IGNORED
            ]
            if selectors and declarations:
                kept.append((",".join(selectors), declarations))
        elif rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            if keyword == "charset":
                continue  # only meaningful at the start of a file
            if keyword in ("media", "supports", "layer") and rule.content is not None:
                inner = _prune(tinycss2.parse_rule_list(rule.content, True, True), classes, ids)
                if inner:
                    kept.append((f"@{keyword} {tinycss2.serialize(rule.prelude).strip()}", inner))
            else:
                kept.append(tinycss2.serialize([rule]).strip())
    return kept


def _walk(rules):
    for rule in rules:
        if isinstance(rule, tuple):
            if isinstance(rule[1], list) and rule[1] and not isinstance(rule[1][0], tuple | str):
                yield from rule[1]
            else:
                yield from _walk(rule[1])


def _serialize(rules, used: set[str]) -> str:
    out = []
    for rule in rules:
        if isinstance(rule, str):
            out.append(rule)
            continue
        head, body = rule
        if body and not isinstance(body[0], tuple | str):  # declarations
            text = ";".join(
                f"{d.name}:{tinycss2.serialize(d.value).strip()}{' !important' if d.important else ''}"
                for d in body
                if not d.name.startswith("--") or d.name in used
            )
            if text:
                out.append(f"{head}{{{text}}}")
        else:
            inner = _serialize(body, used)
            if inner:
                out.append(f"{head}{{{inner}}}")
    return "\n".join(out)


def _used_properties(rules, elsewhere: str) -> set[str]:
    """Custom properties that a kept declaration, or a used custom property, or ``elsewhere`` reads."""
    declarations = list(_walk(rules))
    values: dict[str, list[str]] = {}
    used = set(VAR.findall(elsewhere))
    for d in declarations:
        value = tinycss2.serialize(d.value)
        if d.name.startswith("--"):
            values.setdefault(d.name, []).append(value)
        else:
            used |= set(VAR.findall(value))
    pending = list(used)
    while pending:
        for value in values.get(pending.pop(), []):
            for name in VAR.findall(value):
                if name not in used:
                    used.add(name)
                    pending.append(name)
    return used


@functools.lru_cache(maxsize=4)
def _parsed(css: str) -> tuple:
    """Every notebook page carries the same stylesheet: parse it once per build process, read it many times."""
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def prune(css: str, markup: str, elsewhere: str = "") -> str:
    """The rules of ``css`` whose selectors could match an element of ``markup``, and the custom
    properties they (or ``elsewhere``, the site's own CSS and the page) use."""
    classes = {c for m in CLASS_ATTRIBUTE.finditer(markup) for c in (m.group(1) or m.group(2) or "").split()}
    ids = {m.group(1) or m.group(2) for m in ID_ATTRIBUTE.finditer(markup)}
    rules = _prune(_parsed(css), classes, ids)
    return _serialize(rules, _used_properties(rules, elsewhere + markup))


CACHE = pathlib.Path(".cache") / "notebook-css"


def pruned(css: str, markup: str, elsewhere: str) -> str:
    """``prune``, kept on disk under a hash of its inputs: a rebuild with nothing changed parses no CSS."""
    key = hashlib.sha256("\0".join((css, markup, elsewhere)).encode()).hexdigest()
    path = CACHE / f"{key}.css"
    if path.is_file():
        return path.read_text()
    result = prune(css, markup, elsewhere)
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")  # written whole, then renamed: never half a file
    partial.write_text(result)
    partial.replace(path)
    return result


def _png_size(head: str) -> tuple[int, int] | None:
    data = base64.b64decode(head[:32])
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _size_image(match: re.Match) -> str:
    tag = match.group(0)
    size = _png_size(match.group(1))
    if size is None or " height=" in tag:
        return tag
    natural_width, natural_height = size
    width = WIDTH.search(tag)
    shown = int(width.group(1)) if width else natural_width
    height = round(shown * natural_height / natural_width)
    attributes = f' height="{height}"' if width else f' width="{shown}" height="{height}"'
    return tag[:4] + attributes + tag[4:]


def _to_file(tag: str, folder: pathlib.Path) -> str:
    """The image ``tag`` with its PNG data written to a file in ``folder`` and linked, loading lazily."""
    data = PNG_DATA.search(tag)
    if data is None:
        return tag
    png = base64.b64decode(data.group(1))
    name = f"output-{hashlib.sha256(png).hexdigest()[:16]}.png"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(png)
    tag = tag[: data.start()] + f'src="{name}"' + tag[data.end() :]
    return tag if " loading=" in tag else tag[:4] + ' loading="lazy" decoding="async"' + tag[4:]


def on_post_page(output: str, page, config) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    article = ARTICLE.search(output)
    if article is None:
        return output
    body = article.group(2)
    if 'class="jp-Mermaid' not in body:
        body = MERMAID.sub("", body)
    sheets = [m.group(1) for m in STYLE.finditer(body)]
    body = STYLE.sub("", body)
    body = PNG_IMAGE.sub(_size_image, body)
    folder = pathlib.Path(page.file.abs_dest_path).parent
    body = re.sub(r"<img\b[^>]*>", lambda m: _to_file(m.group(0), folder), body)
    # The last sheet nbconvert writes is a Python list's repr, not CSS; the same Pygments rules come first.
    css = "\n".join(sheet for sheet in sheets if not sheet.lstrip().startswith("['"))
    output = output[: article.start(2)] + body + output[article.end(2) :]
    site_css = "".join(
        (pathlib.Path(config["docs_dir"]) / sheet).read_text()
        for sheet in map(str, config["extra_css"])
        if (pathlib.Path(config["docs_dir"]) / sheet).is_file()
    )
    style = f"<style>{pruned(css, output, site_css)}</style>"
    return output.replace("</head>", style + "</head>", 1)
