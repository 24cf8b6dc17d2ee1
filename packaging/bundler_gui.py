"""Entry script of the frozen ``bundler-gui`` executable."""

import sys

from bundler.cli.gui_launch import main

if __name__ == "__main__":
    sys.exit(main())
