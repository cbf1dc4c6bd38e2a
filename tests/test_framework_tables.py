"""The frameworks page's generated tables: the records' values, and the cheat sheet as `rmsprop-docs port` prints it."""

import html.parser
import importlib.util
import json
import re

import pytest

from conftest import FIXTURES, ROOT
from rmsprop_docs import cli, port
from rmsprop_docs.optimizers import frameworks

SPEC = importlib.util.spec_from_file_location("framework_tables", ROOT / "docs" / "hooks" / "framework_tables.py")
hook = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(hook)

PAGE = (ROOT / "docs" / "frameworks.md").read_text()


class Tables(html.parser.HTMLParser):
    """Every <table>: its caption, header cells, and rows of cell texts (as a reader sees them)."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.where = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"class": dict(attrs).get("class", ""), "caption": "", "head": [], "rows": []})
        elif tag == "caption":
            self.where = "caption"
        elif tag == "thead":
            self.where = "head"
        elif tag == "tbody":
            self.where = "body"
        elif tag == "tr" and self.where == "body":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        table = self.tables[-1] if self.tables else None
        if tag in ("td", "th") and self.cell is not None:
            (table["head"] if self.where == "head" else table["rows"][-1]).append(self.cell)
            self.cell = None
        elif tag == "caption":
            self.where = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        elif self.where == "caption":
            self.tables[-1]["caption"] += data


def parse(markup):
    parser = Tables()
    parser.feed(markup)
    return parser.tables


def rendered_page():
    return hook.on_page_markdown(PAGE, None, None, None)


def test_the_page_places_every_table_and_no_placeholder_is_left():
    markdown = rendered_page()
    assert "[[framework-table" not in markdown and "[[port-cheatsheet" not in markdown
    tables = parse(markdown)
    assert [t["class"].split()[-1] for t in tables] == [
        "fw-table--cheatsheet",
        "fw-table--arithmetic",
        "fw-table--names",
        "fw-table--float32",
    ]
    # The cheat sheet comes first, after one sentence of introduction.
    intro = PAGE.split("## Cheat sheet")[0].split("\n", 1)[1].strip()
    assert intro.count(". ") == 0 and intro.endswith(".")
    # No fixed-width text table is left on the page (the records are shown as <table> elements).
    assert "frameworks.table(" not in re.sub(r"`frameworks\.table\(\)`", "", PAGE)


@pytest.mark.parametrize("group", list(hook.GROUPS))
def test_framework_table_cells_equal_the_records(group):
    (table,) = parse(hook.framework_table(group))
    keys = hook.GROUPS[group][1]
    assert table["head"] == ["framework", *(hook.HEADINGS[k] for k in keys)]
    assert [row[0] for row in table["rows"]] == list(frameworks.FRAMEWORKS)
    for row in table["rows"]:
        name, record = row[0], frameworks.get(row[0])
        summary = frameworks._summary(record)  # what frameworks.table() prints
        cells = dict(zip(keys, row[1:], strict=True))
        for key, text in cells.items():
            if key == "defaults":
                assert text.split() == summary["defaults"].split()
            elif key == "float32" and name in hook.FLOATX:
                assert text.endswith("; " + summary["float32"])
            else:
                assert text == summary[key], (name, key)
        # And straight from the record, not through the summary.
        if "class" in cells:
            assert cells["class"] == record.emulates and cells["verified"] == record.version
            shown = dict(part.split("=", 1) for part in cells["defaults"].split())
            assert list(shown) == list(record.defaults)
            for option in record.options:
                expected = "required" if option.default == frameworks.REQUIRED else str(option.default)
                assert shown[option.name] == expected
        if "eps" in cells:
            kwargs = {o.name: 0.01 for o in record.options if o.default == frameworks.REQUIRED}
            convention = frameworks.resolve(name, kwargs).convention
            assert cells["eps"].split()[0] == convention.eps
            assert cells["v0"].split()[0] == f"{convention.v0:g}"
            assert cells["centered"] == ("yes" if record.spelling("centered") else "no")
            wd = {"l2": "L2 (g += wd x)", "decoupled": "decoupled"}
            assert cells["weight decay"] == (wd[convention.weight_decay] if record.spelling("weight_decay") else "none")
        if "float32" in cells:
            for key in (*record.float32, *record.float32_always):
                assert key in cells["float32"]
            if not record.float32 and not record.float32_always and not record.backends:
                assert cells["float32"] == "none (float64)"


def test_keras_and_tf_keras_float32_cells_say_the_learning_rate_is_floatx():
    (table,) = parse(hook.framework_table("float32"))
    cells = {row[0]: row[1] for row in table["rows"]}
    snippets = ROOT / "docs" / "snippets" / "frameworks"
    for name, call in hook.FLOATX.items():
        assert "learning_rate: a variable of backend.floatx(), float32 by default" in cells[name]
        assert call in cells[name]
        # What the cell says is what the recordings and the page's snippets did.
        notes = " ".join(json.loads((FIXTURES / "frameworks" / f"{name}.json").read_text())["notes"])
        assert "set_floatx('float64')" in notes and "dtype floatx" in notes
        assert call in (snippets / f"{name}.py").read_text()
    for name in set(frameworks.FRAMEWORKS) - set(hook.FLOATX):
        assert "floatx" not in cells[name]
    # The record of Keras says the same in its quirks.
    assert any("floatx" in quirk for quirk in frameworks.KERAS.quirks)


def printed_call(capsys, args):
    """The call `rmsprop-docs port ARGS` prints, joined where it was wrapped, and whether it says exact."""
    assert cli.main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith(("exact", "nearest")))
    return " ".join(line.strip() for line in lines[:end]), lines[end].startswith("exact")


def test_cheat_sheet_is_what_port_prints(capsys):
    (table,) = parse(hook.cheatsheet())
    assert table["head"] == ["from (defaults)", "paste this", "match over 100 steps"]
    assert len(table["rows"]) == len(hook.PAIRS)
    for (source, target), (source_call, paste, match) in zip(hook.PAIRS, table["rows"], strict=True):
        call, exact = printed_call(capsys, hook.command(source, target))
        assert paste == call, (source, target)
        assert (match == "exact") == exact
        assert source_call.startswith(frameworks.get(source).emulates + "(")
        if not exact:
            result = port.port(source, target, hook.source_call(source)[0])
            assert f"largest gap {result.max_difference:.1e}" in match


def test_cheat_sheet_covers_the_common_pairs_both_ways():
    pairs = set(hook.PAIRS)
    for a, b in (("pytorch", "keras"), ("pytorch", "tf-compat-v1"), ("pytorch", "optax"), ("keras", "optax")):
        assert (a, b) in pairs and (b, a) in pairs
    (table,) = parse(hook.cheatsheet())
    rows = {(r[0], r[1]) for r in table["rows"]}
    assert ("keras.optimizers.RMSprop()", "torch.optim.RMSprop(lr=0.001, alpha=0.9, eps=1e-07)") in rows


def test_cheat_sheet_sources_are_called_with_their_defaults():
    for source, _ in hook.PAIRS:
        kwargs, call = hook.source_call(source)
        record = frameworks.get(source)
        assert set(kwargs) == {o.name for o in record.options if o.default == frameworks.REQUIRED}
        assert all(value == hook.REQUIRED_LR for value in kwargs.values())
        assert call == f"{record.emulates}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"


def test_an_unknown_table_fails_the_build():
    with pytest.raises(ValueError, match="unknown framework table 'speed'"):
        hook.on_page_markdown("[[framework-table speed]]\n", None, None, None)


def test_code_breaks_after_a_dot_between_names_never_inside_a_number():
    markup = hook._code("tf.compat.v1.train.RMSPropOptimizer(learning_rate=0.01, epsilon=1e-16)")
    assert "tf.<wbr>compat.<wbr>v1.<wbr>train.<wbr>RMSPropOptimizer(<wbr>learning_rate" in markup
    assert "0.01" in markup and '<span class="fw-nowrap">1e-16</span>' in markup
    assert "RMSprop()</code>" in hook._code("torch.optim.RMSprop()")
    assert re.sub(r"<[^>]+>", "", markup) == "tf.compat.v1.train.RMSPropOptimizer(learning_rate=0.01, epsilon=1e-16)"
