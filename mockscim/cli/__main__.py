"""``python -m mockscim.cli``."""

import sys

from mockscim.cli.main import main

sys.exit(main())
