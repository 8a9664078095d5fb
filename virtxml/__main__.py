"""``python -m virtxml`` is the ``virtxml`` command."""

import sys

from .cli import main

sys.exit(main())
