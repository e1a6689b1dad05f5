//! Times as seals and signatures write them: ASN.1 GeneralizedTime and UTCTime, the text
//! inside a GM/T 0031 `timeInfo` BIT STRING, and `SignatureDateTime` in `Signature.xml`
//! (`20200723130907.763Z`, `2021-05-19 20:53:44`, `2020-01-25T07:31:56Z`, …).
//!
//! A time with no zone is taken as China Standard Time (UTC+8), which is how the OFD
//! producers that write it mean it; [`SesTime::zone_given`] says whether that assumption
//! was made.

use serde::Serialize;

use crate::asn1::UnixTime;

/// How a time was encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum TimeForm {
    /// ASN.1 GeneralizedTime.
    GeneralizedTime,
    /// ASN.1 UTCTime.
    UtcTime,
    /// Text inside an ASN.1 BIT STRING (GM/T 0031 `timeInfo`).
    BitString,
    /// Text in an XML element (`SignatureDateTime`).
    Xml,
}

/// A time as written, and its value when it could be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SesTime {
    /// The text as written.
    pub text: String,
    /// The encoding.
    pub form: TimeForm,
    /// Seconds since the Unix epoch, when the text is a time this module reads.
    pub unix: Option<UnixTime>,
    /// False when the text named no zone and UTC+8 was assumed.
    pub zone_given: bool,
}

const CHINA_OFFSET: i64 = 8 * 3600;

impl SesTime {
    /// Reads `text` in the given form.
    pub(super) fn new(text: String, form: TimeForm) -> SesTime {
        let parsed = match form {
            TimeForm::UtcTime => utc_time(&text).map(|t| (t, true)),
            TimeForm::GeneralizedTime | TimeForm::BitString | TimeForm::Xml => loose(&text),
        };
        SesTime {
            unix: parsed.map(|(t, _)| t),
            zone_given: parsed.is_none_or(|(_, z)| z),
            text,
            form,
        }
    }
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn civil(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Option<UnixTime> {
    let month = time::Month::try_from(u8::try_from(mo).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    let t = time::Time::from_hms(
        u8::try_from(h).ok()?,
        u8::try_from(mi).ok()?,
        u8::try_from(s).ok()?,
    )
    .ok()?;
    Some(
        time::PrimitiveDateTime::new(date, t)
            .assume_utc()
            .unix_timestamp(),
    )
}

/// `YYMMDDHHMMSSZ` (RFC 5280 window: 50–99 → 19xx).
fn utc_time(text: &str) -> Option<UnixTime> {
    let body = text.strip_suffix('Z')?;
    if body.len() != 12 {
        return None;
    }
    let f = |r: std::ops::Range<usize>| body.get(r).and_then(digits);
    let yy = f(0..2)?;
    let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    civil(year, f(2..4)?, f(4..6)?, f(6..8)?, f(8..10)?, f(10..12)?)
}

/// Splits a zone suffix: `Z`, `+hh:mm`, `+hhmm`, `-hh:mm`, `-hhmm`; returns (rest, offset
/// in seconds, zone given).
fn zone(text: &str) -> Option<(&str, i64, bool)> {
    if let Some(rest) = text.strip_suffix('Z') {
        return Some((rest, 0, true));
    }
    for len in [6usize, 5] {
        let Some(split) = text.len().checked_sub(len) else {
            continue;
        };
        let (rest, z) = (text.get(..split)?, text.get(split..)?);
        let sign = match z.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => continue,
        };
        // Only after a time of day, so that a date's own '-' is not taken for a zone.
        if !rest.contains(':') && rest.len() < 14 {
            continue;
        }
        let z = z.get(1..)?.replace(':', "");
        if z.len() != 4 {
            continue;
        }
        let (h, m) = (digits(z.get(..2)?)?, digits(z.get(2..)?)?);
        return Some((rest, sign * (h * 3600 + m * 60), true));
    }
    Some((text, CHINA_OFFSET, false))
}

/// GeneralizedTime and the XML forms; returns (time, zone given).
fn loose(text: &str) -> Option<(UnixTime, bool)> {
    let (body, offset, given) = zone(text.trim())?;
    // Drop a fraction of a second.
    let body = match body.rfind('.') {
        Some(dot) if body.get(dot + 1..).is_some_and(|f| digits(f).is_some()) => body.get(..dot)?,
        _ => body,
    };
    let compact: String = body
        .chars()
        .filter(|c| !matches!(c, '-' | ':' | ' ' | 'T'))
        .collect();
    let separators_ok = body.len() == compact.len()
        || (body.len() == 19 && matches!(body.as_bytes().get(10), Some(b' ' | b'T')));
    if compact.len() != 14 || !separators_ok {
        return None;
    }
    let f = |r: std::ops::Range<usize>| compact.get(r).and_then(digits);
    let t = civil(
        f(0..4)?,
        f(4..6)?,
        f(6..8)?,
        f(8..10)?,
        f(10..12)?,
        f(12..14)?,
    )?;
    Some((t - offset, given))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(text: &str, form: TimeForm) -> Option<i64> {
        SesTime::new(text.into(), form).unix
    }

    #[test]
    fn the_forms_seen_in_seals_and_signatures() {
        // 2020-07-23T13:09:07Z = 1595509747
        assert_eq!(
            unix("20200723130907Z", TimeForm::GeneralizedTime),
            Some(1595509747)
        );
        assert_eq!(unix("20200723130907.763Z", TimeForm::Xml), Some(1595509747));
        assert_eq!(unix("200723130907Z", TimeForm::UtcTime), Some(1595509747));
        assert_eq!(
            unix("2020-07-23T13:09:07.377Z", TimeForm::BitString),
            Some(1595509747)
        );
        assert_eq!(
            unix("2020-07-23T21:09:07+08:00", TimeForm::Xml),
            Some(1595509747)
        );
        // No zone: China Standard Time.
        let t = SesTime::new("2020-07-23 21:09:07".into(), TimeForm::Xml);
        assert_eq!((t.unix, t.zone_given), (Some(1595509747), false));
        // 1999 under the UTCTime window.
        assert_eq!(unix("990101000000Z", TimeForm::UtcTime), Some(915148800));
    }

    #[test]
    fn garbage_is_no_time() {
        for bad in [
            "",
            "2020",
            "20201323000000Z",
            "2020-07-23 25:00:00",
            "２０２０0723130907Z",
            "2020/07/23 13:09:07",
        ] {
            assert_eq!(unix(bad, TimeForm::Xml), None, "{bad}");
        }
        assert_eq!(unix("20200723130907Z", TimeForm::UtcTime), None);
    }
}
