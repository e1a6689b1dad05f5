//! `sigbridge verify --format html`: one self-contained HTML file, parsed here with a real
//! HTML5 parser (scraper, on html5ever): both jurisdictions' verdicts side by side, each
//! signer, the chain as a nested tree, every check, the document's SHA-256, the validation
//! time, the tool version, the trust lists used, no external resource, and the headings and
//! verdict words in the language asked for.

mod common;

use scraper::{Html, Selector};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn html(doc: &str, extra: &[&str]) -> (Option<i32>, String) {
    let o = common::sigbridge()
        .current_dir(root())
        .args(["verify", doc, "--trust-stores", "fixtures/trust-stores"])
        .args(["--at", "2026-12-01T00:00:00Z", "--format", "html"])
        .args(extra)
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8(o.stdout).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn the_report_has_both_verdicts_the_chain_and_every_check() {
    let (code, page) = html("fixtures/docs/hk-mr-personal.p7m", &["--revocation", "off"]);
    assert_eq!(code, Some(0));
    let doc = Html::parse_document(&page);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    assert_eq!(
        doc.select(&sel("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang"),
        Some("en")
    );
    // Both jurisdictions, side by side in one container.
    let boxes: Vec<_> = doc.select(&sel(".jurisdictions > .jurisdiction")).collect();
    assert_eq!(boxes.len(), 2);
    assert_eq!(boxes[0].value().attr("data-jurisdiction"), Some("HK"));
    assert_eq!(boxes[1].value().attr("data-jurisdiction"), Some("GD"));
    assert_eq!(text(&doc, "#verdict-hk > p.standing"), ["VALID"]);
    assert_eq!(text(&doc, "#verdict-gd > p.standing"), ["VALID"]);
    let hk = text(&doc, "#verdict-hk li.signer-verdict").join(" ");
    assert!(
        hk.contains("CHAN Tai Man") && hk.contains("trusted by Hong Kong's list"),
        "{hk}"
    );
    let gd = text(&doc, "#verdict-gd li.signer-verdict").join(" ");
    assert!(gd.contains("mutual recognition"), "{gd}");
    // The chain is a tree: root, then CA inside it, then the signer inside that.
    let depth2 = doc
        .select(&sel("ul.chain > li > ul > li > ul > li .subject"))
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>();
    assert_eq!(depth2, ["C=HK, O=Demo e-Cert (Personal), CN=CHAN Tai Man"]);
    let top = text(&doc, "ul.chain > li > .subject");
    assert_eq!(
        top,
        ["C=HK, O=Demo Hongkong Post, CN=Demo Hongkong Post Root CA 2"]
    );
    // Every check, in words.
    let checks: Vec<_> = doc.select(&sel("table.checks tr.check")).collect();
    assert!(checks.len() >= 8, "{}", checks.len());
    assert!(doc
        .select(&sel("tr.check[data-rule=\"message-digest\"]"))
        .next()
        .is_some());
    // The document's SHA-256, the validation time, the tool version, the trust lists.
    let sha = hex::encode(sigbridge::crypto::sha256(
        &std::fs::read(root().join("fixtures/docs/hk-mr-personal.p7m")).unwrap(),
    ));
    assert_eq!(text(&doc, "#document-sha256"), [sha]);
    assert!(page
        .contains("2026-12-01 00:00:00 UTC (2026-12-01 08:00:00 Hong Kong / Beijing time, UTC+8)"));
    assert!(page.contains(&format!("sigbridge {}", env!("CARGO_PKG_VERSION"))));
    let lists = text(&doc, "#trust-lists li").join("\n");
    assert!(
        lists.contains("HK list:")
            && lists.contains("GD list:")
            && lists.contains("official list in full"),
        "{lists}"
    );
    // Self-contained: no script, no external style sheet, image or link.
    assert!(doc
        .select(&sel("script, link, img, iframe, object"))
        .next()
        .is_none());
    assert!(!page.contains("http://") || !page.contains("src="));
    assert!(!page.contains("url("));
}

#[test]
fn a_failing_signer_and_the_language_switch() {
    let (code, page) = html(
        "fixtures/docs/two-signers-one-revoked.p7m",
        &[
            "--lang",
            "zh-Hant",
            "--revocation",
            "require",
            "--crl",
            "fixtures/docs/pki/hk-root.crl",
            "fixtures/docs/pki/hk-ca-15.crl",
        ],
    );
    // A revoked signer with nothing proving when it signed: INDETERMINATE / REVOKED_NO_POE
    // (EN 319 102-1 §5.2.6), so NOT CONFIRMED, exit 3.
    assert_eq!(code, Some(3));
    let doc = Html::parse_document(&page);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(
        doc.select(&sel("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang"),
        Some("zh-Hant")
    );
    assert_eq!(text(&doc, "h1"), ["電子簽署核實報告"]);
    assert_eq!(text(&doc, "#verdict-hk > h3"), ["香港 (依賴方)"]);
    assert_eq!(text(&doc, "#verdict-gd > h3"), ["廣東"]);
    assert_eq!(text(&doc, "#verdict-hk > p.standing"), ["未能確認"]);
    assert_eq!(
        doc.select(&sel("#verdict-hk > p.standing"))
            .next()
            .unwrap()
            .value()
            .attr("data-standing"),
        Some("NOT CONFIRMED")
    );
    let lines = text(&doc, "#verdict-gd li.signer-verdict .standing");
    assert_eq!(lines, ["有效", "未能確認"]);
    assert_eq!(doc.select(&sel("section.signer")).count(), 2);
    // Simplified Chinese.
    let (_, page) = html(
        "fixtures/docs/hk-mr-personal.p7m",
        &["--lang", "zh-Hans", "--revocation", "off"],
    );
    let doc = Html::parse_document(&page);
    assert_eq!(text(&doc, "h1"), ["电子签名验证报告"]);
    assert_eq!(text(&doc, "#verdict-gd > h3"), ["广东"]);
    assert_eq!(text(&doc, "#verdict-gd > p.standing"), ["有效"]);
    // An unknown language is a usage error.
    let o = common::sigbridge()
        .current_dir(root())
        .args([
            "verify",
            "fixtures/docs/hk-mr-personal.p7m",
            "--format",
            "html",
            "--lang",
            "fr",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn everything_from_the_document_is_escaped() {
    use sigbridge::report::html::{escape, render, HtmlContext};
    use sigbridge::report::lang::Lang;
    let stores = sigbridge::TrustStores::load_dir(
        &root().join("fixtures/trust-stores"),
        &sigbridge::Limits::default(),
    )
    .unwrap();
    let verifier = sigbridge::Verifier::builder()
        .trust_stores(stores.clone())
        .build();
    let bytes = std::fs::read(root().join("fixtures/docs/hk-mr-personal.p7m")).unwrap();
    let report = verifier.verify(&bytes, None).unwrap();
    let cx = HtmlContext::new(
        "<script>alert(1)</script>.p7m",
        &bytes,
        Some(&stores),
        Lang::En,
    );
    let page = render(&report, &cx);
    assert!(!page.contains("<script>"));
    assert!(page.contains(&escape("<script>alert(1)</script>.p7m")));
    let doc = Html::parse_document(&page);
    assert!(doc.select(&sel("script")).next().is_none());
}
