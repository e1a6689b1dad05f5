//! Bounded XML for OFD: `roxmltree` (read-only tree) with DTDs refused and a node limit,
//! UTF-8 only, a byte-order mark skipped for parsing (the bytes hashed are always the
//! entry's raw bytes), and elements matched by local name in the OFD namespace or in none
//! (`ofd:` prefix or default namespace). An element that must be unique and appears twice
//! is an error, so that no two readers can pick different ones.

use roxmltree::{Document, Node, ParsingOptions};

use super::OfdError;
use crate::Limits;

/// The OFD namespaces: GB/T 33190-2016's, and the shorter one some producers write.
pub(super) const OFD_NS: [&str; 2] = ["http://www.ofdspec.org/2016", "http://www.ofdspec.org"];

/// The text of an XML file: size-checked, UTF-8, without a leading byte-order mark.
pub(super) fn text<'a>(bytes: &'a [u8], file: &str, limits: &Limits) -> Result<&'a str, OfdError> {
    if bytes.len() > limits.max_ofd_xml_size {
        return Err(OfdError::Limit {
            field: "max_ofd_xml_size",
            what: format!("{file}: XML size"),
            value: bytes.len() as u64,
            limit: limits.max_ofd_xml_size as u64,
        });
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|e| OfdError::Xml {
        file: file.to_owned(),
        detail: format!("not UTF-8 ({e})"),
    })
}

/// Parses `text` with DTDs refused and at most [`Limits::max_ofd_xml_nodes`] nodes.
pub(super) fn parse<'a>(
    text: &'a str,
    file: &str,
    limits: &Limits,
) -> Result<Document<'a>, OfdError> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_ofd_xml_nodes,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => OfdError::Limit {
            field: "max_ofd_xml_nodes",
            what: format!("{file}: XML nodes"),
            value: u64::from(limits.max_ofd_xml_nodes),
            limit: u64::from(limits.max_ofd_xml_nodes),
        },
        other => OfdError::Xml {
            file: file.to_owned(),
            detail: other.to_string(),
        },
    })
}

/// True for an element named `local` in the OFD namespace or in no namespace.
pub(super) fn is(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && node
            .tag_name()
            .namespace()
            .is_none_or(|ns| OFD_NS.contains(&ns))
}

/// The child elements named `local`.
pub(super) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| is(*c, local))
}

/// The child element named `local`, if any; two of them are an error.
pub(super) fn child<'a, 'i>(
    node: Node<'a, 'i>,
    local: &str,
    file: &str,
) -> Result<Option<Node<'a, 'i>>, OfdError> {
    let mut found = node.children().filter(|c| is(*c, local));
    let first = found.next();
    if first.is_some() && found.next().is_some() {
        return Err(OfdError::Structure {
            file: file.to_owned(),
            detail: format!("<{}> holds more than one <{local}>", node.tag_name().name()),
        });
    }
    Ok(first)
}

/// The child element named `local`, which must be there exactly once.
pub(super) fn required<'a, 'i>(
    node: Node<'a, 'i>,
    local: &str,
    file: &str,
) -> Result<Node<'a, 'i>, OfdError> {
    child(node, local, file)?.ok_or_else(|| OfdError::Structure {
        file: file.to_owned(),
        detail: format!("<{}> has no <{local}>", node.tag_name().name()),
    })
}

/// The root element, which must be named `local`.
pub(super) fn root<'a, 'i>(
    doc: &'a Document<'i>,
    local: &str,
    file: &str,
) -> Result<Node<'a, 'i>, OfdError> {
    let root = doc.root_element();
    if is(root, local) {
        Ok(root)
    } else {
        Err(OfdError::Structure {
            file: file.to_owned(),
            detail: format!(
                "the root element is <{}>, expected <{local}> in the OFD namespace",
                root.tag_name().name()
            ),
        })
    }
}

/// The element's text content (all text children), trimmed of XML white space.
pub(super) fn text_of(node: Node<'_, '_>) -> String {
    let mut out = String::new();
    for t in node.children().filter(Node::is_text) {
        out.push_str(t.text().unwrap_or_default());
    }
    out.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\r' | '\n'))
        .to_owned()
}

/// The text of the child element `local`, if present.
pub(super) fn child_text(
    node: Node<'_, '_>,
    local: &str,
    file: &str,
) -> Result<Option<String>, OfdError> {
    Ok(child(node, local, file)?.map(text_of))
}

/// An attribute by local name, in no namespace or the OFD one.
pub(super) fn attr(node: Node<'_, '_>, local: &str) -> Option<String> {
    node.attributes()
        .find(|a| a.name() == local && a.namespace().is_none_or(|ns| OFD_NS.contains(&ns)))
        .map(|a| a.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn prefix_and_default_namespace_both_match() {
        for src in [
            r#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody/></ofd:OFD>"#,
            r#"<OFD xmlns="http://www.ofdspec.org/2016"><DocBody/></OFD>"#,
            r#"<OFD><DocBody/></OFD>"#,
            r#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org"><ofd:DocBody/></ofd:OFD>"#,
        ] {
            let doc = parse(src, "OFD.xml", &limits()).unwrap();
            let r = root(&doc, "OFD", "OFD.xml").unwrap();
            assert!(required(r, "DocBody", "OFD.xml").is_ok(), "{src}");
        }
        let foreign = r#"<x:OFD xmlns:x="urn:other"><x:DocBody/></x:OFD>"#;
        let doc = parse(foreign, "OFD.xml", &limits()).unwrap();
        assert!(root(&doc, "OFD", "OFD.xml").is_err());
    }

    #[test]
    fn a_repeated_unique_element_is_an_error() {
        let src = r#"<Signature><SignedInfo/><SignedInfo/></Signature>"#;
        let doc = parse(src, "Signature.xml", &limits()).unwrap();
        let err = required(doc.root_element(), "SignedInfo", "Signature.xml").unwrap_err();
        assert!(
            err.to_string().contains("more than one <SignedInfo>"),
            "{err}"
        );
    }

    #[test]
    fn dtd_bom_size_and_node_limits() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><l>&b;</l>"#;
        assert!(matches!(
            parse(laughs, "x.xml", &limits()),
            Err(OfdError::Xml { .. })
        ));
        let bom = b"\xef\xbb\xbf<a/>";
        assert_eq!(text(bom, "x.xml", &limits()).unwrap(), "<a/>");
        let small = Limits {
            max_ofd_xml_size: 3,
            max_ofd_xml_nodes: 4,
            ..Limits::default()
        };
        let err = text(b"<abc/>", "x.xml", &small).unwrap_err();
        assert!(
            err.to_string().contains("Limits::max_ofd_xml_size"),
            "{err}"
        );
        let err = parse("<a><b/><b/><b/><b/></a>", "x.xml", &small).unwrap_err();
        assert!(
            err.to_string().contains("Limits::max_ofd_xml_nodes"),
            "{err}"
        );
        assert!(matches!(
            text(b"<a>\xff</a>", "x.xml", &limits()),
            Err(OfdError::Xml { .. })
        ));
    }

    #[test]
    fn text_is_trimmed_and_attributes_found() {
        let doc = parse(
            "<R xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:P ofd:A=\"1\" B=\"2\">\n  x y \n</ofd:P></R>",
            "x.xml",
            &limits(),
        )
        .unwrap();
        let p = required(doc.root_element(), "P", "x.xml").unwrap();
        assert_eq!(text_of(p), "x y");
        assert_eq!(attr(p, "A").as_deref(), Some("1"));
        assert_eq!(attr(p, "B").as_deref(), Some("2"));
        assert_eq!(attr(p, "C"), None);
    }
}
