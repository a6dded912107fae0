import sys

from piiplan.cli import main

sys.exit(main())
