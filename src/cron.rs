//! robfig/cron v3's standard parser (`cron.ParseStandard`), which both the API server (CronJob
//! validation: its error texts) and the CronJob controller (the schedule's bit sets) use, as the
//! real ones share the library: five fields or a descriptor (`@hourly`, `@every 5m`), with an
//! optional `TZ=`/`CRON_TZ=` prefix.

use crate::apiserver::validation::field::go_quote;

/// robfig's `starBit`: the field was `*` or `?` (matters for day-of-month/day-of-week).
pub const STAR_BIT: u64 = 1 << 63;

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

/// The bounds and names of the five standard cron fields (robfig/cron `spec.go`).
struct CronField {
    min: u64,
    max: u64,
    names: &'static [&'static str],
}

const MINUTES: CronField = CronField {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: CronField = CronField {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: CronField = CronField {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: CronField = CronField {
    min: 1,
    max: 12,
    names: &[
        "", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ],
};
const DOW: CronField = CronField {
    min: 0,
    max: 6,
    names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
};

/// `getBits`: the values min..=max by step.
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

/// `all`: every value of the field, marked as a star.
fn all(field: &CronField) -> u64 {
    bits(field.min, field.max, 1) | STAR_BIT
}

/// `strconv.Atoi`'s error for text that is not an int (or out of range).
fn atoi(expr: &str) -> Result<i64, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(expr)
        ));
    }
    expr.parse::<i64>().map_err(|_| {
        format!(
            "strconv.Atoi: parsing {}: value out of range",
            go_quote(expr)
        )
    })
}

/// `mustParseInt`.
fn must_parse_int(expr: &str) -> Result<u64, String> {
    let n = atoi(expr).map_err(|e| format!("failed to parse int from {expr}: {e}"))?;
    u64::try_from(n).map_err(|_| format!("negative number ({n}) not allowed: {expr}"))
}

/// `parseIntOrName`.
fn parse_int_or_name(expr: &str, field: &CronField) -> Result<u64, String> {
    let lower = expr.to_lowercase();
    if let Some(i) = field
        .names
        .iter()
        .position(|n| !n.is_empty() && *n == lower)
    {
        return Ok(i as u64);
    }
    must_parse_int(expr)
}

/// `getRange`: `*`, `?`, `a`, `a-b`, each with an optional `/step`, as a bit set.
fn get_range(expr: &str, field: &CronField) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let star = matches!(low_and_high[0], "*" | "?");
    let mut extra = if star { STAR_BIT } else { 0 };
    let (start, mut end) = if star {
        (field.min, field.max)
    } else {
        let start = parse_int_or_name(low_and_high[0], field)?;
        let end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], field)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end)
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            if low_and_high.len() == 1 {
                end = field.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < field.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            field.min
        ));
    }
    if end > field.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            field.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits(start, end, step) | extra)
}

/// `getField`: the comma-separated ranges of one field.
fn get_field(text: &str, field: &CronField) -> Result<u64, String> {
    text.split(',')
        .filter(|e| !e.is_empty())
        .try_fold(0, |acc, e| get_range(e, field).map(|r| acc | r))
}

/// Go's `%s` of a `[]string`: `[a b c]`.
fn go_string_slice(fields: &[&str]) -> String {
    format!("[{}]", fields.join(" "))
}

/// `cron.ParseStandard` (through `ParseCronScheduleWithPanicRecovery`); `Err` is the parser's
/// message.
pub fn parse_standard(schedule: &str) -> Result<Schedule, String> {
    if schedule.is_empty() {
        return Err("empty spec string".into());
    }
    let mut spec = schedule;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let eq = spec.find('=').unwrap_or(0);
        let Some(space) = spec.find(' ') else {
            return Err(format!(
                "invalid schedule format: runtime error: slice bounds out of range [{}:-1]",
                eq + 1
            ));
        };
        let zone = spec.get(eq + 1..space).unwrap_or("");
        if let Err(e) = load_location(zone) {
            return Err(format!("provided bad location {zone}: {e}"));
        }
        spec = spec.get(space..).unwrap_or("").trim();
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = fields.as_slice() else {
        return Err(format!(
            "expected exactly 5 fields, found {}: {}",
            fields.len(),
            go_string_slice(&fields)
        ));
    };
    Ok(Schedule::Spec {
        minute: get_field(minute, &MINUTES)?,
        hour: get_field(hour, &HOURS)?,
        dom: get_field(dom, &DOM)?,
        month: get_field(month, &MONTHS)?,
        dow: get_field(dow, &DOW)?,
    })
}

/// `parseDescriptor`.
fn parse_descriptor(descriptor: &str) -> Result<Schedule, String> {
    let spec = |minute, hour, dom, month, dow| {
        Ok(Schedule::Spec {
            minute,
            hour,
            dom,
            month,
            dow,
        })
    };
    match descriptor {
        "@yearly" | "@annually" => spec(1, 1, 1 << 1, 1 << 1, all(&DOW)),
        "@monthly" => spec(1, 1, 1 << 1, all(&MONTHS), all(&DOW)),
        "@weekly" => spec(1, 1, all(&DOM), all(&MONTHS), 1),
        "@daily" | "@midnight" => spec(1, 1, all(&DOM), all(&MONTHS), all(&DOW)),
        "@hourly" => spec(1, all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        d => match d.strip_prefix("@every ") {
            // `Every`: at least one second, fractions dropped.
            Some(duration) => parse_go_duration(duration)
                .map(|seconds| Schedule::Every((seconds as i64).max(1)))
                .map_err(|e| format!("failed to parse duration {d}: {e}")),
            None => Err(format!("unrecognized descriptor: {d}")),
        },
    }
}

/// `time.ParseDuration`, in seconds, with its error texts (`time: invalid duration "x"`).
fn parse_go_duration(s: &str) -> Result<f64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(s));
    let negative = s.starts_with('-');
    let mut rest = s.strip_prefix(['+', '-']).unwrap_or(s);
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut seconds = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." {
            return Err(invalid());
        }
        // Checked for shape only, as before this parser computed values: a malformed number
        // such as `1.2.3` is not refused here.
        let value: f64 = number.parse().unwrap_or(0.0);
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration {}", go_quote(s))),
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(unit),
                    go_quote(s)
                ))
            }
        };
        seconds += value * scale;
        rest = &rest[unit_len..];
    }
    Ok(if negative { -seconds } else { seconds })
}

/// `time.LoadLocation`: UTC, Local, or a zone of the time zone database.
pub fn load_location(name: &str) -> Result<(), String> {
    if name.is_empty() || name == "UTC" || name == "Local" {
        return Ok(());
    }
    jiff::tz::db()
        .get(name)
        .map(|_| ())
        .map_err(|_| format!("unknown time zone {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_become_bit_sets_with_the_star_bit() {
        let Ok(Schedule::Spec {
            minute, hour, dow, ..
        }) = parse_standard("*/15 6-8 * * mon,fri")
        else {
            panic!("parses");
        };
        assert_eq!(minute, (1 << 0) | (1 << 15) | (1 << 30) | (1 << 45));
        assert_eq!(hour, (1 << 6) | (1 << 7) | (1 << 8));
        assert_eq!(dow, (1 << 1) | (1 << 5));
        let Ok(Schedule::Spec { dom, .. }) = parse_standard("0 0 * * *") else {
            panic!("parses");
        };
        assert_ne!(dom & STAR_BIT, 0);
    }

    #[test]
    fn every_takes_whole_seconds_and_at_least_one() {
        assert_eq!(parse_standard("@every 1h30m"), Ok(Schedule::Every(5400)));
        assert_eq!(parse_standard("@every 1.9s"), Ok(Schedule::Every(1)));
        assert_eq!(parse_standard("@every 10ms"), Ok(Schedule::Every(1)));
        assert_eq!(
            parse_standard("@every 5x"),
            Err(
                "failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\""
                    .into()
            )
        );
    }
}
