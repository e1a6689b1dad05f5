#!/usr/bin/env bash
# Usage: fuzz/seed-corpus.sh TARGET DEST_DIR
# Fills DEST_DIR (created if missing) with the seeds of one fuzz target: the committed
# fixtures/ and fuzz/regressions/TARGET/, plus, when present, ../shared/corpora (override
# with SIGBRIDGE_CORPORA), which is read at run time and never copied into the project.
# Files are named by their SHA-1, so running it twice, or over an existing corpus, is harmless.
set -euo pipefail
target="$1"
dest="$2"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
corpora="${SIGBRIDGE_CORPORA:-$root/../shared/corpora}"
mkdir -p "$dest"

sources=()
case "$target" in
cert_parse)
  sources=("$root/fixtures/docs/pki/*.pem" "$root/fixtures/path-demo/*.pem"
    "$root/fixtures/trust-stores/*/certs/*"
    "$corpora/malformed/openssl-fuzz-corpora/x509/*" "$corpora/malformed/pyca-x509-*/*"
    "$corpora/malformed/bouncycastle/*" "$corpora/pkits/certs/*") ;;
crl_parse)
  sources=("$root/fixtures/docs/pki/*.crl" "$root/fixtures/path-demo/*.crl"
    "$corpora/malformed/openssl-fuzz-corpora/crl/*" "$corpora/malformed/pyca-x509-*/*"
    "$corpora/pkits/crls/*") ;;
cms_parse)
  sources=("$root/fixtures/docs/*.p7m" "$root/fixtures/docs/*.p7s" "$root/fixtures/docs/*.pem"
    "$corpora/malformed/openssl-fuzz-corpora/cms/*" "$corpora/malformed/openssl-cms-malformed/*"
    "$corpora/malformed/bouncycastle/*" "$corpora/cms/*/*") ;;
smime_parse)
  sources=("$root/fixtures/docs/*.eml" "$corpora/malformed/openssl-fuzz-corpora/smime/*"
    "$corpora/cms/*/*.eml" "$corpora/cms/*/*.txt") ;;
pem)
  sources=("$root/fixtures/docs/pki/*.pem" "$root/fixtures/docs/pki/*.crl"
    "$root/fixtures/docs/*.pem" "$root/fixtures/path-demo/*.pem" "$root/fixtures/path-demo/*.crl"
    "$corpora/malformed/pyca-x509-*/*.pem") ;;
verify|verify_cached)
  sources=("$root/fixtures/docs/*.p7m" "$root/fixtures/docs/*.p7s" "$root/fixtures/docs/*.pem"
    "$root/fixtures/docs/*.eml" "$corpora/malformed/openssl-fuzz-corpora/cms/*"
    "$corpora/malformed/openssl-fuzz-corpora/smime/*" "$corpora/cms/*/*") ;;
trust_list)
  sources=("$root/trust-stores/*/trust-list.json" "$root/fixtures/trust-stores/*/trust-list.json") ;;
ofd_package)
  sources=("$root/fixtures/ofd/*.ofd" "$corpora/ofd/*.ofd") ;;
ofd_seal)
  sources=("$corpora/ofd/*.esl" "$corpora/ofd/*.dat") ;;
pdf_parse | pdf_verify)
  sources=("$root/fixtures/pdf/*.pdf" "$corpora/pades/*/*.pdf") ;;
api_request)
  # Request bodies made from the fixtures by fuzz/seeds/api_request (committed): JSON,
  # multipart and verify-digest, each prefixed with its selector byte.
  sources=() ;;
ocsp_parse)
  sources=("$root/fixtures/ltv/ocsp/*" "$corpora/ltv/openssl-ocsp/*" "$corpora/ltv/pyca-ocsp/*"
    "$corpora/ltv/certval-ocsp/*" "$corpora/ltv/asn1crypto/*") ;;
timestamp_parse)
  sources=("$root/fixtures/ltv/tokens/*" "$corpora/ltv/tsp/*" "$corpora/ltv/tsp/*/*"
    "$corpora/ltv/tsp/*/*/*" "$corpora/ltv/asn1crypto/*") ;;
path_validate)
  # Structure-aware (arbitrary): fixture certificates are built in; libFuzzer starts
  # from scratch plus the regressions.
  sources=() ;;
*)
  echo "seed-corpus.sh: unknown target $target" >&2
  exit 2 ;;
esac
sources+=("$here/regressions/$target/*" "$here/seeds/$target/*")

n=0
shopt -s nullglob
for pattern in "${sources[@]}"; do
  # shellcheck disable=SC2206 # the patterns are meant to glob
  files=($pattern)
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    case "$(basename "$f")" in
    README* | LICENSE* | NOTICE* | *.gz | *.key | *.md) continue ;;
    esac
    # Seeds above 1 MiB only slow the run down (libFuzzer truncates to -max_len anyway).
    [ "$(stat -c %s "$f")" -le 1048576 ] || continue
    sum="$(sha1sum "$f" | cut -c1-40)"
    cp "$f" "$dest/$sum"
    n=$((n + 1))
  done
done
echo "seed-corpus.sh: $target: $n seed files into $dest"
