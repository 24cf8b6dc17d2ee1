"""Entry script of the frozen ``bundler`` executable."""

import sys

from bundler.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
