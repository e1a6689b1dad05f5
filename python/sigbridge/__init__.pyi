"""Type stubs of the sigbridge package (native module sigbridge._sigbridge)."""

import os
from datetime import datetime
from typing import Any, BinaryIO, Literal, Optional, Sequence, Union

__version__: str

_Path = Union[str, "os.PathLike[str]"]
_Time = Union[datetime, str]
_Bytes = Union[bytes, bytearray, memoryview]

class SigbridgeError(Exception):
    """Base class of sigbridge's errors."""

class ConfigError(SigbridgeError):
    """The verifier's configuration or one of its files is wrong."""

class DocumentError(SigbridgeError):
    """The document cannot be read as a signed document."""

class UnsupportedDocumentError(DocumentError):
    """Bytes that are not a signed document (a certificate, a CRL, text, ...): the message says what they are."""

class Check:
    """One rule's outcome."""
    id: str
    status: Literal["passed", "failed", "warning", "skipped"]
    message: str

class Recognition:
    """Recognition of a signer by one jurisdiction."""
    relying_party: Literal["HK", "GD"]
    status: Literal["domestic", "mutual", "not_recognised"]
    matched_entry: Optional[str]
    failed_conditions: list[str]
    @property
    def recognised(self) -> bool: ...

class Signer:
    """The verdict on one signer."""
    indication: Literal["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]
    sub_indication: Optional[str]
    subject: Optional[str]
    issuer: Optional[str]
    serial: Optional[str]
    chain: list[str]
    checks: list[Check]
    hk: Optional[Recognition]
    gd: Optional[Recognition]
    @property
    def failed_checks(self) -> list[Check]: ...

class Report:
    """The verdict on one document (sigbridge-report/2)."""
    indication: Literal["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]
    sub_indication: Optional[str]
    relying_party: Optional[Literal["HK", "GD"]]
    validation_time: str
    container: Literal["cms", "smime", "pdf", "ofd"]
    detached: bool
    signers: list[Signer]
    @property
    def valid(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self, indent: Optional[int] = None) -> str: ...

class Verifier:
    """A verifier built once and shared by every thread (the GIL is released while verifying)."""
    def __init__(
        self,
        *,
        trust_stores: Optional[_Path] = None,
        anchors: Optional[Sequence[_Path]] = None,
        certs: Optional[Sequence[_Path]] = None,
        crls: Optional[Sequence[_Path]] = None,
        revocation: Optional[Literal["require", "prefer", "off"]] = None,
        relying_party: Optional[Literal["HK", "GD", "hk", "gd"]] = None,
        at: Optional[_Time] = None,
    ) -> None: ...
    @staticmethod
    def from_config(config: Union[dict[str, Any], _Path]) -> "Verifier": ...
    def verify(
        self,
        document: Union[_Bytes, BinaryIO],
        content: Union[_Bytes, BinaryIO, None] = None,
        *,
        at: Optional[_Time] = None,
        relying_party: Optional[Literal["HK", "GD", "hk", "gd"]] = None,
        revocation: Optional[Literal["require", "prefer", "off"]] = None,
    ) -> Report: ...
    def verify_digest(
        self,
        signature: Union[_Bytes, BinaryIO],
        digest_algorithm: str,
        digest: Union[str, _Bytes],
        *,
        at: Optional[_Time] = None,
        relying_party: Optional[Literal["HK", "GD", "hk", "gd"]] = None,
        revocation: Optional[Literal["require", "prefer", "off"]] = None,
    ) -> Report: ...
    def cache_stats(self) -> dict[str, Any]: ...
    def trust_lists(self) -> Optional[dict[str, Any]]: ...
