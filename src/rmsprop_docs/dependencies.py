"""What a piece of code depends on, found by reading its imports, and a hash of it that ignores prose.

A figure or a notebook is stale when the code that makes it changes
behaviour.  This module finds that code by itself: starting from the modules a
figure or notebook uses, it follows every ``import`` of this package in their
source (module level or inside functions), transitively.  Each module is
hashed by its syntax tree without docstrings, so editing a comment or a
docstring changes nothing, while adding an import, a statement or a constant
does.  The asset build, the notebook cache and the tests all use it.

>>> "rmsprop_docs.optimizers.rmsprop" in closure(["rmsprop_docs.trajectory"])
True
"""

from __future__ import annotations

import ast
import functools
import hashlib
import pathlib
from collections.abc import Iterable

PACKAGE = "rmsprop_docs"
ROOT = pathlib.Path(__file__).resolve().parent


def _candidate(module: str) -> pathlib.Path | None:
    # Found on disk, not imported: deciding what is stale must not import Matplotlib.
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = ROOT.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def source_path(module: str) -> pathlib.Path:
    """The file that defines ``module`` of this package (a package's ``__init__.py``)."""
    path = _candidate(module)
    if path is None:
        raise ValueError(f"unknown module {module!r}")
    return path


def _is_package(module: str) -> bool:
    return source_path(module).name == "__init__.py"


def _exists(module: str) -> bool:
    return _candidate(module) is not None


def _provider(package: str, name: str) -> str | None:
    """The module a package's ``__init__`` takes ``name`` from, for a name it re-exports."""
    for node in ast.walk(ast.parse(read(package))):
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
            return _absolute(node, package) if node.level else node.module
    return None


def _absolute(node: ast.ImportFrom, module: str) -> str:
    """The module a relative import (``node.level`` dots) inside ``module`` names."""
    package = module if _is_package(module) else module.rpartition(".")[0]
    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
    return ".".join([*anchor, node.module] if node.module else anchor)


def imported_modules(tree: ast.AST, module: str = "") -> set[str]:
    """Modules of this package that ``tree`` imports.

    ``from pkg import name`` counts ``pkg.name`` when that is a module, and otherwise the module
    ``pkg/__init__.py`` takes ``name`` from, so ``from rmsprop_docs import trace`` depends on
    ``rmsprop_docs.trajectory``.  The package root itself is never a dependency: it only re-exports,
    and depending on it would mean depending on everything.
    """
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module) if node.level else (node.module or "")
            names = [base]
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if _exists(submodule):
                    names.append(submodule)
                elif _exists(base) and _is_package(base):
                    names.append(_provider(base, alias.name) or base)
        else:
            continue
        found.update(n for n in names if n.startswith(PACKAGE + ".") and _exists(n))
    return found


def read(module: str) -> bytes:
    """The source of ``module``."""
    return source_path(module).read_bytes()


@functools.lru_cache(maxsize=1024)
def _imports(source: bytes, module: str) -> frozenset[str]:
    # Keyed on the source itself, so an edited (or, in tests, substituted) file is parsed again.
    return frozenset(imported_modules(ast.parse(source), module))


def closure(roots: Iterable[str]) -> list[str]:
    """``roots`` and every module of this package they import, directly or not, sorted."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(_imports(read(module), module) - seen)
    return sorted(seen)


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            first = body[0] if body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return tree


def behaviour(source: str | bytes) -> str:
    """The source's syntax tree without docstrings or positions: equal for sources that differ only in prose.

    >>> behaviour("x = 1  # one") == behaviour('''"The answer."\\nx = 1''')
    True
    >>> behaviour("x = 1") == behaviour("x = 2")
    False
    """
    return ast.dump(_without_docstrings(ast.parse(source)), include_attributes=False)


def module_digest(module: str) -> str:
    """The hash of one module's behaviour."""
    return _behaviour_digest(read(module))


@functools.lru_cache(maxsize=1024)
def _behaviour_digest(source: bytes) -> str:
    return hashlib.sha256(behaviour(source).encode()).hexdigest()


def notebook_imports(notebook: dict) -> set[str]:
    """Modules of this package that a notebook's code cells import (IPython magics are skipped)."""
    found: set[str] = set()
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = "".join(cell.get("source", []))
            code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
            found |= imported_modules(ast.parse(code))
    return found


def digest(roots: Iterable[str]) -> str:
    """One hash of the behaviour of ``roots`` and everything of this package they import."""
    h = hashlib.sha256()
    for module in closure(roots):
        h.update(module.encode() + b"\0" + module_digest(module).encode() + b"\0")
    return h.hexdigest()
