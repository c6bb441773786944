"""``python -m impactkit.cli``: the ``impactkit`` command."""

import sys

from impactkit.cli import main

sys.exit(main())
