//! Time: the crate's one time type ([`UnixTime`]), RFC 3339 text for people and JSON, and
//! the ASN.1 UTCTime / GeneralizedTime decoding every signed structure uses.

use super::{Tlv, TAG_GENERALIZED_TIME, TAG_UTC_TIME};

/// Seconds since the Unix epoch (negative before 1970), the crate's one time type.
pub type UnixTime = i64;

/// Renders a [`UnixTime`] as RFC 3339 UTC text.
pub fn format_time(t: UnixTime) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("@{t}"))
}

/// Parses RFC 3339 text into a [`UnixTime`].
pub fn parse_time(text: &str) -> Option<UnixTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|d| d.unix_timestamp())
}

/// The current time.
pub fn now() -> UnixTime {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// UTCTime or GeneralizedTime → seconds since the epoch. Accepts the RFC 5280-style forms
/// (`YYMMDDHHMMSSZ`, `YYYYMMDDHHMMSSZ`, with an optional fraction in GeneralizedTime).
pub fn decode_time(tlv: &Tlv<'_>) -> Result<UnixTime, String> {
    let text = std::str::from_utf8(tlv.content).map_err(|_| "time is not ASCII".to_owned())?;
    let body = text
        .strip_suffix('Z')
        .ok_or_else(|| format!("time {text:?} is not in UTC (no trailing Z)"))?;
    let (year, rest) = match tlv.tag {
        TAG_UTC_TIME => {
            let yy: i32 = digits(body.get(..2))?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, body.get(2..))
        }
        TAG_GENERALIZED_TIME => (digits(body.get(..4))?, body.get(4..)),
        other => {
            return Err(format!(
                "tag 0x{other:02x} is not UTCTime or GeneralizedTime"
            ))
        }
    };
    let rest = rest.unwrap_or_default();
    let (main, fraction) = match rest.split_once('.') {
        Some((m, f)) if tlv.tag == TAG_GENERALIZED_TIME => (m, Some(f)),
        Some(_) => return Err("fractional seconds in UTCTime".to_owned()),
        None => (rest, None),
    };
    if main.len() != 10
        || fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "time {text:?} is not YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ"
        ));
    }
    let month: u8 = digits(main.get(0..2))?;
    let day: u8 = digits(main.get(2..4))?;
    let hour: u8 = digits(main.get(4..6))?;
    let minute: u8 = digits(main.get(6..8))?;
    let second: u8 = digits(main.get(8..10))?;
    let month = time::Month::try_from(month).map_err(|e| format!("time {text:?}: {e}"))?;
    let date = time::Date::from_calendar_date(year, month, day)
        .map_err(|e| format!("time {text:?}: {e}"))?;
    let clock =
        time::Time::from_hms(hour, minute, second).map_err(|e| format!("time {text:?}: {e}"))?;
    Ok(time::PrimitiveDateTime::new(date, clock)
        .assume_utc()
        .unix_timestamp())
}

fn digits<T: std::str::FromStr>(s: Option<&str>) -> Result<T, String> {
    let s = s.ok_or_else(|| "time too short".to_owned())?;
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{s:?} is not decimal digits"));
    }
    s.parse().map_err(|_| format!("{s:?} is not a number"))
}

/// A validation time that remembers every comparison made against it, so that a result
/// computed at this time can be reused at any other time in [`Moment::window`]: the interval
/// over which every comparison would have come out the same. Caches keyed without the time
/// store the window with the result and check the next call's time against it.
#[derive(Debug)]
pub struct Moment {
    time: UnixTime,
    window: std::cell::Cell<(UnixTime, UnixTime)>,
}

impl Moment {
    /// A moment at `time`, with nothing compared yet (its window is every time).
    pub fn new(time: UnixTime) -> Moment {
        Moment {
            time,
            window: std::cell::Cell::new((UnixTime::MIN, UnixTime::MAX)),
        }
    }

    /// The time itself.
    pub fn time(&self) -> UnixTime {
        self.time
    }

    /// `time < x`, recorded.
    pub fn is_before(&self, x: UnixTime) -> bool {
        let (from, until) = self.window.get();
        let r = self.time < x;
        self.window.set(if r {
            (from, until.min(x.saturating_sub(1)))
        } else {
            (from.max(x), until)
        });
        r
    }

    /// `time > x`, recorded.
    pub fn is_after(&self, x: UnixTime) -> bool {
        let (from, until) = self.window.get();
        let r = self.time > x;
        self.window.set(if r {
            (from.max(x.saturating_add(1)), until)
        } else {
            (from, until.min(x))
        });
        r
    }

    /// `x <= time <= y`, recorded (both comparisons, as a validity period needs).
    pub fn is_within(&self, x: UnixTime, y: UnixTime) -> bool {
        let early = self.is_before(x);
        let late = self.is_after(y);
        !early && !late
    }

    /// The closed interval `[from, until]` of times at which every comparison recorded so far
    /// gives the same answer as at [`Moment::time`].
    pub fn window(&self) -> (UnixTime, UnixTime) {
        self.window.get()
    }

    /// Narrows this moment's window by another's (a result that depends on both holds only
    /// where both windows do).
    pub fn narrow(&self, window: (UnixTime, UnixTime)) {
        let (from, until) = self.window.get();
        self.window.set((from.max(window.0), until.min(window.1)));
    }
}

#[cfg(test)]
mod tests {
    use super::Moment;

    #[test]
    fn the_window_holds_every_time_that_compares_alike() {
        let m = Moment::new(100);
        assert!(m.is_within(50, 200));
        assert_eq!(m.window(), (50, 200));
        assert!(m.is_before(150));
        assert_eq!(m.window(), (50, 149));
        assert!(!m.is_after(120));
        assert_eq!(m.window(), (50, 120));
        assert!(!m.is_before(60));
        assert_eq!(m.window(), (60, 120));
        // Every time in the window answers every recorded comparison the same way.
        for t in [60, 100, 120] {
            let n = Moment::new(t);
            assert!(n.is_within(50, 200) && n.is_before(150) && !n.is_after(120));
            assert!(!n.is_before(60));
        }
        for t in [59, 121] {
            let n = Moment::new(t);
            let same =
                n.is_within(50, 200) && n.is_before(150) && !n.is_after(120) && !n.is_before(60);
            assert!(!same, "{t} is outside the window and compares differently");
        }
        let late = Moment::new(300);
        assert!(!late.is_within(50, 200));
        assert_eq!(late.window(), (201, i64::MAX));
        late.narrow((0, 400));
        assert_eq!(late.window(), (201, 400));
    }
}
