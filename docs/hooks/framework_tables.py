"""The frameworks page's tables, generated at build time from the records and the porting tool.

``[[framework-table GROUP]]`` becomes an HTML table with one row per framework
(``rmsprop_docs.optimizers.frameworks.FRAMEWORKS``), the columns of GROUP (see
:data:`GROUPS`); the cells are the records' own summary, the one
``frameworks.table`` prints as text.  ``[[port-cheatsheet]]`` becomes a table of
the common ports, both ways: for each source called with its defaults, the
target's call as ``rmsprop-docs port`` prints it (``rmsprop_docs.port``).  So
the page cannot drift from the code.  An unknown placeholder fails the build.

On narrow screens (docs/stylesheets/frameworks.css) each row becomes a card,
its cells labelled by their column (``data-label``).
"""

from __future__ import annotations

import html
import re

from rmsprop_docs import port
from rmsprop_docs.optimizers import frameworks

PLACEHOLDER = re.compile(r"^\[\[(?P<kind>framework-table|port-cheatsheet)(?:\s+(?P<group>[\w-]+))?\]\]$", re.M)

GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "arithmetic": (
        "Where each framework puts ε, what v starts at, and where the learning rate enters",
        ("eps", "v0", "lr, momentum", "centered", "weight decay"),
    ),
    "names": ("Each framework's class, keyword arguments and defaults", ("class", "defaults", "verified")),
    "float32": ("What each framework holds in float32, and its extras", ("float32", "extras")),
}
"""A table's caption and the columns it takes from the records' summary."""

HEADINGS = {
    "eps": "ε",
    "v0": "v starts at",
    "lr, momentum": "lr and momentum",
    "centered": "centered",
    "weight decay": "weight decay",
    "class": "class",
    "defaults": "keyword arguments and defaults",
    "verified": "verified with",
    "float32": "held in float32 (Python floats)",
    "extras": "extras",
}

# Keras 3 and tf_keras keep the learning rate in a variable of dtype backend.floatx(): float32 unless the program
# calls set_floatx("float64"), as the recorded runs and the page's snippets do (tested against both).
FLOATX = {
    "keras": 'keras.config.set_floatx("float64")',
    "tf-keras": 'tf_keras.backend.set_floatx("float64")',
}

PAIRS = (
    ("pytorch", "keras"),
    ("keras", "pytorch"),
    ("pytorch", "tf-compat-v1"),
    ("tf-compat-v1", "pytorch"),
    ("pytorch", "optax"),
    ("optax", "pytorch"),
    ("keras", "optax"),
    ("optax", "keras"),
)
"""The cheat sheet's ports, both ways."""
REASONS = {"eps": "ε placement", "v0": "v0"}
"""How the cheat sheet names what differs (the porting tool's note keys, shortened)."""
REQUIRED_LR = 0.01
"""The learning rate given where the source has no default (TF1, Optax): PyTorch's default."""


def cells(name: str) -> dict[str, str]:
    """One framework's cells, as text: the records' summary, with the floatx caveat in the float32 cell."""
    summary = frameworks._summary(frameworks.get(name))
    if name in FLOATX:
        held = summary["float32"]
        summary["float32"] = (
            f"learning_rate: a variable of backend.floatx(), float32 by default (the numbers on this page "
            f"use {FLOATX[name]}); {held}"
        )
    return summary


def source_call(name: str) -> tuple[dict, str]:
    """The source's call with its defaults (a learning rate where it requires one), and the call as code."""
    record = frameworks.get(name)
    kwargs = {o.name: REQUIRED_LR for o in record.options if o.default == frameworks.REQUIRED}
    return kwargs, f"{record.emulates}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


def command(source: str, target: str) -> list[str]:
    """The ``rmsprop-docs port`` arguments of one cheat-sheet row."""
    kwargs, _ = source_call(source)
    args = ["port", "--from", source, "--to", target]
    for key, value in kwargs.items():
        args += ["--set", f"{key}={value!r}"]
    return args


def cheat_rows() -> list[dict[str, str]]:
    """The cheat sheet as text: from, the call to paste, and how close it is."""
    rows = []
    for source, target in PAIRS:
        kwargs, call = source_call(source)
        result = port.port(source, target, kwargs)
        reasons = [
            REASONS.get(note.split(":")[0], note.split(":")[0])
            for note in result.unmatched
            if not note.startswith(("pass ", "float32:"))
        ]
        if result.exact:
            match = "exact"
        else:
            verb = "differ" if len(reasons) > 1 else "differs"
            match = f"nearest: {' and '.join(reasons)} {verb}; largest gap {result.max_difference:.1e}"
        tensors = [note.split(":")[0] for note in result.unmatched if note.startswith("pass ")]
        if tensors:
            match += "; " + tensors[0]
        rows.append({"from": call, "paste": port.call(result), "match": match})
    return rows


NUMBER = re.compile(r"\d+(?:\.\d+)?e[+-]\d+")  # 3.5e-03 or 1e-07: never broken at its sign
OPEN_CALL = re.compile(r"\((?!\))")  # a call's "(", unless it is "()"
NAME_DOT = re.compile(r"\.(?=[A-Za-z_])")


def _code(text: str) -> str:
    """Code that may also break after a dot between names (``tf.compat.v1.``) and after ``(``, never in a number."""
    code = OPEN_CALL.sub("(<wbr>", NAME_DOT.sub(".<wbr>", html.escape(text)))
    return "<code>" + NUMBER.sub(r'<span class="fw-nowrap">\g<0></span>', code) + "</code>"


def _cell(key: str, text: str) -> str:
    if key == "class":
        return _code(text)
    if key == "defaults":
        return " ".join(_code(part) for part in text.split())
    return html.escape(text)


def framework_table(group: str) -> str:
    """One group of columns for every framework, as an HTML table."""
    if group not in GROUPS:
        raise ValueError(f"unknown framework table {group!r}; known: {', '.join(GROUPS)}")
    caption, keys = GROUPS[group]
    head = "".join(f'<th scope="col">{html.escape(HEADINGS[k])}</th>' for k in keys)
    body = []
    for name in frameworks.FRAMEWORKS:
        row = cells(name)
        tds = "".join(f'<td data-label="{html.escape(HEADINGS[k])}">{_cell(k, row[k])}</td>' for k in keys)
        body.append(f'<tr><th scope="row">{html.escape(name)}</th>{tds}</tr>')
    return (
        f'<table class="fw-table fw-table--{group}"><caption>{html.escape(caption)}</caption>'
        f'<thead><tr><th scope="col">framework</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def cheatsheet() -> str:
    """The common ports both ways, as an HTML table."""
    body = []
    for row in cheat_rows():
        match = NUMBER.sub(r'<span class="fw-nowrap">\g<0></span>', html.escape(row["match"]))
        body.append(
            f'<tr><td data-label="from">{_code(row["from"])}</td>'
            f'<td data-label="paste">{_code(row["paste"])}</td>'
            f'<td data-label="match">{match}</td></tr>'
        )
    return (
        '<table class="fw-table fw-table--cheatsheet">'
        "<caption>Each framework's defaults, and the call that reproduces them in another</caption>"
        '<thead><tr><th scope="col">from (defaults)</th><th scope="col">paste this</th>'
        '<th scope="col">match over 100 steps</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    def replace(match: re.Match) -> str:
        if match.group("kind") == "port-cheatsheet":
            return "\n" + cheatsheet() + "\n"
        return "\n" + framework_table(match.group("group") or "") + "\n"

    return PLACEHOLDER.sub(replace, markdown)
