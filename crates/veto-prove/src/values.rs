//! The finite theories of typed values: numbers, dates, IP addresses. For each,
//! the constants a policy names cut the line into intervals; one value per
//! interval and one per constant cover every way the conditions can come out.

use std::net::IpAddr;
use veto_iam::values::Decimal;

/// Decimal candidates around the constants: each constant, and one value in every
/// gap between, below and above them. Exact text arithmetic, so no constant is too
/// large or too fine (the evaluator compares decimals exactly too).
pub fn numeric_candidates(constants: &[&str]) -> Vec<String> {
    let mut parsed: Vec<(Decimal, &str)> = constants
        .iter()
        .filter_map(|c| Some((Decimal::parse(c)?, *c)))
        .collect();
    parsed.sort_by(|a, b| a.0.cmp(&b.0));
    parsed.dedup_by(|a, b| a.0 == b.0);
    // Wider than any constant's integer part, finer than any fraction.
    let int_digits = parsed
        .iter()
        .map(|(_, t)| t.trim_start_matches('-').split('.').next().unwrap_or("").len())
        .max()
        .unwrap_or(1);
    let scale = parsed
        .iter()
        .map(|(_, t)| t.split_once('.').map_or(0, |(_, f)| f.len()))
        .max()
        .unwrap_or(0)
        + 1;
    let big = format!("1{}", "0".repeat(int_digits));
    let mut out: Vec<String> = vec![format!("-{big}"), big];
    // `t` plus (or, for a negative `t`, minus) one unit of the finer scale: the
    // result's magnitude grows, so it lies beside `t` away from zero.
    let nudge = |t: &str| {
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        format!("{int}.{frac}{}1", "0".repeat(scale - 1 - frac.len()))
    };
    for (i, (value, text)) in parsed.iter().enumerate() {
        out.push(text.to_string());
        let Some((next, next_text)) = parsed.get(i + 1) else {
            continue;
        };
        let zero = Decimal::parse("0").expect("0 parses");
        // A value strictly between this constant and the next.
        out.push(if *value >= zero {
            nudge(text.trim_start_matches('-'))
        } else if *next <= zero {
            nudge(next_text)
        } else {
            "0".to_string()
        });
    }
    if parsed.is_empty() {
        out.push("1".into());
    }
    out
}

const NANOS: i128 = 1_000_000_000;

/// Instants (whole seconds) at, just before and just after each constant.
pub fn instant_candidates(constants: &[i128]) -> Vec<i128> {
    let mut out: Vec<i128> = Vec::new();
    for &c in constants {
        let s = c.div_euclid(NANOS);
        out.extend([s - 1, s, s + 1]);
    }
    if out.is_empty() {
        // 2026-01-01T00:00:00Z: a present-day instant when no condition cares.
        out.push(1_767_225_600);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The first instant (seconds) whose `YYYY-MM-DDThh:mm:ssZ` text starts with
/// `prefix`, and the first after them: ISO text of years 0000–9999 sorts as time
/// does, so the instants a prefix matches are one interval, found by bisection.
pub fn iso_prefix_bounds(prefix: &str) -> Vec<i128> {
    const FIRST: i128 = -62_167_219_200; // 0000-01-01T00:00:00Z
    const LAST: i128 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let cmp = |t: i128| {
        let s = iso(t);
        let n = prefix.len().min(s.len());
        s.as_bytes()[..n]
            .cmp(&prefix.as_bytes()[..n])
            .then(if prefix.len() > s.len() {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Equal
            })
    };
    // The first t in [FIRST, LAST + 1] with pred(t), for a monotone pred.
    let first = |pred: &dyn Fn(i128) -> bool| {
        let (mut lo, mut hi) = (FIRST, LAST + 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    };
    let start = first(&|t| cmp(t) != std::cmp::Ordering::Less);
    let end = first(&|t| cmp(t) == std::cmp::Ordering::Greater);
    vec![start, end]
}

/// The bounds of the numbers whose decimal text starts with `prefix`: for each
/// length, `p·10^k` and `(p+1)·10^k` (up to 13 digits, past year 9999 in seconds).
pub fn decimal_prefix_bounds(prefix: &str) -> Vec<i128> {
    let Ok(p) = prefix.parse::<i128>() else {
        return Vec::new();
    };
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for k in 0..=13usize.saturating_sub(prefix.len()) as u32 {
        let unit = 10i128.pow(k);
        out.extend([p * unit, (p + 1) * unit]);
    }
    out
}

/// `YYYY-MM-DDThh:mm:ssZ` for epoch seconds.
pub fn iso(seconds: i128) -> String {
    let days = seconds.div_euclid(86_400) as i64;
    let secs = seconds.rem_euclid(86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// H. Hinnant's algorithm: days since 1970-01-01 to a civil date.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Addresses at and beside every range's ends, plus one of each family.
pub fn ip_candidates(nets: &[ipnet::IpNet]) -> Vec<String> {
    let mut out: Vec<IpAddr> = vec![
        "203.0.113.1".parse().unwrap_or(IpAddr::from([203, 0, 113, 1])),
        IpAddr::from([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]),
    ];
    for net in nets {
        match net {
            ipnet::IpNet::V4(n) => {
                let lo = u32::from(n.network());
                let hi = u32::from(n.broadcast());
                for v in [lo.checked_sub(1), Some(lo), Some(hi), hi.checked_add(1)]
                    .into_iter()
                    .flatten()
                {
                    out.push(IpAddr::from(std::net::Ipv4Addr::from(v)));
                }
            }
            ipnet::IpNet::V6(n) => {
                let lo = u128::from(n.network());
                let hi = u128::from(n.broadcast());
                for v in [lo.checked_sub(1), Some(lo), Some(hi), hi.checked_add(1)]
                    .into_iter()
                    .flatten()
                {
                    out.push(IpAddr::from(std::net::Ipv6Addr::from(v)));
                }
            }
        }
    }
    let mut seen = Vec::new();
    out.retain(|a| {
        let keep = !seen.contains(a);
        seen.push(*a);
        keep
    });
    out.into_iter().map(|a| a.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_candidates_cover_every_gap() {
        // One value per constant and per open interval, checked by the evaluator's order.
        for constants in [
            vec!["1.2"],
            vec!["1", "2"],
            vec!["-3", "-1.5", "2", "1000000000000000000000000000000000000000000"],
            vec![
                "0.0000000000000000000000000000000000000001",
                "0.0000000000000000000000000000000000000002",
            ],
        ] {
            let c = numeric_candidates(&constants);
            let mut points: Vec<Decimal> = constants.iter().map(|t| Decimal::parse(t).unwrap()).collect();
            points.sort();
            let values: Vec<Decimal> = c.iter().map(|t| Decimal::parse(t).unwrap()).collect();
            for p in &points {
                assert!(values.contains(p), "{constants:?}");
            }
            assert!(values.iter().any(|v| v < &points[0]));
            assert!(values.iter().any(|v| v > points.last().unwrap()));
            for w in points.windows(2) {
                assert!(
                    values.iter().any(|v| *v > w[0] && *v < w[1]),
                    "{constants:?}: nothing between"
                );
            }
        }
    }

    #[test]
    fn time_prefixes_bound_intervals() {
        assert_eq!(iso_prefix_bounds("2030-"), vec![1_893_456_000, 1_924_992_000]);
        assert_eq!(
            iso_prefix_bounds("2030-01-01T00:00:00Z"),
            vec![1_893_456_000, 1_893_456_001]
        );
        assert!(decimal_prefix_bounds("1893456000").contains(&1_893_456_000));
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso(1_577_836_800), "2020-01-01T00:00:00Z");
        assert_eq!(iso(1_577_836_799), "2019-12-31T23:59:59Z");
    }
}
