"""The sigbridge Python package against the fixtures (fixtures/expected.json's verdicts)."""

import hashlib
import io
import json
import pathlib
import threading
from datetime import datetime, timezone

import pytest

import sigbridge

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures"
DOCS = FIX / "docs"
AT = "2026-12-01T00:00:00Z"


def doc(name):
    return (DOCS / name).read_bytes()


@pytest.fixture(scope="module")
def verifier():
    return sigbridge.Verifier(trust_stores=str(FIX / "trust-stores"), at=AT, revocation="off")


def test_fixtures_verified(verifier):
    r = verifier.verify(doc("hk-mr-personal.p7m"))
    assert r.indication == "TOTAL_PASSED" and r.valid
    assert r.sub_indication is None
    assert r.relying_party == "HK"
    assert r.container == "cms" and not r.detached
    s = r.signers[0]
    assert "CHAN Tai Man" in s.subject
    assert s.chain[0].endswith("Root CA 2") and "CHAN Tai Man" in s.chain[-1]
    assert s.failed_checks == []
    bad = verifier.verify(doc("corrupted-signature.p7m"))
    assert (bad.indication, bad.sub_indication) == ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE")
    assert [c.id for c in bad.signers[0].failed_checks] == ["signature"]


def test_recognition_read(verifier):
    s = verifier.verify(doc("hk-mr-personal.p7m")).signers[0]
    assert (s.hk.status, s.gd.status) == ("domestic", "mutual")
    assert s.hk.recognised and s.gd.recognised
    # fixtures/expected.json: hk-non-mr-issuer is TOTAL_PASSED for HK, not recognised by GD.
    assert verifier.verify(doc("hk-non-mr-issuer.p7m"), relying_party="HK").valid
    g = verifier.verify(doc("hk-non-mr-issuer.p7m"), relying_party="GD")
    assert g.signers[0].gd.status == "not_recognised" and not g.signers[0].gd.recognised
    assert g.signers[0].gd.failed_conditions
    assert (g.indication, g.sub_indication) == ("INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE")


def test_detached_content_bytes_file_and_digest(verifier):
    sig, content = doc("hk-mr-personal.p7s"), doc("contract.txt")
    assert verifier.verify(sig, content).valid
    assert verifier.verify(sig, io.BytesIO(content)).detached
    with open(DOCS / "contract.txt", "rb") as f:
        assert verifier.verify(sig, f).valid
    assert verifier.verify(sig, doc("tampered-content")).sub_indication == "HASH_FAILURE"
    digest = hashlib.sha256(content).hexdigest()
    assert verifier.verify_digest(sig, "SHA-256", digest).valid
    assert verifier.verify_digest(sig, "sha256", hashlib.sha256(content).digest()).valid
    no = verifier.verify(sig)
    assert no.indication == "INDETERMINATE"


def test_per_call_time_and_relying_party(verifier):
    late = verifier.verify(doc("hk-mr-personal.p7m"), at=datetime(2045, 1, 1, tzinfo=timezone.utc))
    assert late.validation_time == "2045-01-01T00:00:00Z"
    assert late.indication == "INDETERMINATE"
    gd = verifier.verify(doc("hk-mr-personal.p7m"), relying_party="gd")
    assert gd.relying_party == "GD" and gd.valid
    with pytest.raises(ValueError, match="timezone-aware"):
        verifier.verify(doc("hk-mr-personal.p7m"), at=datetime(2026, 12, 1))


def test_to_dict_and_to_json(verifier):
    r = verifier.verify(doc("two-signers-one-revoked.p7m"))
    d = r.to_dict()
    assert d["format"] == "sigbridge-report/2"
    assert d == json.loads(r.to_json()) == json.loads(r.to_json(indent=2))
    assert len(d["signers"]) == len(r.signers) == 2
    assert d["indication"] == r.indication


def test_errors_raised(verifier):
    with pytest.raises(sigbridge.DocumentError):
        verifier.verify(doc("malformed-truncated.p7m"))
    with pytest.raises(sigbridge.UnsupportedDocumentError):
        verifier.verify(b"hello, this is text\n")
    with pytest.raises(sigbridge.DocumentError):
        verifier.verify(b"%PDF-1.7\n%%EOF\n")
    assert issubclass(sigbridge.UnsupportedDocumentError, sigbridge.SigbridgeError)
    with pytest.raises(TypeError):
        verifier.verify("not bytes")
    with pytest.raises(ValueError):
        verifier.verify(doc("hk-mr-personal.p7m"), relying_party="EU")
    with pytest.raises(ValueError):
        verifier.verify_digest(doc("hk-mr-personal.p7s"), "SHA-256", "abcd")
    with pytest.raises(sigbridge.ConfigError, match="no-such-dir"):
        sigbridge.Verifier(trust_stores="/no-such-dir")
    with pytest.raises(sigbridge.ConfigError, match="trust_store"):
        sigbridge.Verifier.from_config({"trust_store": "x"})


def test_from_config_dict_and_path(tmp_path):
    config = {
        "trust_stores": str(FIX / "trust-stores"),
        "revocation": "require",
        "crls": [str(DOCS / "pki/hk-root.crl"), str(DOCS / "pki/hk-ca-15.crl")],
        "validation_time": AT,
    }
    v = sigbridge.Verifier.from_config(config)
    # revoked, and nothing proves it signed before: REVOKED_NO_POE (EN 319 102-1)
    assert v.verify(doc("revoked-signer.p7m")).sub_indication == "REVOKED_NO_POE"
    p = tmp_path / "config.json"
    p.write_text(json.dumps(config))
    assert sigbridge.Verifier.from_config(p).verify(doc("hk-mr-personal.p7m")).valid
    assert sigbridge.Verifier.from_config(str(p)).trust_lists()["format"] == "sigbridge-trust-lists/1"


def test_four_threads_verify_concurrently(verifier):
    names = ["hk-mr-personal.p7m", "gd-sm2-mr.p7m", "corrupted-signature.p7m", "revoked-signer.p7m"]
    expected = {n: verifier.verify(doc(n)).to_json() for n in names}
    results, errors = {}, []

    def work(i):
        try:
            for k in range(25):
                n = names[(i + k) % len(names)]
                out = verifier.verify(doc(n)).to_json()
                if out != expected[n]:
                    errors.append((n, "differs"))
            results[i] = True
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 4
    assert verifier.cache_stats()["sub_paths"]["hits"] > 0


def test_stubs_cover_the_module():
    stub = (pathlib.Path(sigbridge.__file__).parent / "__init__.pyi").read_text()
    for name in sigbridge.__all__:
        assert name in stub, name
    assert sigbridge.__version__
