//! Resource quantities with the exact semantics the API server needs for messages:
//! `resource.ParseQuantity` (its three error texts), `Quantity.String()` (the canonical form the
//! server stores and prints: `0.5` → `500m`, `1024Mi` → `1Gi`, `2000` → `2k`, and an input already
//! in canonical form kept verbatim) and `Cmp` (k8s.io/apimachinery/pkg/api/resource/quantity.go).
//!
//! A value is held exactly, in nano-units (10⁻⁹), which is the finest scale a Quantity keeps (finer
//! values are rounded up, as Go rounds them).

use std::cmp::Ordering;
use std::fmt;

/// `splitREString`, quoted by `ErrFormatWrong`.
pub const QUANTITY_REGEX: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// Why a string is not a quantity (`ErrFormatWrong`, `ErrNumeric`, `ErrSuffix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityError {
    FormatWrong,
    Numeric,
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::FormatWrong => {
                write!(
                    f,
                    "quantities must match the regular expression '{QUANTITY_REGEX}'"
                )
            }
            QuantityError::Numeric => f.write_str("unable to parse numeric part of quantity"),
            QuantityError::Suffix => f.write_str("unable to parse quantity's suffix"),
        }
    }
}

impl std::error::Error for QuantityError {}

/// The suffix family a quantity was written with, which its canonical form keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

/// A parsed quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// The exact value in units of 10⁻⁹.
    nanos: i128,
    format: Format,
    /// The input, when Go keeps it as the canonical string (`ParseQuantity`'s fast path).
    verbatim: Option<String>,
}

const NANO_PER_UNIT: i128 = 1_000_000_000;

struct Parts<'a> {
    positive: bool,
    /// Integer digits with leading zeros stripped (`"0"` when none).
    num: &'a str,
    /// Fraction digits.
    denom: &'a str,
    suffix: &'a str,
}

/// `parseQuantityString`: splits sign, number and suffix the way Go scans them.
fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Parts {
            positive,
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[num_start..pos];
    if pos >= end {
        return Ok(Parts {
            positive,
            num,
            denom: "",
            suffix: "",
        });
    }
    if num.is_empty() {
        num = "0";
    }
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let denom_start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[denom_start..pos];
        if pos >= end {
            return Ok(Parts {
                positive,
                num,
                denom,
                suffix: "",
            });
        }
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::FormatWrong);
    }
    Ok(Parts {
        positive,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

/// The suffix table: base (2 or 10), exponent and format.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        s if s.len() > 1 && (s.starts_with('e') || s.starts_with('E')) => {
            let exp: i64 = s.get(1..)?.parse().ok()?;
            let exp = i32::try_from(exp).ok()?;
            Some((10, exp, Format::DecimalExponent))
        }
        _ => None,
    }
}

fn pow10(exp: u32) -> Option<i128> {
    10i128.checked_pow(exp)
}

/// `digits × 10^exp10 × 2^exp2` in nano-units, rounded up (away from zero) below a nano.
fn to_nanos(digits: &str, exp10: i32, exp2: u32) -> Option<i128> {
    let mut mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    mantissa = mantissa.checked_mul(1i128.checked_shl(exp2)?)?;
    let shift = exp10 + 9;
    if shift >= 0 {
        mantissa.checked_mul(pow10(shift.unsigned_abs())?)
    } else {
        let div = pow10(shift.unsigned_abs()).unwrap_or(i128::MAX);
        let q = mantissa / div;
        Some(if mantissa % div != 0 { q + 1 } else { q })
    }
}

impl Quantity {
    /// `resource.ParseQuantity`.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        if s == "0" {
            return Ok(Quantity {
                nanos: 0,
                format: Format::DecimalSI,
                verbatim: Some("0".into()),
            });
        }
        let parts = split(s)?;
        let (base, exponent, mut format) = interpret(parts.suffix).ok_or(QuantityError::Suffix)?;
        let digits = format!("{}{}", parts.num, parts.denom);
        let denom_len = i32::try_from(parts.denom.len()).unwrap_or(i32::MAX);
        let magnitude = if base == 10 {
            to_nanos(&digits, exponent.saturating_sub(denom_len), 0)
        } else {
            to_nanos(&digits, -denom_len, exponent.unsigned_abs())
        }
        .ok_or(QuantityError::Numeric)?;
        let nanos = if parts.positive {
            magnitude
        } else {
            -magnitude
        };
        if format == Format::BinarySI && nanos > 0 && nanos < NANO_PER_UNIT {
            format = Format::DecimalSI;
        }
        let verbatim = keeps_input(&parts, base, exponent, format).then(|| s.to_string());
        Ok(Quantity {
            nanos,
            format,
            verbatim,
        })
    }

    /// The value rounded up to whole units (`Value()`).
    pub fn value(&self) -> i128 {
        let q = self.nanos / NANO_PER_UNIT;
        if self.nanos % NANO_PER_UNIT > 0 {
            q + 1
        } else {
            q
        }
    }

    /// The value in thousandths, rounded up (`MilliValue()`).
    pub fn milli_value(&self) -> i128 {
        let q = self.nanos / 1_000_000;
        if self.nanos % 1_000_000 > 0 {
            q + 1
        } else {
            q
        }
    }

    /// The exact value in nano-units.
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    pub fn is_negative(&self) -> bool {
        self.nanos < 0
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// `Quantity.Cmp`.
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }

    /// `Quantity.String()`: the canonical form.
    pub fn canonical(&self) -> String {
        if let Some(s) = &self.verbatim {
            return s.clone();
        }
        canonicalize(self.nanos, self.format)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// Whether `ParseQuantity` takes its int64 fast path and keeps the input string as `String()`.
fn keeps_input(parts: &Parts<'_>, base: u32, exponent: i32, format: Format) -> bool {
    let num_len = parts.num.len() as i32;
    let denom_len = parts.denom.len() as i32;
    let (precision, scale) = match format {
        Format::DecimalExponent | Format::DecimalSI if base == 10 => {
            (18 - (num_len + denom_len), exponent)
        }
        Format::BinarySI if exponent >= 0 && denom_len == 0 => {
            (15 - num_len - (exponent as f32 * 3.0 / 10.0) as i32 - 1, 0)
        }
        _ => (-1, 0),
    };
    if precision < 0 {
        return false;
    }
    let scale = scale - denom_len;
    if scale < -9 {
        return false;
    }
    let shifted = format!("{}{}", parts.num, parts.denom);
    let Ok(value) = shifted.parse::<i64>() else {
        return false;
    };
    let mantissa: i64 = if format == Format::BinarySI {
        1i64 << exponent.clamp(0, 62)
    } else {
        1
    };
    if value.checked_mul(mantissa).is_none() {
        return false;
    }
    match format {
        Format::BinarySI => exponent % 10 == 0 && (value & 0x07) != 0,
        _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
    }
}

/// `CanonicalizeBytes` for a value held in nano-units.
fn canonicalize(nanos: i128, format: Format) -> String {
    if nanos == 0 {
        return "0".into();
    }
    let binary = format == Format::BinarySI
        && nanos.abs() >= 1024 * NANO_PER_UNIT
        && nanos % NANO_PER_UNIT == 0;
    if binary {
        let mut amount = nanos / NANO_PER_UNIT;
        let mut exp = 0;
        while amount % 1024 == 0 && exp < 6 {
            amount /= 1024;
            exp += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
            .get(exp)
            .copied()
            .unwrap_or("");
        return format!("{amount}{suffix}");
    }
    let mut amount = nanos;
    let mut exp: i32 = -9;
    while amount % 10 == 0 {
        amount /= 10;
        exp += 1;
    }
    while exp.rem_euclid(3) != 0 {
        amount = amount.saturating_mul(10);
        exp -= 1;
    }
    let suffix = if format == Format::DecimalExponent {
        if exp == 0 {
            String::new()
        } else {
            format!("e{exp}")
        }
    } else {
        match exp {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => "",
        }
        .to_string()
    };
    format!("{amount}{suffix}")
}

/// The canonical form of a quantity string, or the parse error.
pub fn canonical(s: &str) -> Result<String, QuantityError> {
    Quantity::parse(s).map(|q| q.canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        canonical(s).unwrap()
    }

    #[test]
    fn canonical_forms_match_go() {
        assert_eq!(c("0.5"), "500m");
        assert_eq!(c("1.5"), "1500m");
        assert_eq!(c("100m"), "100m");
        assert_eq!(c("1000m"), "1");
        assert_eq!(c("2000"), "2k");
        assert_eq!(c("1024Mi"), "1Gi");
        assert_eq!(c("1.5Gi"), "1536Mi");
        assert_eq!(c("128Mi"), "128Mi");
        assert_eq!(c("1Gi"), "1Gi");
        assert_eq!(c("512"), "512");
        assert_eq!(c("1e3"), "1e3");
        assert_eq!(c("1000e0"), "1e3");
        assert_eq!(c("0"), "0");
        assert_eq!(c("-1"), "-1");
        assert_eq!(c("+1"), "+1");
        assert_eq!(c("0.1m"), "100u");
        assert_eq!(c("1M"), "1M");
        assert_eq!(c("100Ki"), "100Ki");
        assert_eq!(c("1n"), "1n");
        assert_eq!(c("0.0000000001"), "1n");
        assert_eq!(c("Gi"), "0");
    }

    #[test]
    fn parse_errors_use_go_messages() {
        assert_eq!(
            Quantity::parse("abc").unwrap_err().to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
        assert_eq!(
            Quantity::parse("1Gb").unwrap_err(),
            QuantityError::FormatWrong
        );
        assert_eq!(Quantity::parse("").unwrap_err(), QuantityError::FormatWrong);
        assert_eq!(
            Quantity::parse("1Mii").unwrap_err().to_string(),
            "unable to parse quantity's suffix"
        );
        assert_eq!(Quantity::parse("1e").unwrap_err(), QuantityError::Suffix);
    }

    #[test]
    fn compare_and_values() {
        let a = Quantity::parse("500m").unwrap();
        let b = Quantity::parse("0.5").unwrap();
        assert_eq!(a.cmp_value(&b), Ordering::Equal);
        assert_eq!(Quantity::parse("1Gi").unwrap().value(), 1_073_741_824);
        assert_eq!(Quantity::parse("100m").unwrap().milli_value(), 100);
        assert_eq!(Quantity::parse("100m").unwrap().value(), 1);
        assert!(Quantity::parse("-1").unwrap().is_negative());
    }
}
