//! Go's number formatting (strconv.FormatFloat and encoding/json's float encoder), which kubectl's
//! `-o yaml` and `-o json` printers go through.

use serde_json::Number;

/// The shortest decimal digits that round-trip `f` (which must be finite and non-zero), and the
/// position of the decimal point relative to them, as Go's strconv keeps them (`digs.d`, `digs.dp`).
fn shortest_digits(f: f64) -> (String, i32) {
    // Rust's `{:e}` prints the shortest round-tripping mantissa, e.g. "1.5e-7" or "2e6".
    let formatted = format!("{:e}", f.abs());
    let (mantissa, exponent) = formatted
        .split_once('e')
        .unwrap_or((formatted.as_str(), "0"));
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    (digits, exponent + 1)
}

/// strconv.FormatFloat(f, 'e', -1, 64): "1e-07", "1.5e+06".
fn format_e(negative: bool, digits: &str, point: i32) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    let mut chars = digits.chars();
    out.push(chars.next().unwrap_or('0'));
    let rest: String = chars.collect();
    if !rest.is_empty() {
        out.push('.');
        out.push_str(&rest);
    }
    let exp = point - 1;
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let abs = exp.unsigned_abs();
    if abs < 10 {
        out.push('0');
    }
    out.push_str(&abs.to_string());
    out
}

/// strconv.FormatFloat(f, 'f', -1, 64): plain decimal notation.
fn format_f(negative: bool, digits: &str, point: i32) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    let n = digits.len() as i32;
    if point <= 0 {
        out.push('0');
        out.push('.');
        for _ in 0..(-point) {
            out.push('0');
        }
        out.push_str(digits);
    } else if point >= n {
        out.push_str(digits);
        for _ in 0..(point - n) {
            out.push('0');
        }
    } else {
        let (int_part, frac_part) = digits.split_at(point as usize);
        out.push_str(int_part);
        out.push('.');
        out.push_str(frac_part);
    }
    out
}

/// Go's strconv.FormatFloat(f, 'g', -1, 64), as go-yaml v2 prints floats.
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let (digits, point) = shortest_digits(f);
    // With the shortest precision, strconv switches to %e when the exponent is < -4 or >= 6.
    let exp = point - 1;
    if !(-4..6).contains(&exp) {
        return format_e(f < 0.0, &digits, point);
    }
    format_f(f < 0.0, &digits, point)
}

/// Go's encoding/json float encoding: 'f' unless |f| < 1e-6 or >= 1e21, then 'e' with the
/// exponent's leading zero removed ("1e-07" becomes "1e-7").
pub fn format_float_json(f: f64) -> String {
    if !f.is_finite() {
        return "null".to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let (digits, point) = shortest_digits(f);
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let e = format_e(f < 0.0, &digits, point);
        return strip_exponent_zero(&e).unwrap_or(e);
    }
    format_f(f < 0.0, &digits, point)
}

/// "1e-07" -> "1e-7", as encoding/json cleans up negative exponents.
fn strip_exponent_zero(e: &str) -> Option<String> {
    let bytes = e.as_bytes();
    let n = bytes.len();
    if n >= 4 && bytes[n - 4] == b'e' && bytes[n - 3] == b'-' && bytes[n - 2] == b'0' {
        let mut out = e[..n - 2].to_string();
        out.push(bytes[n - 1] as char);
        return Some(out);
    }
    None
}

/// How an API object's number reaches kubectl: integers stay integers, floats with an integral
/// value were written by Go's JSON encoder without a fraction and so read back as integers.
pub enum GoNumber {
    Int(i128),
    Float(f64),
}

/// Classifies a JSON number as kubectl's unstructured decoding sees it.
pub fn classify(n: &Number) -> GoNumber {
    if let Some(i) = n.as_i64() {
        return GoNumber::Int(i as i128);
    }
    if let Some(u) = n.as_u64() {
        return GoNumber::Int(u as i128);
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18 {
        return GoNumber::Int(f as i128);
    }
    GoNumber::Float(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_strconv() {
        assert_eq!(format_float_g(0.5), "0.5");
        assert_eq!(format_float_g(1e-7), "1e-07");
        assert_eq!(format_float_g(123456.5), "123456.5");
        assert_eq!(format_float_g(1234567.5), "1.2345675e+06");
        assert_eq!(format_float_g(1e21), "1e+21");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(-2.25), "-2.25");
    }

    #[test]
    fn json_format_matches_encoding_json() {
        assert_eq!(format_float_json(0.5), "0.5");
        assert_eq!(format_float_json(1e-7), "1e-7");
        assert_eq!(format_float_json(1e21), "1e+21");
        assert_eq!(format_float_json(0.000001), "0.000001");
        assert_eq!(format_float_json(1234.5), "1234.5");
    }
}
