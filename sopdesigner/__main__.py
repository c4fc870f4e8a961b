"""``python -m sopdesigner`` runs the same front door as the ``sopdesigner`` script."""

import sys

from sopdesigner.cli import main

if __name__ == "__main__":
    sys.exit(main())
