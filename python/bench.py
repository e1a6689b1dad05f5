"""Python `Verifier.verify` on one detached document, µs per call (median of 5 runs).

Usage: python bench.py TRUST_STORES SIGNATURE CONTENT N — run by benches/service.rs, which
times the Rust call on the same document with the same configuration.
"""

import sys
import time

import sigbridge

stores, sig_path, content_path, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
v = sigbridge.Verifier(trust_stores=stores, at="2026-12-01T00:00:00Z", revocation="off")
sig = open(sig_path, "rb").read()
content = open(content_path, "rb").read()
runs = []
for _ in range(5):
    t = time.perf_counter()
    for _ in range(n):
        r = v.verify(sig, content)
        if r.indication != "TOTAL_PASSED":
            raise SystemExit(f"unexpected {r.indication}")
    runs.append((time.perf_counter() - t) * 1e6 / n)
runs.sort()
print(f"{runs[2]:.2f}")
