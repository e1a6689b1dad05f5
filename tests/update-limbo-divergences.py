#!/usr/bin/env python3
"""Regenerate tests/limbo-divergences.txt from a sigbridge x509-limbo run.

Usage (from the project root):

    cargo build --release
    target/release/sigbridge limbo < ../shared/corpora/x509-limbo/limbo.json > /tmp/limbo-results.json
    python3 tests/update-limbo-divergences.py /tmp/limbo-results.json

or pipe the results in:

    target/release/sigbridge limbo < "$LIMBO" | python3 tests/update-limbo-divergences.py

or let the script run the binary itself (`--run [BINARY]`, default target/release/sigbridge).

Expected results are read from limbo.json: `--limbo PATH`, else
$SIGBRIDGE_CORPORA/x509-limbo/limbo.json, else ../shared/corpora/x509-limbo/limbo.json.

Every case whose actual result differs from its expected result, or that was SKIPPED, is
written as `ID  KIND  reason` (KIND = unexpected-success | unexpected-failure | skipped).
For ids already listed with the same KIND the existing (possibly hand-written) reason is
kept; other reasons come from sigbridge's `context` (for an unexpected SUCCESS, whose
context is just "valid", from the case's description). The file's leading comment block is
kept. A summary of added / removed / changed ids goes to stderr.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "limbo-divergences.txt"
KINDS = ("unexpected-success", "unexpected-failure", "skipped")
MAX_REASON = 180

DEFAULT_HEADER = """\
# x509-limbo divergences: every case of corpora/x509-limbo/limbo.json where sigbridge's
# result differs from expected_result, or that sigbridge skips. Checked by tests/limbo.rs,
# which fails when this list is wrong in either direction.
# Format: ID  KIND  reason   (KIND = unexpected-success | unexpected-failure | skipped)
# Regenerate with tests/update-limbo-divergences.py (hand-written reasons are kept).
"""


def limbo_path(arg):
    if arg:
        return Path(arg)
    env = os.environ.get("SIGBRIDGE_CORPORA")
    base = Path(env) if env else ROOT.parent / "shared" / "corpora"
    return base / "x509-limbo" / "limbo.json"


def shorten(text):
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) > MAX_REASON:
        text = text[: MAX_REASON - 1].rstrip() + "…"
    return text or "(no context)"


def first_sentence(markdown):
    text = re.sub(r"\s+", " ", markdown or "").strip()
    text = text.replace("`", "")
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return m.group(1) if m else text


def read_existing():
    """-> (leading comment block up to the first blank line, {id: (kind, reason)})"""
    if not OUT.exists():
        return DEFAULT_HEADER, {}
    header, entries, in_header = [], {}, True
    for line in OUT.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("#"):
            header.append(line)
            continue
        in_header = False
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split(None, 2)
        if len(parts) >= 2:
            entries[parts[0]] = (parts[1], parts[2] if len(parts) == 3 else "")
    text = "\n".join(header) + "\n" if header else DEFAULT_HEADER
    return text, entries


def load_results(args):
    if args.run is not None:
        binary = args.run or str(ROOT / "target" / "release" / "sigbridge")
        with open(limbo_path(args.limbo), "rb") as f:
            out = subprocess.run([binary, "limbo"], stdin=f, capture_output=True, check=True)
        return json.loads(out.stdout)
    if args.results and args.results != "-":
        with open(args.results, encoding="utf-8") as f:
            return json.load(f)
    if sys.stdin.isatty():
        sys.exit("give the results JSON as an argument, on stdin, or use --run")
    return json.load(sys.stdin)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="?", help="results JSON of `sigbridge limbo` (default: stdin)")
    ap.add_argument("--limbo", help="path of limbo.json")
    ap.add_argument("--run", nargs="?", const="", default=None, metavar="BINARY",
                    help="run `BINARY limbo` (default target/release/sigbridge) instead of reading results")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if the file would change")
    args = ap.parse_args()

    suite = json.loads(limbo_path(args.limbo).read_bytes())
    cases = {c["id"]: c for c in suite["testcases"]}
    results = load_results(args)["results"]
    header, old = read_existing()

    new = {}
    for r in results:
        case = cases.get(r["id"])
        if case is None:
            sys.exit(f"result for unknown case {r['id']}")
        expected, actual = case["expected_result"], r["actual_result"]
        if actual == "SKIPPED":
            kind = "skipped"
        elif actual == expected:
            continue
        elif actual == "SUCCESS":
            kind = "unexpected-success"
        elif actual == "FAILURE":
            kind = "unexpected-failure"
        else:
            sys.exit(f"{r['id']}: unknown actual_result {actual!r}")
        if r["id"] in old and old[r["id"]][0] == kind and old[r["id"]][1].strip():
            reason = old[r["id"]][1].strip()
        elif kind == "unexpected-success":
            reason = shorten("accepted; should fail: " + first_sentence(case.get("description")))
        else:
            reason = shorten(r.get("context"))
        new[r["id"]] = (kind, reason)

    missing = set(cases) - {r["id"] for r in results}
    if missing:
        print(f"warning: {len(missing)} cases have no result (e.g. {sorted(missing)[0]})", file=sys.stderr)

    order = {k: i for i, k in enumerate(KINDS)}
    lines = [header.rstrip("\n"), ""]
    for kind in KINDS:
        ids = sorted(i for i, (k, _) in new.items() if k == kind)
        if ids:
            lines.append(f"# {kind}: {len(ids)}")
            lines.extend(f"{i}  {kind}  {new[i][1]}" for i in ids)
            lines.append("")
    text = "\n".join(lines).rstrip("\n") + "\n"

    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(i for i in set(new) & set(old) if new[i][0] != old[i][0])
    for i in added:
        print(f"+ {i}  {new[i][0]}", file=sys.stderr)
    for i in removed:
        print(f"- {i}  (was {old[i][0]})", file=sys.stderr)
    for i in changed:
        print(f"~ {i}  {old[i][0]} -> {new[i][0]}", file=sys.stderr)
    counts = {k: sum(1 for v in new.values() if v[0] == k) for k in sorted(KINDS, key=order.get)}
    print(f"{len(results)} results; divergences: {counts}; "
          f"{len(added)} added, {len(removed)} removed, {len(changed)} changed kind", file=sys.stderr)

    current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    if args.check:
        sys.exit(0 if current == text else 1)
    if current != text:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT}", file=sys.stderr)
    else:
        print(f"{OUT} unchanged", file=sys.stderr)


if __name__ == "__main__":
    main()
