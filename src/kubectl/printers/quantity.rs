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

/// The formats a quantity remembers from its suffix (resource.Format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// 2^10 suffixes: Ki, Mi, Gi...
    BinarySI,
    /// 10^3 suffixes: m, k, M, G... (and none)
    DecimalSI,
    /// e-notation: 1e3
    DecimalExponent,
}

/// A resource.Quantity: a value (in nano units) and the format it prints in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub nanos: i128,
    pub format: Format,
}

impl Quantity {
    /// The zero quantity (prints as "0").
    pub fn zero() -> Self {
        Quantity {
            nanos: 0,
            format: Format::DecimalSI,
        }
    }

    /// Parses a quantity string such as "100m", "64Mi" or "1e3".
    pub fn parse(s: &str) -> Option<Self> {
        let nanos = parse_nanos(s)?;
        let suffix = s.trim().trim_start_matches(['+', '-']);
        let suffix = suffix.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        let format = if suffix.ends_with('i') {
            Format::BinarySI
        } else if suffix.starts_with(['e', 'E']) {
            Format::DecimalExponent
        } else {
            Format::DecimalSI
        };
        Some(Quantity { nanos, format })
    }

    /// Value(): whole units, rounded up.
    pub fn value(&self) -> i128 {
        ceil_div(self.nanos, 1_000_000_000)
    }

    /// MilliValue(): thousandths, rounded up.
    pub fn milli_value(&self) -> i128 {
        ceil_div(self.nanos, 1_000_000)
    }

    /// Quantity.String(): the canonical form ("1500m", "2", "128Mi", "0").
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".to_string();
        }
        let use_binary = self.format == Format::BinarySI
            && self.nanos.abs() >= 1024 * 1_000_000_000
            && self.nanos % 1_000_000_000 == 0;
        if use_binary {
            let (mut amount, mut exponent) = (self.nanos / 1_000_000_000, 0);
            while amount % 1024 == 0 && exponent < 6 {
                amount /= 1024;
                exponent += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exponent];
            return format!("{amount}{suffix}");
        }
        // Remove trailing zeros, then bring the exponent down to a multiple of three.
        let (mut amount, mut exponent) = (self.nanos, -9i32);
        while amount % 10 == 0 {
            amount /= 10;
            exponent += 1;
        }
        while exponent.rem_euclid(3) != 0 {
            amount = amount.saturating_mul(10);
            exponent -= 1;
        }
        if self.format == Format::DecimalExponent {
            return if exponent == 0 {
                amount.to_string()
            } else {
                format!("{amount}e{exponent}")
            };
        }
        let suffix = match exponent {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return format!("{amount}e{exponent}"),
        };
        format!("{amount}{suffix}")
    }
}

/// Quantity.Add: the sum keeps the left quantity's format, or the right one's when the left is
/// zero.
impl std::ops::Add for Quantity {
    type Output = Quantity;

    fn add(self, other: Quantity) -> Quantity {
        let format = if self.nanos == 0 {
            other.format
        } else {
            self.format
        };
        Quantity {
            nanos: self.nanos.saturating_add(other.nanos),
            format,
        }
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

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    #[test]
    fn canonical_forms_as_quantity_string() {
        assert_eq!(q("100m").canonical(), "100m");
        assert_eq!(q("1000m").canonical(), "1");
        assert_eq!(q("1500").canonical(), "1500");
        assert_eq!(q("2000").canonical(), "2k");
        assert_eq!(q("0.5").canonical(), "500m");
        assert_eq!(q("1Gi").canonical(), "1Gi");
        assert_eq!((q("1Gi") + q("512Mi")).canonical(), "1536Mi");
        assert_eq!((q("64Mi") + q("64Mi")).canonical(), "128Mi");
        assert_eq!((q("100m") + q("1")).canonical(), "1100m");
        assert_eq!((Quantity::zero() + q("200Mi")).canonical(), "200Mi");
        assert_eq!(q("512").canonical(), "512");
        assert_eq!(Quantity::zero().canonical(), "0");
        assert_eq!(q("1Gi").value(), 1_073_741_824);
        assert_eq!(q("100m").milli_value(), 100);
    }
}
