"""``python -m conference_recaps`` runs the ``recaps`` command."""

import sys

from conference_recaps.cli import main

sys.exit(main())
