"""``python -m sotedata.cli``: the same as the ``sote`` console script."""

import sys

from . import main

sys.exit(main())
