"""The package's layers: core -> render -> figures/assets -> cli, and no import the other way.

Read from the source with :mod:`ast` (every ``import``, at module level or inside a function), so a
lazy import cannot hide a back-edge.  Only the renderer imports Matplotlib or Pillow: the core, the
figure registry and the command line's checks run without them.
"""

import ast

import pytest

from rmsprop_docs import dependencies

PACKAGE_DIR = dependencies.ROOT
# Higher layers may import lower ones, never the reverse.  Everything not named here is core
# (the numerics, the problems, the optimizers, files, dependencies, port, learning).
LAYERS = {"core": 0, "render": 1, "figures": 2, "assets": 2, "cli": 3}
DRAWING = ("matplotlib", "PIL")


def module_name(path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    parts = module.split(".")
    if module == "rmsprop_docs":  # the package root re-exports the core's names
        return "core"
    if parts[1] in ("render", "figures", "assets", "cli"):
        return parts[1]
    if parts[1] == "__main__":
        return "cli"
    return "core"


def imports(tree: ast.AST, module: str) -> set[str]:
    """Every module ``tree`` imports by its full dotted name, package modules resolved as the asset build does."""
    found = set(dependencies.imported_modules(tree, module))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module)
    return found


def violations(module: str, source: str) -> list[str]:
    """Back-edges and drawing imports of one module, as readable lines."""
    mine = layer(module)
    found = []
    for name in sorted(imports(ast.parse(source), module)):
        top = name.split(".")[0]
        if top in DRAWING and mine != "render":
            found.append(f"{module} ({mine}) imports {name}")
        if top == "rmsprop_docs" and name != "rmsprop_docs" and LAYERS[layer(name)] > LAYERS[mine]:
            found.append(f"{module} ({mine}) imports {name} ({layer(name)})")
    return found


SOURCES = {module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def test_every_module_is_read():
    # the walk sees each layer, so an empty or misplaced directory cannot make the test pass
    seen = {layer(m) for m in SOURCES}
    assert seen == set(LAYERS)
    assert {"rmsprop_docs.stepping", "rmsprop_docs.render.animation", "rmsprop_docs.cli"} <= set(SOURCES)


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_back_edges_and_only_render_draws(module):
    assert violations(module, SOURCES[module].read_text()) == []


def test_render_does_import_matplotlib():
    # the rule above is about where Matplotlib is imported, not whether it is
    drawing = {m for m in SOURCES if m.startswith("rmsprop_docs.render.")}
    assert any("matplotlib" in imports(ast.parse(SOURCES[m].read_text()), m) for m in drawing)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("rmsprop_docs.stepping", "from rmsprop_docs import cli\n", "rmsprop_docs.cli (cli)"),
        ("rmsprop_docs.sweep", "def f():\n    from rmsprop_docs.render import plots\n", "rmsprop_docs.render.plots"),
        ("rmsprop_docs.optimizers.base", "from .. import figures\n", "rmsprop_docs.figures (figures)"),
        ("rmsprop_docs.render.plots", "from rmsprop_docs import assets\n", "rmsprop_docs.assets (assets)"),
        ("rmsprop_docs.figures", "import matplotlib.pyplot\n", "imports matplotlib.pyplot"),
        ("rmsprop_docs.trajectory", "from PIL import Image\n", "imports PIL"),
    ],
)
def test_a_back_edge_is_reported(module, source, expected):
    found = violations(module, source)
    assert found and all(expected in line or "rmsprop_docs.render (render)" in line for line in found), found
    assert any(expected in line for line in found), found


def test_forward_edges_are_allowed():
    assert (
        violations("rmsprop_docs.cli", "from rmsprop_docs.render import limits\nfrom rmsprop_docs import sweep\n") == []
    )
    assert violations("rmsprop_docs.assets", "from rmsprop_docs import figures, render\n") == []
    assert violations("rmsprop_docs.render.plots", "import matplotlib\nfrom rmsprop_docs import trajectory\n") == []
