"""Entry script of the frozen ``bundler`` executable."""

import multiprocessing
import sys

from bundler.cli.main import run
from bundler.core.preflight.render_time import CHILD_FLAG, child_main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # worker processes (corner checks, gate, detection) start this executable
    if sys.argv[1:2] == [CHILD_FLAG]:  # preflight's render-time probe runs itself in a child process
        sys.exit(child_main(sys.argv[2:]))
    sys.exit(run())
