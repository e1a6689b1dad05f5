"""sigbridge: verify signed documents across the Hong Kong / Guangdong boundary.

>>> import sigbridge
>>> v = sigbridge.Verifier(trust_stores="fixtures/trust-stores", at="2026-12-01T00:00:00Z")
>>> report = v.verify(open("fixtures/docs/hk-mr-personal.p7m", "rb").read())
>>> report.indication
'TOTAL_PASSED'

The verification runs in Rust with the GIL released, so threads verify in parallel.
"""

from ._sigbridge import (  # noqa: F401
    Check,
    ConfigError,
    DocumentError,
    Recognition,
    Report,
    SigbridgeError,
    Signer,
    UnsupportedDocumentError,
    Verifier,
    __version__,
)

__all__ = [
    "Check",
    "ConfigError",
    "DocumentError",
    "Recognition",
    "Report",
    "SigbridgeError",
    "Signer",
    "UnsupportedDocumentError",
    "Verifier",
    "__version__",
]
