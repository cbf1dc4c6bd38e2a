"""Every Python code block in docs/ is a test: it runs, and its printed output must match the page."""

import pathlib
import sys

from sybil import Region, Sybil

sys.path.insert(0, str(pathlib.Path(__file__).parent / "tests"))

import doc_blocks


def _evaluate(example):
    doc_blocks.check(example.parsed, example.namespace, example.path)


def _parse(document):
    for found in doc_blocks.examples(document.text):
        yield Region(found.code.start, found.code.end, found, _evaluate)


pytest_collect_file = Sybil(parsers=[_parse], patterns=["*.md"], path="docs").pytest()
