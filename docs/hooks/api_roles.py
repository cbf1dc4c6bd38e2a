"""A griffe extension: the docstrings' Sphinx roles become cross-references on the API page.

The package's docstrings name other objects the Sphinx way (``:class:`Convention```,
``:mod:`.base```, ``:func:`~rmsprop_docs.trace```); mkdocstrings' Google-style
parser would show them as written.  Each becomes an autorefs reference to the
object's full path, resolved where the docstring sits (a leading dot is relative
to the package, a leading ``~`` shows the last part of the name only), shown as
code.  The reference is optional: it links when the object is documented on the
site and stays plain code when it is not (a module the page does not render, or
the standard library), without a warning.

mkdocstrings-python loads it from ``mkdocs.yml``
(``handlers.python.options.extensions``).
"""

from __future__ import annotations

import html
import re

import griffe

ROLE = re.compile(r":(?:py:)?(?P<role>mod|class|func|meth|attr|data|obj|exc|const|type):`(?P<target>[^`]+)`")
ROOT = "rmsprop_docs"


def _module(obj: griffe.Object) -> griffe.Object:
    return obj if obj.is_module else obj.module


def resolve(name: str, obj: griffe.Object) -> str:
    """The full path ``name`` means in the docstring of ``obj`` (``name`` itself when it is not found)."""
    if name.startswith("."):
        module = _module(obj)
        package = module if module.is_init_module else module.parent
        dots = len(name) - len(name.lstrip("."))
        for _ in range(dots - 1):
            package = package.parent
        return f"{package.path}.{name.lstrip('.')}"
    if name == ROOT or name.startswith(ROOT + "."):
        return name
    first, _, rest = name.partition(".")
    scope = obj if obj.is_module or obj.is_class else obj.parent
    try:
        path = scope.resolve(first)
    except (griffe.NameResolutionError, AttributeError, KeyError):
        return name
    return f"{path}.{rest}" if rest else path


def _object(path: str, obj: griffe.Object) -> griffe.Object | None:
    package = obj.package
    if path != package.path and not path.startswith(package.path + "."):
        return None
    try:
        return package[path[len(package.path) + 1 :]] if path != package.path else package
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def reference(match: re.Match, obj: griffe.Object) -> str:
    target = match.group("target").strip()
    short = target.startswith("~")
    target = target.lstrip("~")
    shown = target.rpartition(".")[2] if short else target
    identifier = resolve(target, obj)
    found = _object(identifier, obj)
    name = identifier.rpartition(".")[2]
    if match.group("role") != "mod" and found is not None and found.is_module and name in found.members:
        # a function named like its module (``optimizers.rmsprop`` is both): the role says which is meant
        identifier = f"{identifier}.{name}"
    return (
        f'<autoref identifier="{html.escape(identifier, quote=True)}" optional>'
        f"<code>{html.escape(shown)}</code></autoref>"
    )


def convert(text: str, obj: griffe.Object) -> str:
    return ROLE.sub(lambda match: reference(match, obj), text)


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring's roles once the package is loaded (names resolve only then)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        self._visit(pkg, set())

    def _visit(self, obj: griffe.Object, seen: set[str]) -> None:
        if obj.path in seen:
            return
        seen.add(obj.path)
        if obj.docstring is not None and ":" in obj.docstring.value:
            obj.docstring.value = convert(obj.docstring.value, obj)
        for member in obj.members.values():
            if not member.is_alias:
                self._visit(member, seen)
