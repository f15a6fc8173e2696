//! Typed condition values: decimals, dates, IP ranges, booleans and base64.
//!
//! Request-side parsers borrow from the request and allocate nothing; policy-side
//! values are parsed once at load time.

use std::cmp::Ordering;
use std::net::IpAddr;

/// An exact decimal `-?digits(.digits)?`, compared without rounding (`1.10 < 1.2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal<'a> {
    negative: bool,
    /// Integer digits without leading zeros.
    int: &'a str,
    /// Fraction digits without trailing zeros.
    frac: &'a str,
}

impl<'a> Decimal<'a> {
    /// Exponents, `+`, hex and surrounding spaces are rejected (spec §3.4).
    pub fn parse(text: &'a str) -> Option<Decimal<'a>> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, text),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || (body.contains('.') && frac.is_empty()) {
            return None;
        }
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Some(Decimal { negative, int, frac })
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(other.int))
            .then_with(|| self.frac.cmp(other.frac))
    }
}

impl Ord for Decimal<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// An instant, in nanoseconds since the Unix epoch.
pub type Instant = i128;

const NANOS: i128 = 1_000_000_000;

/// Parses an IAM date: epoch seconds (digits only), or the W3C ISO 8601 profile
/// `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s]]TZD`. A missing time means
/// midnight and a missing zone means UTC (spec §3.5 leaves both unverified).
pub fn parse_date(text: &str) -> Option<Instant> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok().map(|s| s as i128 * NANOS);
    }
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let s = b.get(from..from + len)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    let year = num(0, 4)?;
    if b.get(4) != Some(&b'-') {
        return None;
    }
    let month = num(5, 2)?;
    let mut pos = 7;
    let mut day = 1;
    if b.get(pos) == Some(&b'-') {
        day = num(8, 2)?;
        pos = 10;
    } else if pos != b.len() {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = 0i64;
    let mut nanos = 0i128;
    let mut offset = 0i64;
    if pos < b.len() {
        if b[pos] != b'T' {
            return None;
        }
        let hour = num(pos + 1, 2)?;
        if b.get(pos + 3) != Some(&b':') {
            return None;
        }
        let minute = num(pos + 4, 2)?;
        pos += 6;
        let mut second = 0;
        if b.get(pos) == Some(&b':') {
            second = num(pos + 1, 2)?;
            pos += 3;
            if b.get(pos) == Some(&b'.') {
                pos += 1;
                let start = pos;
                while b.get(pos).is_some_and(u8::is_ascii_digit) {
                    pos += 1;
                }
                let digits = &text[start..pos];
                if digits.is_empty() {
                    return None;
                }
                let mut scaled = 0i128;
                for (i, d) in digits.bytes().take(9).enumerate() {
                    scaled += (d - b'0') as i128 * 10i128.pow(8 - i as u32);
                }
                nanos = scaled;
            }
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        seconds = hour * 3600 + minute * 60 + second;
        match b.get(pos) {
            None => {}
            Some(b'Z') if pos + 1 == b.len() => {}
            Some(sign @ (b'+' | b'-')) => {
                let oh = num(pos + 1, 2)?;
                if b.get(pos + 3) != Some(&b':') || pos + 6 != b.len() {
                    return None;
                }
                let om = num(pos + 4, 2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                offset = (oh * 3600 + om * 60) * if *sign == b'+' { 1 } else { -1 };
            }
            _ => return None,
        }
    }
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 + seconds - offset) as i128 * NANOS + nanos)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses a policy's IP range. A bare address is a /32 or /128. Returns the
/// network and whether host bits had to be cleared (`203.0.113.7/24`).
pub fn parse_cidr(text: &str) -> Option<(ipnet::IpNet, bool)> {
    if let Ok(net) = text.parse::<ipnet::IpNet>() {
        let masked = net.trunc();
        return Some((masked, masked != net));
    }
    text.parse::<IpAddr>().ok().map(|a| (ipnet::IpNet::from(a), false))
}

/// Parses a request's IP address.
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    text.parse().ok()
}

/// `true`/`false`, ignoring case (iam-simulate accepts `"True"`; spec §3.6 leaves it open).
pub fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn base64_digit(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some((c - b'A') as u32),
        b'a'..=b'z' => Some((c - b'a' + 26) as u32),
        b'0'..=b'9' => Some((c - b'0' + 52) as u32),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes standard base64 (padding optional), feeding each byte to `sink`.
/// Returns false on malformed input.
pub fn base64_decode_each(text: &str, mut sink: impl FnMut(u8) -> bool) -> bool {
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || body.len() % 4 == 1 {
        return false;
    }
    if text.len() != body.len() && text.len() % 4 != 0 {
        return false;
    }
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in body.as_bytes() {
        let Some(d) = base64_digit(c) else {
            return false;
        };
        acc = (acc << 6) | d;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if !sink((acc >> bits) as u8) {
                return false;
            }
            acc &= (1 << bits) - 1;
        }
    }
    true
}

pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    base64_decode_each(text, |b| {
        out.push(b);
        true
    })
    .then_some(out)
}

/// Does base64 `text` decode to exactly `expected`? Allocates nothing.
pub fn base64_equals(text: &str, expected: &[u8]) -> bool {
    let mut i = 0;
    let ok = base64_decode_each(text, |b| {
        let same = expected.get(i) == Some(&b);
        i += 1;
        same
    });
    ok && i == expected.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal<'_> {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn decimals_compare_exactly() {
        assert!(d("1.10") < d("1.2"));
        assert_eq!(d("10").cmp(&d("10.000")), Ordering::Equal);
        assert_eq!(d("-0").cmp(&d("0")), Ordering::Equal);
        assert!(d("-3") < d("-2.5"));
        assert!(d("9007199254740993") > d("9007199254740992"));
        for bad in ["", "1e3", "+1", "0x10", " 1", "1.", ".5", "-"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates_normalise_epoch_and_iso() {
        let iso = parse_date("2020-01-01T00:00:00Z").unwrap();
        assert_eq!(parse_date("1577836800"), Some(iso));
        assert_eq!(parse_date("2020-01-01"), Some(iso));
        assert_eq!(parse_date("2020-01-01T02:00:00+02:00"), Some(iso));
        assert_eq!(parse_date("2020-01-01T00:00Z"), Some(iso));
        assert_eq!(parse_date("2020-01-01T00:00:00.5Z"), Some(iso + 500_000_000));
        assert_eq!(parse_date("2020-01"), Some(iso));
        assert_eq!(parse_date("2024"), Some(2024 * NANOS));
        for bad in [
            "2020-13-01",
            "2021-02-29",
            "2020-01-01T24:00Z",
            "yesterday",
            "2020-01-01 00:00",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn cidrs_and_base64() {
        assert_eq!(parse_cidr("203.0.113.5").unwrap().0.to_string(), "203.0.113.5/32");
        assert!(parse_cidr("203.0.113.7/24").unwrap().1);
        assert!(parse_cidr("nope").is_none());
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert!(base64_equals("aGVsbG8", b"hello"));
        assert!(!base64_equals("aGVsbG8=", b"hell"));
        assert!(base64_decode("a$==").is_none());
    }
}
