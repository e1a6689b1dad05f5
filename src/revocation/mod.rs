//! Revocation: RFC 5280 §6.3 CRL processing. TEMPORARY STUB so the crate compiles while the
//! real module is written (helper-4 owns this file and replaces it wholesale).
#![allow(missing_docs, unused_variables)]
use crate::crypto::{AlgorithmPolicy, Weakness};
use crate::parse::{Certificate, Crl, UnixTime};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RevocationMode { Require, Prefer, Off }

pub trait CrlSignerResolver {
    fn crl_signers(&mut self, crl: &Crl, cert_issuer: &Certificate) -> Vec<Arc<Certificate>>;
}

pub struct RevocationContext<'a> {
    pub time: UnixTime,
    pub crls: &'a [Arc<Crl>],
    pub algorithms: &'a AlgorithmPolicy,
    pub max_crls: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum CertStatus {
    Good { crls: Vec<String> },
    Revoked { reason: Option<u8>, reason_name: &'static str, revocation_date: UnixTime, crl: String },
    Undetermined { reasons: Vec<String> },
}

pub struct RevocationOutcome { pub status: CertStatus, pub weaknesses: Vec<Weakness> }

pub fn check_certificate(cert: &Certificate, cert_issuer: &Certificate, ctx: &RevocationContext<'_>, resolver: &mut dyn CrlSignerResolver) -> RevocationOutcome {
    RevocationOutcome { status: CertStatus::Undetermined { reasons: vec!["stub".into()] }, weaknesses: vec![] }
}
