import sys

from cds_desktop.cli import main

sys.exit(main())
