"""Python `Verifier.verify` on one detached document, timed in rounds the Rust bench asks for.

Usage: python bench.py TRUST_STORES SIGNATURE CONTENT — run by benches/service.rs, which
times the Rust call on the same document with the same configuration between our rounds, so
that the two are interleaved and a change of machine speed affects both alike.

Protocol on stdin/stdout, one line each: the bench writes N, this script verifies the document
N times and answers the µs per call; an empty line or end of input stops it.
"""

import sys
import time

import sigbridge

stores, sig_path, content_path = sys.argv[1], sys.argv[2], sys.argv[3]
v = sigbridge.Verifier(trust_stores=stores, at="2026-12-01T00:00:00Z", revocation="off")
sig = open(sig_path, "rb").read()
content = open(content_path, "rb").read()
print("ready", flush=True)
for line in sys.stdin:
    line = line.strip()
    if not line:
        break
    n = int(line)
    t = time.perf_counter()
    for _ in range(n):
        r = v.verify(sig, content)
        if r.indication != "TOTAL_PASSED":
            raise SystemExit(f"unexpected {r.indication}")
    print(f"{(time.perf_counter() - t) * 1e6 / n:.3f}", flush=True)
