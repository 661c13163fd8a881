import sys

from tinychat.cli import main

sys.exit(main())
