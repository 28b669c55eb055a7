"""Entry point of the frozen bundle (PyInstaller runs this file as ``__main__``).

A separate file rather than ``coordinator_app/__main__.py``: analysing a script inside the package would put the
package folder itself on the analysis path, so its modules could also be found as top-level modules.
"""

import sys

from coordinator_app.cli.commands import main

if __name__ == "__main__":
    sys.exit(main())
