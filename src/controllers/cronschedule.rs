//! The next activation of a cron schedule, as robfig/cron v3 computes it for the CronJob
//! controller (`cron.ParseStandard`, `SpecSchedule.Next`, `ConstantDelaySchedule.Next`). The API
//! server has validated the schedule already (src/apiserver/validation/batch.rs); this parser
//! builds the bit sets and refuses what it cannot read. Times are whole seconds since the Unix
//! epoch, in UTC (podlab ignores `spec.timeZone` and `CRON_TZ=`).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// robfig's `starBit`: the field was `*` or `?` (matters for day-of-month/day-of-week).
const STAR_BIT: u64 = 1 << 63;

/// A parsed schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// Five fields (seconds fixed at 0), as bit sets.
    Spec {
        minute: u64,
        hour: u64,
        dom: u64,
        month: u64,
        dow: u64,
    },
    /// `@every <duration>`, in whole seconds (at least one).
    Every(i64),
}

struct Bounds {
    min: u64,
    max: u64,
    names: &'static [&'static str],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        "", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
};

fn all(b: &Bounds) -> u64 {
    bits(b.min, b.max, 1) | STAR_BIT
}

fn bits(min: u64, max: u64, step: u64) -> u64 {
    if step == 1 {
        if max >= 63 {
            return u64::MAX >> 1;
        }
        return !(u64::MAX << (max + 1)) & (u64::MAX << min);
    }
    (min..=max.min(62))
        .step_by(usize::try_from(step).unwrap_or(usize::MAX))
        .fold(0, |acc, i| acc | (1 << i))
}

fn int_or_name(expr: &str, b: &Bounds) -> Option<u64> {
    let lower = expr.to_lowercase();
    if let Some(i) = b.names.iter().position(|n| !n.is_empty() && *n == lower) {
        return u64::try_from(i).ok();
    }
    expr.parse().ok()
}

/// `getRange`.
fn range(expr: &str, b: &Bounds) -> Option<u64> {
    let (range_part, step_part) = match expr.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (expr, None),
    };
    let (mut start, mut end, mut extra) = if matches!(range_part, "*" | "?") {
        (b.min, b.max, STAR_BIT)
    } else {
        let (low, high) = match range_part.split_once('-') {
            Some((l, h)) => (int_or_name(l, b)?, int_or_name(h, b)?),
            None => {
                let v = int_or_name(range_part, b)?;
                (v, v)
            }
        };
        (low, high, 0)
    };
    let step = match step_part {
        None => 1,
        Some(s) => {
            let step: u64 = s.parse().ok()?;
            if !range_part.contains('-') {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
    };
    if start < b.min || end > b.max || start > end || step == 0 {
        return None;
    }
    if matches!(range_part, "*" | "?") {
        start = b.min;
    }
    Some(bits(start, end, step) | extra)
}

fn field(text: &str, b: &Bounds) -> Option<u64> {
    text.split(',')
        .filter(|e| !e.is_empty())
        .try_fold(0, |acc, e| range(e, b).map(|r| acc | r))
}

/// `time.ParseDuration` in whole seconds (fractions dropped as robfig's `Every` does).
fn go_duration_seconds(s: &str) -> Option<i64> {
    let mut rest = s;
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest.get(..n)?.parse().ok()?;
        rest = rest.get(n..)?;
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match rest.get(..u)? {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        nanos += number * scale;
        rest = rest.get(u..)?;
    }
    Some(((nanos / 1e9) as i64).max(1))
}

/// `cron.ParseStandard` of a validated schedule.
pub fn parse(schedule: &str) -> Option<Schedule> {
    let mut spec = schedule.trim();
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        spec = spec.split_once(' ').map(|(_, rest)| rest.trim())?;
    }
    let star = |b: &Bounds| all(b);
    let spec_of = |minute, hour, dom, month, dow| Schedule::Spec {
        minute,
        hour,
        dom,
        month,
        dow,
    };
    match spec {
        "@yearly" | "@annually" => return Some(spec_of(1, 1, 1 << 1, 1 << 1, star(&DOW))),
        "@monthly" => return Some(spec_of(1, 1, 1 << 1, star(&MONTHS), star(&DOW))),
        "@weekly" => return Some(spec_of(1, 1, star(&DOM), star(&MONTHS), 1)),
        "@daily" | "@midnight" => {
            return Some(spec_of(1, 1, star(&DOM), star(&MONTHS), star(&DOW)))
        }
        "@hourly" => {
            return Some(spec_of(
                1,
                star(&HOURS),
                star(&DOM),
                star(&MONTHS),
                star(&DOW),
            ))
        }
        _ => {}
    }
    if let Some(d) = spec.strip_prefix("@every ") {
        return go_duration_seconds(d).map(Schedule::Every);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = fields.as_slice() else {
        return None;
    };
    Some(spec_of(
        field(minute, &MINUTES)?,
        field(hour, &HOURS)?,
        field(dom, &DOM)?,
        field(month, &MONTHS)?,
        field(dow, &DOW)?,
    ))
}

fn has(set: u64, v: i8) -> bool {
    u8::try_from(v).is_ok_and(|v| v < 63 && set & (1 << v) != 0)
}

fn civil(second: i64) -> Option<DateTime> {
    Some(
        Timestamp::from_second(second)
            .ok()?
            .to_zoned(TimeZone::UTC)
            .datetime(),
    )
}

fn unix(dt: DateTime) -> Option<i64> {
    Some(dt.to_zoned(TimeZone::UTC).ok()?.timestamp().as_second())
}

impl Schedule {
    /// The first activation strictly after `after` (seconds since the epoch); `None` if there is
    /// none within five years (robfig's zero time).
    pub fn next(&self, after: i64) -> Option<i64> {
        let (minute, hour, dom, month, dow) = match self {
            Schedule::Every(d) => return Some(after + d),
            Schedule::Spec {
                minute,
                hour,
                dom,
                month,
                dow,
            } => (*minute, *hour, *dom, *month, *dow),
        };
        let day_matches = |t: &DateTime| {
            let dom_ok = has(dom, t.day());
            let dow_ok = has(dow, t.weekday().to_sunday_zero_offset());
            if dom & STAR_BIT != 0 || dow & STAR_BIT != 0 {
                dom_ok && dow_ok
            } else {
                dom_ok || dow_ok
            }
        };
        let mut t = civil(after + 1)?;
        let year_limit = t.year() + 5;
        let mut added = false;
        'wrap: loop {
            if t.year() > year_limit {
                return None;
            }
            while !has(month, t.month()) {
                if !added {
                    added = true;
                    t = DateTime::new(t.year(), t.month(), 1, 0, 0, 0, 0).ok()?;
                }
                t = t.checked_add(Span::new().months(1)).ok()?;
                if t.month() == 1 {
                    continue 'wrap;
                }
            }
            while !day_matches(&t) {
                if !added {
                    added = true;
                    t = DateTime::new(t.year(), t.month(), t.day(), 0, 0, 0, 0).ok()?;
                }
                t = t.checked_add(Span::new().days(1)).ok()?;
                if t.day() == 1 {
                    continue 'wrap;
                }
            }
            while !has(hour, t.hour()) {
                if !added {
                    added = true;
                    t = DateTime::new(t.year(), t.month(), t.day(), t.hour(), 0, 0, 0).ok()?;
                }
                t = t.checked_add(Span::new().hours(1)).ok()?;
                if t.hour() == 0 {
                    continue 'wrap;
                }
            }
            while !has(minute, t.minute()) {
                if !added {
                    added = true;
                    t = DateTime::new(t.year(), t.month(), t.day(), t.hour(), t.minute(), 0, 0)
                        .ok()?;
                }
                t = t.checked_add(Span::new().minutes(1)).ok()?;
                if t.minute() == 0 {
                    continue 'wrap;
                }
            }
            // Seconds: the standard parser fixes them at 0.
            while t.second() != 0 {
                t = t.checked_add(Span::new().seconds(1)).ok()?;
                if t.second() == 0 {
                    continue 'wrap;
                }
            }
            return unix(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().map(|t| t.as_second()).unwrap_or(-1)
    }

    #[test]
    fn every_minute_fires_on_the_next_whole_minute() {
        let s = parse("*/1 * * * *").expect("parses");
        assert_eq!(
            s.next(at("2026-11-21T14:00:05Z")),
            Some(at("2026-11-21T14:01:00Z"))
        );
        assert_eq!(
            s.next(at("2026-11-21T14:01:00Z")),
            Some(at("2026-11-21T14:02:00Z"))
        );
    }

    #[test]
    fn fields_ranges_steps_and_names() {
        let s = parse("30 6-16/4 * * mon-fri").expect("parses");
        // 2026-11-21 is a Saturday: the next weekday is Monday the 23rd, at 06:30.
        assert_eq!(
            s.next(at("2026-11-21T14:00:00Z")),
            Some(at("2026-11-23T06:30:00Z"))
        );
        let s = parse("0 0 1 1 *").expect("parses");
        assert_eq!(
            s.next(at("2026-11-21T14:00:00Z")),
            Some(at("2027-01-01T00:00:00Z"))
        );
        let hourly = parse("@hourly").expect("parses");
        assert_eq!(
            hourly.next(at("2026-11-21T14:00:00Z")),
            Some(at("2026-11-21T15:00:00Z"))
        );
        assert_eq!(parse("@every 90s"), Some(Schedule::Every(90)));
    }

    #[test]
    fn day_of_month_or_day_of_week_when_both_are_restricted() {
        // The 1st of the month or any Sunday.
        let s = parse("0 0 1 * sun").expect("parses");
        assert_eq!(
            s.next(at("2026-11-21T14:00:00Z")),
            Some(at("2026-11-22T00:00:00Z"))
        );
    }

    #[test]
    fn an_impossible_date_has_no_next_time() {
        let s = parse("0 0 31 2 *").expect("parses");
        assert_eq!(s.next(at("2026-11-21T14:00:00Z")), None);
        assert_eq!(parse("61 * * * *"), None);
    }
}
