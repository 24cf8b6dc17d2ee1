"""PDF plumbing shared by every stage: opening, geometry, stamps, outline read-back."""

from bundler.core.pdf.a85 import install as _install_a85
from bundler.core.pdf.named_encodings import install as _install_encodings
from bundler.core.pdf.quickcontent import install as _install_quick_content
from bundler.core.pdf.quicktext import install as _install_quick_text

_install_a85()  # every reader of a PDF (build, redactor, leak gate) decodes ASCII85 at C speed
_install_encodings()  # and pypdf's text extraction builds its WinAnsi table once, not per page
_install_quick_content()  # and parses plain content streams with one regex, into pypdf's own objects
_install_quick_text()  # and maps shown bytes to text by table, each font worked out once per reading
