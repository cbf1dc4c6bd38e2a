"""The snippets import frameworks the project does not install: pytest skips them."""

collect_ignore_glob = ["*.py"]
