//! Resource quantities (apimachinery pkg/api/resource): enough to compare and convert them as
//! kubectl describe does (QoS class, resourceFieldRef environment values).

/// A quantity's value in billionths (nano units), so that "1", "1000m" and "1e3m" compare equal.
pub fn parse_nanos(s: &str) -> Option<i128> {
    let s = s.trim();
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let number_end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (number, suffix) = body.split_at(number_end);
    if number.is_empty() || number == "." {
        return None;
    }
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if frac_part.contains('.') {
        return None;
    }
    // The number in nano units: integer part * 1e9 + up to nine fraction digits.
    let mut nanos: i128 = 0;
    for d in int_part.bytes() {
        nanos = nanos.checked_mul(10)?.checked_add((d - b'0') as i128)?;
    }
    nanos = nanos.checked_mul(1_000_000_000)?;
    let mut scale: i128 = 100_000_000;
    for d in frac_part.bytes().take(9) {
        nanos += (d - b'0') as i128 * scale;
        scale /= 10;
    }
    let value = apply_suffix(nanos, suffix)?;
    Some(if negative { -value } else { value })
}

fn apply_suffix(nanos: i128, suffix: &str) -> Option<i128> {
    let pow = |base: i128, exp: u32| base.checked_pow(exp);
    let scaled = match suffix {
        "" => nanos,
        "n" => nanos / 1_000_000_000,
        "u" => nanos / 1_000_000,
        "m" => nanos / 1_000,
        "k" => nanos.checked_mul(1_000)?,
        "M" => nanos.checked_mul(pow(10, 6)?)?,
        "G" => nanos.checked_mul(pow(10, 9)?)?,
        "T" => nanos.checked_mul(pow(10, 12)?)?,
        "P" => nanos.checked_mul(pow(10, 15)?)?,
        "E" => nanos.checked_mul(pow(10, 18)?)?,
        "Ki" => nanos.checked_mul(pow(2, 10)?)?,
        "Mi" => nanos.checked_mul(pow(2, 20)?)?,
        "Gi" => nanos.checked_mul(pow(2, 30)?)?,
        "Ti" => nanos.checked_mul(pow(2, 40)?)?,
        "Pi" => nanos.checked_mul(pow(2, 50)?)?,
        "Ei" => nanos.checked_mul(pow(2, 60)?)?,
        exp if exp.starts_with(['e', 'E']) => {
            let e: i32 = exp[1..].parse().ok()?;
            if e >= 0 {
                nanos.checked_mul(pow(10, e.unsigned_abs())?)?
            } else {
                nanos / pow(10, e.unsigned_abs())?
            }
        }
        _ => return None,
    };
    Some(scaled)
}

/// ceil(value / divisor) for nano-unit values, as resource.Quantity conversions in
/// ExtractContainerResourceValue round up.
pub fn ceil_div(value: i128, divisor: i128) -> i128 {
    if divisor == 0 {
        return 0;
    }
    let q = value / divisor;
    if value % divisor != 0 && (value > 0) == (divisor > 0) {
        q + 1
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_binary_and_milli_quantities() {
        assert_eq!(parse_nanos("1"), parse_nanos("1000m"));
        assert_eq!(parse_nanos("100m"), Some(100_000_000));
        assert_eq!(parse_nanos("0.5"), parse_nanos("500m"));
        assert_eq!(parse_nanos("1Gi"), Some(1_073_741_824 * 1_000_000_000));
        assert_eq!(parse_nanos("64Mi"), Some(64 * 1_048_576 * 1_000_000_000));
        assert_eq!(parse_nanos("1e3"), parse_nanos("1k"));
        assert_eq!(parse_nanos("abc"), None);
        assert_eq!(ceil_div(100_000_000, 1_000_000_000), 1);
    }
}
