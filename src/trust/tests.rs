use super::*;

#[test]
fn sha256_with_and_without_colons() {
    let plain = "3945e08a8d4a0554b7605a7b355b10188e3ef842c76a805c54e3657c4d041aaa";
    let colons = "39:45:E0:8A:8D:4A:05:54:B7:60:5A:7B:35:5B:10:18:8E:3E:F8:42:C7:6A:80:5C:54:E3:65:7C:4D:04:1A:AA";
    assert_eq!(parse_sha256(plain), parse_sha256(colons));
    let v = parse_sha256(plain).expect("valid");
    assert_eq!(format_sha256(&v), colons);
    assert!(parse_sha256("3945").is_none());
    assert!(parse_sha256(&plain.replace('3', "g")).is_none());
}

#[test]
fn attribute_names() {
    assert_eq!(
        attribute_type_oid("O").map(|o| o.to_string()).as_deref(),
        Some("2.5.4.10")
    );
    assert_eq!(
        attribute_type_oid("ou").map(|o| o.to_string()).as_deref(),
        Some("2.5.4.11")
    );
    assert_eq!(
        attribute_type_oid("CN").map(|o| o.to_string()).as_deref(),
        Some("2.5.4.3")
    );
    assert_eq!(
        attribute_type_oid("2.5.4.97")
            .map(|o| o.to_string())
            .as_deref(),
        Some("2.5.4.97")
    );
    assert!(attribute_type_oid("Organisation").is_none());
}

#[test]
fn jurisdiction_basics() {
    assert_eq!(Jurisdiction::Hk.other(), Jurisdiction::Gd);
    assert_eq!(Jurisdiction::Gd.other(), Jurisdiction::Hk);
    assert_eq!(Jurisdiction::Hk.to_string(), "HK");
    assert_eq!(
        serde_json::to_string(&Jurisdiction::Gd).expect("json"),
        "\"GD\""
    );
}

#[test]
fn window_bounds() {
    let w = MrWindow {
        from: 10,
        until: Some(20),
    };
    assert!(!w.contains(9));
    assert!(w.contains(10));
    assert!(w.contains(19));
    assert!(!w.contains(20));
    let open = MrWindow {
        from: 10,
        until: None,
    };
    assert!(open.contains(i64::MAX));
}

#[test]
fn bundled_lists_load() {
    let s = TrustStores::bundled().expect("bundled lists load");
    assert_eq!(s.hk.jurisdiction, Jurisdiction::Hk);
    assert_eq!(s.gd.jurisdiction, Jurisdiction::Gd);
    assert_eq!(s.hk.origin, "bundled");
    assert_eq!(s.hk.completeness, Completeness::Partial);
    assert_eq!(s.gd.completeness, Completeness::Partial);
    assert_eq!(s.anchors().count(), 3);
    let mr = s.hk.mutual_recognition.first().expect("HK MR entry");
    assert_eq!(mr.certificate_type, "Hongkong Post e-Cert (Personal)");
    assert_eq!(mr.policy_oid_prefix.to_string(), "2.16.344.8.2.2008.810.2");
    // 2015-07-11T00:00:00+08:00
    assert_eq!(mr.window.from, 1_436_544_000);
    assert_eq!(mr.window.until, None);
}

fn parse(text: &str) -> Result<TrustList, TrustError> {
    load::parse_list(
        text,
        "t/hk/trust-list.json",
        Jurisdiction::Hk,
        &|rel: &str| Err(format!("{rel}: no files in this test")),
        &Limits::default(),
    )
}

#[test]
fn unknown_fields_are_allowed_and_policy_versions_optional() {
    let text = r#"{"format":"sigbridge-trust-list/1","jurisdiction":"HK","operator":"o",
      "source":"s","retrieved":"r","completeness":"official","extra":{"x":1},
      "anchors":[{"name":"A","certificate":null,"sha256":"00000000000000000000000000000000000000000000000000000000000000aa","more":true}],
      "mutual_recognition":[{"ca":"c","certificate_type":"T","type_attribute":"OU",
        "roots":[{"name":"A","sha256":"00000000000000000000000000000000000000000000000000000000000000AA"}],
        "issuers":[{"name":"I","sha256":"00000000000000000000000000000000000000000000000000000000000000bb"}],
        "policy_oid_prefix":"1.2.3","window":{"from":"2020-01-01T00:00:00Z","until":"2021-01-01T00:00:00Z"},
        "source":"s","new_field":[]}]}"#;
    let l = parse(text).expect("loads");
    assert_eq!(l.completeness, Completeness::Official);
    let e = l.mutual_recognition.first().expect("entry");
    assert!(e.policy_versions.is_empty());
    assert_eq!(e.type_attribute_oid.to_string(), "2.5.4.11");
    assert_eq!(e.window.until, Some(1_609_459_200));
}
