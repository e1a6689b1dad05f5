"""The peer of the pdf_verify bench: pyHanko's validate_pdf_signature on the same signed PDFs,
with the same trust anchor and CRLs, at the same validation time, fetching off.

Usage: python pyhanko_validate.py ROOT_PEM CRL_PEM... -- RUNS FILE...
Prints one line per file: `FILE best_seconds median_seconds` (per document, in-process:
open, parse, validate; the interpreter's start-up and imports are not counted). Exits 1 if
a signature is not intact and valid.
"""
import datetime
import statistics
import sys
import time

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

sep = sys.argv.index("--")
root, crl_files = sys.argv[1], sys.argv[2:sep]
runs, files = int(sys.argv[sep + 1]), sys.argv[sep + 2 :]


def crl(path):
    raw = open(path, "rb").read()
    if pem.detect(raw):
        _, _, raw = pem.unarmor(raw)
    return asn1_crl.CertificateList.load(raw)


crls = [crl(c) for c in crl_files]
moment = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def once(path):
    vc = ValidationContext(
        trust_roots=[load_cert_from_pemder(root)], crls=crls, allow_fetching=False, moment=moment
    )
    with open(path, "rb") as f:
        reader = PdfFileReader(f)
        sig = reader.embedded_signatures[0]
        status = validate_pdf_signature(sig, vc)
    if not (status.intact and status.valid):
        print(f"{path}: not intact and valid: {status.summary()}", file=sys.stderr)
        sys.exit(1)


for path in files:
    once(path)  # warm: imports, caches
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        once(path)
        times.append(time.perf_counter() - t)
    print(f"{path} {min(times):.6f} {statistics.median(times):.6f}")
