//! The next activation of a cron schedule, as robfig/cron v3 computes it for the CronJob
//! controller (`SpecSchedule.Next`, `ConstantDelaySchedule.Next`), from the schedule that
//! crate::cron parses (`cron.ParseStandard`, as the API server's validation does). Times are
//! whole seconds since the Unix epoch, in UTC (podlab ignores `spec.timeZone` and `CRON_TZ=`).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

pub use crate::cron::Schedule;
use crate::cron::STAR_BIT;

/// `cron.ParseStandard` of a validated schedule (the same parser the API server validated it
/// with).
pub fn parse(schedule: &str) -> Option<Schedule> {
    crate::cron::parse_standard(schedule).ok()
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
