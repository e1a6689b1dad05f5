//! authorityInfoAccess (RFC 5280 §4.2.2.1) of a certificate, for people: where its issuer's
//! certificate and OCSP responder are published. Read from the certificate's DER when asked
//! (path validation does not need it).

use super::Certificate;
use crate::asn1::Oid;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};

/// One access description: the method (`id-ad-caIssuers`, `id-ad-ocsp`, …) and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessDescription {
    /// accessMethod.
    pub method: Oid,
    /// accessLocation, as text (a URI, a directory name, …).
    pub location: String,
}

/// The certificate's authorityInfoAccess entries (empty when it has none or it does not
/// decode).
pub fn authority_info_access(cert: &Certificate) -> Vec<AccessDescription> {
    let Ok((_, x)) = X509Certificate::from_der(&cert.der) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ext in x.extensions() {
        if let ParsedExtension::AuthorityInfoAccess(aia) = ext.parsed_extension() {
            for d in &aia.accessdescs {
                let Some(method) = Oid::from_der_content(d.access_method.as_bytes()) else {
                    continue;
                };
                out.push(AccessDescription {
                    method,
                    location: location(&d.access_location),
                });
            }
        }
    }
    out
}

fn location(g: &GeneralName<'_>) -> String {
    match g {
        GeneralName::URI(u) => (*u).to_string(),
        GeneralName::DNSName(d) => format!("DNS:{d}"),
        GeneralName::RFC822Name(m) => format!("email:{m}"),
        GeneralName::DirectoryName(n) => n.to_string(),
        _ => "(a name form sigbridge does not show)".to_string(),
    }
}
