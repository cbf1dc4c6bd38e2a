"""``python -m rmsprop_docs`` is the ``rmsprop-docs`` command."""

import sys

from rmsprop_docs.cli import main

sys.exit(main())
