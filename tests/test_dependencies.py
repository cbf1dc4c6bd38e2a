"""Finding what code depends on, and hashing it blind to prose."""

import ast

import pytest

from rmsprop_docs import dependencies


def test_follows_imports_transitively_and_inside_functions():
    found = dependencies.closure(["rmsprop_docs.assets"])
    # assets imports render and trajectory only inside a function
    assert "rmsprop_docs.render" in found
    assert "rmsprop_docs.trajectory" in found
    assert "rmsprop_docs.stepping" in found  # through trajectory
    assert "rmsprop_docs.cli" not in found


def test_relative_and_from_imports_resolve_to_modules():
    tree = ast.parse("from . import stepping\nfrom .optimizers import rmsprop\nimport numpy\n")
    found = dependencies.imported_modules(tree, "rmsprop_docs.trajectory")
    assert found == {"rmsprop_docs.stepping", "rmsprop_docs.optimizers", "rmsprop_docs.optimizers.rmsprop"}
    tree = ast.parse("from .. import arithmetic\n")
    assert dependencies.imported_modules(tree, "rmsprop_docs.optimizers.base") == {"rmsprop_docs.arithmetic"}


def test_the_package_root_is_not_a_dependency_but_what_it_re_exports_is():
    assert dependencies.imported_modules(ast.parse("import rmsprop_docs\n")) == set()
    found = dependencies.imported_modules(ast.parse("from rmsprop_docs import trace, sweep, rmsprop\n"))
    assert found == {"rmsprop_docs.trajectory", "rmsprop_docs.sweep", "rmsprop_docs.optimizers"}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("x = 1\n", "x = 1  # note\n", True),
        ('def f():\n    "Doc."\n    return 1\n', "def f():\n    return 1\n", True),
        ('class A:\n    "Doc."\n', "class A:\n    pass\n", True),
        ("x = 1\n", "x = 2\n", False),
        ("x = 'text'\n", "x = 'other'\n", False),  # a string that is not a docstring is code
        ("def f():\n    return 1\n", "def f():\n    import rmsprop_docs.sweep\n    return 1\n", False),
    ],
)
def test_behaviour_ignores_exactly_comments_and_docstrings(a, b, same):
    assert (dependencies.behaviour(a) == dependencies.behaviour(b)) is same


def test_every_module_of_the_package_is_found_and_parsed():
    for path in sorted(dependencies.ROOT.rglob("*.py")):
        parts = path.relative_to(dependencies.ROOT).with_suffix("").parts
        module = ".".join(("rmsprop_docs", *(parts[:-1] if parts[-1] == "__init__" else parts)))
        assert dependencies.source_path(module) == path
        assert dependencies.module_digest(module)


def test_unknown_module_is_an_error():
    with pytest.raises(ValueError, match="unknown module"):
        dependencies.source_path("rmsprop_docs.nonesuch")


def test_notebook_imports_skip_magics():
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["import rmsprop_docs.cli"]},
            {"cell_type": "code", "source": ["%matplotlib inline\n", "from rmsprop_docs import sweep\n"]},
        ]
    }
    assert dependencies.notebook_imports(notebook) == {"rmsprop_docs.sweep"}


def test_modules_imported_by_name_are_named_by_the_figures_that_use_them():
    # The render package loads its animation module by name (to keep Matplotlib out of cheap imports),
    # which no import statement shows: the animation figures name it as an entry module instead.
    from rmsprop_docs import figures

    assert "rmsprop_docs.render.animation" not in dependencies.closure(["rmsprop_docs.render"])
    for spec in figures.FIGURES.values():
        if spec.kind == "animation":
            assert "rmsprop_docs.render.animation" in dependencies.closure(spec.entry_modules)
