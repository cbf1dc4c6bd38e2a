"""Render the site's figures into docs/assets/, only what is stale.

    python scripts/build_assets.py            # render stale figures
    python scripts/build_assets.py --check    # render nothing; exit 1 listing stale figures
    python scripts/build_assets.py --force    # render everything again

The registry is rmsprop_docs.figures; the staleness rules are in rmsprop_docs.assets.
"""

import sys

from rmsprop_docs.assets import main

if __name__ == "__main__":
    sys.exit(main())
