//! Resource quantities (`k8s.io/apimachinery/pkg/api/resource.Quantity`): `100m`, `2`, `1Gi`,
//! `500M`, `1e3`, read as milli-units (CPU) or whole units (bytes), as the scheduler compares them.

/// A quantity in thousandths of its unit (`"100m"` → 100, `"2"` → 2000, `"1Ki"` → 1_024_000).
pub fn parse_milli(s: &str) -> Option<i128> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(split);
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if number.is_empty() || (int_part.is_empty() && frac_part.is_empty()) {
        return None;
    }
    let negative = int_part.starts_with('-');
    let int_digits = int_part.trim_start_matches(['+', '-']);
    if !int_digits.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    // The value times 10^9 as an integer, so that `m` and fractions stay exact.
    let mut nano: i128 = int_digits
        .parse::<i128>()
        .unwrap_or(0)
        .checked_mul(1_000_000_000)?;
    let frac: String = frac_part
        .chars()
        .chain(std::iter::repeat('0'))
        .take(9)
        .collect();
    nano += frac.parse::<i128>().unwrap_or(0);
    let (mul, div): (i128, i128) = match suffix {
        "" => (1, 1),
        "n" => (1, 1_000_000_000),
        "u" => (1, 1_000_000),
        "m" => (1, 1_000),
        "k" => (1_000, 1),
        "M" => (1_000_000, 1),
        "G" => (1_000_000_000, 1),
        "T" => (1_000_000_000_000, 1),
        "P" => (1_000_000_000_000_000, 1),
        "E" => (1_000_000_000_000_000_000, 1),
        "Ki" => (1 << 10, 1),
        "Mi" => (1 << 20, 1),
        "Gi" => (1 << 30, 1),
        "Ti" => (1 << 40, 1),
        "Pi" => (1 << 50, 1),
        "Ei" => (1 << 60, 1),
        e if e.starts_with(['e', 'E']) => {
            let exp: u32 = e[1..].parse().ok()?;
            (10i128.checked_pow(exp)?, 1)
        }
        _ => return None,
    };
    let milli = nano.checked_mul(mul)? / div / 1_000_000;
    Some(if negative { -milli } else { milli })
}

/// A quantity in whole units, rounded up (`"1Gi"` → 1073741824, `"100m"` → 1).
pub fn parse_units(s: &str) -> Option<i128> {
    parse_milli(s).map(|m| (m + 999).div_euclid(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_forms() {
        assert_eq!(parse_milli("100m"), Some(100));
        assert_eq!(parse_milli("2"), Some(2000));
        assert_eq!(parse_milli("0.5"), Some(500));
        assert_eq!(parse_units("1Gi"), Some(1 << 30));
        assert_eq!(parse_units("200Mi"), Some(200 << 20));
        assert_eq!(parse_units("1e3"), Some(1000));
        assert_eq!(parse_units("128M"), Some(128_000_000));
        assert_eq!(parse_milli("abc"), None);
        assert_eq!(parse_milli("1Xi"), None);
        assert_eq!(parse_milli(""), None);
    }
}
