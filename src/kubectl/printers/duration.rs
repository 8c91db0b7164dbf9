//! Durations as kubectl prints them (apimachinery pkg/util/duration: HumanDuration,
//! ShortHumanDuration) and the AGE of an object (printers.go translateTimestampSince).

use jiff::{SignedDuration, Timestamp};

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const YEAR: i64 = 365 * DAY;

/// HumanDuration: a concise duration with a second unit where it matters: 0s..119s, 2m1s..9m59s,
/// 10m..179m, 3h..7h59m, 8h..47h, 2d..7d23h, 8d..729d, 2y..7y364d, then years. Below -1s it is
/// `<invalid>`; slightly negative durations (clock skew) print as `0s`.
pub fn human_duration(d: SignedDuration) -> String {
    let seconds = d.as_secs();
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 2 * MINUTE {
        return format!("{seconds}s");
    }
    let minutes = seconds / MINUTE;
    if minutes < 10 {
        return with_remainder(minutes, "m", seconds % MINUTE, "s");
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / HOUR;
    if hours < 8 {
        return with_remainder(hours, "h", minutes % 60, "m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return with_remainder(hours / 24, "d", hours % 24, "h");
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        return with_remainder(hours / 24 / 365, "y", (hours / 24) % 365, "d");
    }
    format!("{}y", seconds / YEAR)
}

/// "3m" when the remainder is zero, else "3m10s".
fn with_remainder(major: i64, major_unit: &str, minor: i64, minor_unit: &str) -> String {
    if minor == 0 {
        format!("{major}{major_unit}")
    } else {
        format!("{major}{major_unit}{minor}{minor_unit}")
    }
}

/// ShortHumanDuration: a single unit — seconds below a minute, then minutes, hours, days, years.
pub fn short_human_duration(d: SignedDuration) -> String {
    let seconds = d.as_secs();
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < MINUTE {
        return format!("{seconds}s");
    }
    if seconds < HOUR {
        return format!("{}m", seconds / MINUTE);
    }
    let hours = seconds / HOUR;
    if hours < 24 {
        return format!("{hours}h");
    }
    if hours < 24 * 365 {
        return format!("{}d", hours / 24);
    }
    format!("{}y", seconds / YEAR)
}

/// Parses an API timestamp (RFC 3339, as metav1.Time and MicroTime serialize).
pub fn parse_time(s: &str) -> Option<Timestamp> {
    s.parse().ok()
}

/// translateTimestampSince: the HumanDuration since `timestamp`, or `<unknown>` when it is unset.
pub fn translate_timestamp_since(timestamp: Option<&str>, now: Timestamp) -> String {
    match timestamp.and_then(parse_time) {
        Some(t) => human_duration(now.duration_since(t)),
        None => "<unknown>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: i64) -> SignedDuration {
        SignedDuration::from_millis(n)
    }
    fn secs(n: i64) -> SignedDuration {
        SignedDuration::from_secs(n)
    }

    #[test]
    fn human_duration_examples_from_duration_test_go() {
        let cases = [
            (secs(1), "1s"),
            (secs(70), "70s"),
            (secs(190), "3m10s"),
            (secs(70 * MINUTE), "70m"),
            (secs(47 * HOUR), "47h"),
            (secs(49 * HOUR), "2d1h"),
            (secs((8 * 24 + 2) * HOUR), "8d"),
            (secs(367 * DAY), "367d"),
            (secs(2 * YEAR + 25 * HOUR), "2y1d"),
            (secs(8 * YEAR + 2 * HOUR), "8y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(d), want, "{d:?}");
        }
    }

    #[test]
    fn human_duration_boundaries_from_duration_test_go() {
        let s = 1000;
        let cases = [
            (ms(-2 * s), "<invalid>"),
            (ms(-2 * s) + SignedDuration::from_nanos(1), "0s"),
            (ms(0), "0s"),
            (ms(s - 1), "0s"),
            (ms(2 * MINUTE * s - 1), "119s"),
            (ms(2 * MINUTE * s), "2m"),
            (ms((2 * MINUTE + 1) * s), "2m1s"),
            (ms(10 * MINUTE * s - 1), "9m59s"),
            (ms(10 * MINUTE * s), "10m"),
            (ms((10 * MINUTE + 1) * s), "10m"),
            (ms(3 * HOUR * s - 1), "179m"),
            (ms(3 * HOUR * s), "3h"),
            (ms((3 * HOUR + MINUTE) * s), "3h1m"),
            (ms(8 * HOUR * s - 1), "7h59m"),
            (ms(8 * HOUR * s), "8h"),
            (ms((8 * HOUR + 59 * MINUTE) * s), "8h"),
            (ms(2 * DAY * s - 1), "47h"),
            (ms(2 * DAY * s), "2d"),
            (ms((2 * DAY + HOUR) * s), "2d1h"),
            (ms(8 * DAY * s - 1), "7d23h"),
            (ms(8 * DAY * s), "8d"),
            (ms((8 * DAY + 23 * HOUR) * s), "8d"),
            (ms(2 * YEAR * s - 1), "729d"),
            (ms(2 * YEAR * s), "2y"),
            (ms((2 * YEAR + 23 * HOUR + 59 * MINUTE) * s), "2y"),
            (ms((2 * YEAR + DAY) * s - 1), "2y"),
            (ms((2 * YEAR + DAY) * s), "2y1d"),
            (ms(3 * YEAR * s), "3y"),
            (ms(7 * YEAR * s), "7y"),
            (ms(8 * YEAR * s - 1), "7y364d"),
            (ms(8 * YEAR * s), "8y"),
            (ms((8 * YEAR + 364 * DAY) * s), "8y"),
            (ms(9 * YEAR * s), "9y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(d), want, "{d:?}");
        }
    }

    #[test]
    fn short_human_duration_boundaries_from_duration_test_go() {
        let s = 1000;
        let cases = [
            (ms(-2 * s), "<invalid>"),
            (ms(-2 * s) + SignedDuration::from_nanos(1), "0s"),
            (ms(0), "0s"),
            (ms(s - 1), "0s"),
            (ms(s), "1s"),
            (ms(2 * s - 1), "1s"),
            (ms(MINUTE * s - 1), "59s"),
            (ms(MINUTE * s), "1m"),
            (ms(2 * MINUTE * s - 1), "1m"),
            (ms(HOUR * s - 1), "59m"),
            (ms(HOUR * s), "1h"),
            (ms(2 * HOUR * s - 1), "1h"),
            (ms(DAY * s - 1), "23h"),
            (ms(DAY * s), "1d"),
            (ms(2 * DAY * s - 1), "1d"),
            (ms(YEAR * s - 1), "364d"),
            (ms(YEAR * s), "1y"),
            (ms(2 * YEAR * s - 1), "1y"),
            (ms(2 * YEAR * s), "2y"),
        ];
        for (d, want) in cases {
            assert_eq!(short_human_duration(d), want, "{d:?}");
        }
    }

    #[test]
    fn age_of_a_timestamp() {
        let now: Timestamp = "2026-11-21T14:03:16Z".parse().unwrap();
        assert_eq!(
            translate_timestamp_since(Some("2026-11-21T14:03:13Z"), now),
            "3s"
        );
        assert_eq!(translate_timestamp_since(None, now), "<unknown>");
    }
}
