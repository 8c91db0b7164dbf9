//! Request body decoding as the API server does it (`k8s.io/apimachinery/pkg/runtime/serializer/json`
//! with `sigs.k8s.io/json`'s strict, case-sensitive decoder over the Go v1 types), and the error
//! texts it produces:
//!
//! - a value of the wrong JSON type: `json: cannot unmarshal string into Go struct field
//!   ContainerPort.spec.containers.ports.containerPort of type int32` (the innermost struct's name,
//!   the JSON names of the struct fields crossed, without indexes or map keys, and the Go type);
//! - a bad quantity: `quantities must match the regular expression '...'`;
//! - bad base64 in `[]byte` fields: `illegal base64 data at input byte 3`;
//! - unknown fields, named by their path with indexes (`spec.containers[0].imagee`), in the order
//!   the decoder meets them (keys sorted, as kubectl sends them), for
//!   `strict decoding error: unknown field "a", unknown field "b"`.
//!
//! The first error a `json.Unmarshaler` returns (quantities, int-or-strings, times) stops the
//! decoding and wins; otherwise the first type error wins; unknown fields only count when the
//! body decoded otherwise. The whole message is `Pod in version "v1" cannot be handled as a Pod:
//! <error>` (`transformDecodeError` in the apiserver's handlers).
//!
//! Decoding walks the JSON against the Go type tables of `validation::go_schema`, then hands a
//! normalized copy (nulls dropped as Go ignores them, quantities in canonical form) to serde and
//! k8s-openapi. Kinds without a table fall back to serde alone, with unknown fields found by
//! comparing the input with the re-serialized object.

use std::collections::HashSet;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::validation::field::go_quote;
use super::validation::go_schema::{display_target, root_for_kind, schema, Kind, Schema};
use super::validation::quantity::Quantity;

/// A decoded body: the object, and the unknown fields the decoder dropped (their paths).
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T> {
    pub object: T,
    pub unknown_fields: Vec<String>,
}

/// A body that cannot be decoded into its kind. `Display` is the whole message of the
/// BadRequest: `Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: String,
    pub version: String,
    /// The decoder's own message (`json: cannot unmarshal ...`, `quantities must match ...`).
    pub cause: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&cannot_be_handled(&self.kind, &self.version, &self.cause))
    }
}

impl std::error::Error for DecodeError {}

/// `<Kind> in version "<version>" cannot be handled as a <Kind>: <message>`.
pub fn cannot_be_handled(kind: &str, version: &str, message: &str) -> String {
    format!(
        "{kind} in version {} cannot be handled as a {kind}: {message}",
        go_quote(version)
    )
}

/// `strict decoding error: unknown field "a", unknown field "b"` (`runtime.StrictDecodingError`).
pub fn strict_decoding_error(unknown_fields: &[String]) -> String {
    format!(
        "strict decoding error: {}",
        unknown_field_messages(unknown_fields).join(", ")
    )
}

/// `unknown field "spec.x"` for each path: the strict errors, and the warnings of
/// `fieldValidation=Warn` (kubectl prints them as `Warning: unknown field "spec.x"`).
pub fn unknown_field_messages(unknown_fields: &[String]) -> Vec<String> {
    unknown_fields
        .iter()
        .map(|f| format!("unknown field {}", go_quote(f)))
        .collect()
}

/// Decodes `body` as the given kind, as the API server's strict JSON decoder does.
pub fn decode<T: DeserializeOwned + Serialize>(
    body: &Value,
    kind: &str,
    version: &str,
) -> Result<Decoded<T>, DecodeError> {
    let fail = |cause: String| DecodeError {
        kind: kind.into(),
        version: version.into(),
        cause,
    };
    let Some(root) = root_for_kind(kind) else {
        return decode_without_schema(body).map_err(fail);
    };
    let mut walker = Walker::new(schema());
    let normalized = walker.value(body, root).map_err(fail)?;
    if let Some(err) = walker.saved {
        return Err(fail(err));
    }
    let object: T = serde_json::from_value(normalized.unwrap_or_else(|| Value::Object(Map::new())))
        .map_err(|e| fail(serde_message(&e.to_string())))?;
    Ok(Decoded {
        object,
        unknown_fields: walker.strict,
    })
}

/// What the decoder knows while it descends (`decodeState`'s error context and strict stack).
struct Walker<'s> {
    schema: &'s Schema,
    /// The bare name of the struct whose field is being decoded (`errorContext.Struct.Name()`).
    context_struct: Option<String>,
    /// JSON names of the struct fields crossed (`errorContext.FieldStack`).
    field_stack: Vec<&'static str>,
    /// The strict path: keys, `.`, and `[i]` tokens (`strictFieldStack`).
    strict_stack: Vec<String>,
    /// The first type error (`savedError`).
    saved: Option<String>,
    /// Unknown field paths, deduplicated, at most 100 (`savedStrictErrors`).
    strict: Vec<String>,
    seen: HashSet<String>,
}

/// The result of decoding one value: its normalized form (`None` to leave the field unset), or
/// the error that stops decoding.
type Step = Result<Option<Value>, String>;

impl<'s> Walker<'s> {
    fn new(schema: &'s Schema) -> Self {
        Walker {
            schema,
            context_struct: None,
            field_stack: Vec::new(),
            strict_stack: Vec::new(),
            saved: None,
            strict: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// `UnmarshalTypeError.Error()` with the current context (`addErrorContext`).
    fn type_error(&self, value: &str, target: &str) -> String {
        if self.context_struct.is_some() || !self.field_stack.is_empty() {
            format!(
                "json: cannot unmarshal {value} into Go struct field {}.{} of type {target}",
                self.context_struct.as_deref().unwrap_or(""),
                self.field_stack.join(".")
            )
        } else {
            format!("json: cannot unmarshal {value} into Go value of type {target}")
        }
    }

    /// `saveError`: keeps the first error only.
    fn save(&mut self, message: String) {
        if self.saved.is_none() {
            self.saved = Some(message);
        }
    }

    fn save_type_error(&mut self, value: &str, ty: &str) {
        let msg = self.type_error(value, &display_target(ty));
        self.save(msg);
    }

    fn push_key(&mut self, key: &str) {
        if !self.strict_stack.is_empty() {
            self.strict_stack.push(".".into());
        }
        self.strict_stack.push(key.into());
    }

    fn unknown_field(&mut self, key: &str) {
        let path = if self.strict_stack.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.strict_stack.concat())
        };
        if self.strict.len() < 100 && self.seen.insert(path.clone()) {
            self.strict.push(path);
        }
    }

    /// `decodeState.value`.
    fn value(&mut self, v: &Value, ty: &str) -> Step {
        match v {
            Value::Array(items) => self.array(items, ty),
            Value::Object(map) => self.object(map, ty),
            literal => self.literal(literal, ty),
        }
    }

    fn array(&mut self, items: &[Value], ty: &str) -> Step {
        match self.schema.kind(ty) {
            Kind::Quantity => {
                Err(super::validation::quantity::QuantityError::FormatWrong.to_string())
            }
            Kind::IntOrString => Err(self.type_error("array", "int32")),
            Kind::Time | Kind::Duration => Err(self.type_error("array", "string")),
            Kind::Any => Ok(Some(Value::Array(items.to_vec()))),
            Kind::Slice(elem) => {
                let base = self.strict_stack.len();
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.strict_stack.push(format!("[{i}]"));
                    let v = self.value(item, elem);
                    self.strict_stack.truncate(base);
                    out.push(v?.unwrap_or_else(|| self.zero(elem)));
                }
                Ok(Some(Value::Array(out)))
            }
            Kind::Bytes => {
                // A JSON array of numbers decodes element by element into []byte.
                for item in items {
                    self.value(item, "uint8")?;
                }
                Ok(None)
            }
            _ => {
                self.save_type_error("array", ty);
                Ok(None)
            }
        }
    }

    fn object(&mut self, map: &Map<String, Value>, ty: &str) -> Step {
        match self.schema.kind(ty) {
            Kind::Quantity => {
                Err(super::validation::quantity::QuantityError::FormatWrong.to_string())
            }
            Kind::IntOrString => Err(self.type_error("object", "int32")),
            Kind::Time | Kind::Duration => Err(self.type_error("object", "string")),
            Kind::Any => Ok(Some(Value::Object(map.clone()))),
            Kind::Map(_, elem) => {
                let base = self.strict_stack.len();
                let mut out = Map::new();
                for (k, child) in map {
                    self.push_key(k);
                    let v = self.value(child, elem);
                    self.strict_stack.truncate(base);
                    out.insert(k.clone(), v?.unwrap_or_else(|| self.zero(elem)));
                }
                Ok(Some(Value::Object(out)))
            }
            Kind::Struct(key) => self.structure(map, key),
            _ => {
                self.save_type_error("object", ty);
                Ok(None)
            }
        }
    }

    /// A JSON object into a struct: known keys are decoded with the field's type, unknown keys
    /// are recorded and their values skipped.
    fn structure(&mut self, map: &Map<String, Value>, key: &str) -> Step {
        let name = key.rsplit('.').next().unwrap_or(key).to_string();
        let base_fields = self.field_stack.len();
        let base_strict = self.strict_stack.len();
        let saved_struct = self.context_struct.clone();
        let mut out = Map::new();
        for (k, child) in map {
            let field = self
                .schema
                .fields(key)
                .iter()
                .find(|(json, _)| json == k)
                .copied();
            let Some((json, ty)) = field else {
                self.unknown_field(k);
                continue;
            };
            self.field_stack.push(json);
            self.context_struct = Some(name.clone());
            self.push_key(json);
            let result = self.value(child, ty);
            self.field_stack.truncate(base_fields);
            self.strict_stack.truncate(base_strict);
            self.context_struct = saved_struct.clone();
            if let Some(v) = result? {
                out.insert(k.clone(), v);
            }
        }
        Ok(Some(Value::Object(out)))
    }

    /// `literalStore`: null, booleans, strings and numbers.
    fn literal(&mut self, v: &Value, ty: &str) -> Step {
        let kind = self.schema.kind(ty);
        if v.is_null() {
            return Ok(None);
        }
        match kind {
            Kind::Quantity => return self.quantity(v).map(Some),
            Kind::IntOrString => return self.int_or_string(v).map(Some),
            Kind::Time => return self.time(v).map(Some),
            Kind::Duration => {
                return match v {
                    Value::String(_) => Ok(Some(v.clone())),
                    other => Err(self.type_error(json_kind(other), "string")),
                }
            }
            Kind::Any => return Ok(Some(v.clone())),
            _ => {}
        }
        match v {
            Value::Bool(_) => match kind {
                Kind::Bool => Ok(Some(v.clone())),
                _ => {
                    self.save_type_error("bool", ty);
                    Ok(None)
                }
            },
            Value::String(s) => match kind {
                Kind::Str => Ok(Some(v.clone())),
                Kind::Bytes => match go_base64_check(s) {
                    Ok(()) => Ok(Some(v.clone())),
                    Err(at) => {
                        self.save(format!("illegal base64 data at input byte {at}"));
                        Ok(None)
                    }
                },
                _ => {
                    self.save_type_error("string", ty);
                    Ok(None)
                }
            },
            Value::Number(n) => {
                let text = go_number_text(n);
                match kind {
                    Kind::Int(bits) => match text.parse::<i64>() {
                        Ok(i) if fits_signed(i, bits) => Ok(Some(Value::from(i))),
                        _ => {
                            self.save_type_error(&format!("number {text}"), ty);
                            Ok(None)
                        }
                    },
                    Kind::Uint(bits) => match text.parse::<u64>() {
                        Ok(u) if bits >= 64 || u < (1u64 << bits) => Ok(Some(Value::from(u))),
                        _ => {
                            self.save_type_error(&format!("number {text}"), ty);
                            Ok(None)
                        }
                    },
                    Kind::Float => Ok(Some(v.clone())),
                    _ => {
                        self.save_type_error("number", ty);
                        Ok(None)
                    }
                }
            }
            _ => Ok(None),
        }
    }

    /// `Quantity.UnmarshalJSON`: a string or number in quantity syntax, stored canonically.
    fn quantity(&self, v: &Value) -> Result<Value, String> {
        let text = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => go_number_text(n),
            Value::Bool(b) => b.to_string(),
            _ => String::new(),
        };
        Quantity::parse(&text)
            .map(|q| Value::String(q.canonical()))
            .map_err(|e| e.to_string())
    }

    /// `IntOrString.UnmarshalJSON`: a string, or a number that fits an int32.
    fn int_or_string(&self, v: &Value) -> Result<Value, String> {
        match v {
            Value::String(_) => Ok(v.clone()),
            Value::Number(n) => {
                let text = go_number_text(n);
                match text.parse::<i64>() {
                    Ok(i) if fits_signed(i, 32) => Ok(Value::from(i)),
                    _ => Err(self.type_error(&format!("number {text}"), "int32")),
                }
            }
            other => Err(self.type_error(json_kind(other), "int32")),
        }
    }

    /// `metav1.Time.UnmarshalJSON`: an RFC 3339 string.
    fn time(&self, v: &Value) -> Result<Value, String> {
        match v {
            Value::String(s) => match check_rfc3339(s) {
                Ok(()) => Ok(v.clone()),
                Err(e) => Err(e),
            },
            other => Err(self.type_error(json_kind(other), "string")),
        }
    }

    /// The zero value Go leaves for a null inside a list or map.
    fn zero(&self, ty: &str) -> Value {
        if ty.starts_with('*') {
            return Value::Null;
        }
        match self.schema.kind(ty) {
            Kind::Str | Kind::Bytes => Value::String(String::new()),
            Kind::Int(_) | Kind::Uint(_) | Kind::Float | Kind::IntOrString => Value::from(0),
            Kind::Bool => Value::Bool(false),
            Kind::Quantity => Value::String("0".into()),
            Kind::Struct(_) | Kind::Map(..) => Value::Object(Map::new()),
            Kind::Slice(_) => Value::Array(Vec::new()),
            Kind::Time | Kind::Duration | Kind::Any => Value::Null,
        }
    }
}

fn fits_signed(i: i64, bits: u32) -> bool {
    match bits {
        8 => i8::try_from(i).is_ok(),
        16 => i16::try_from(i).is_ok(),
        32 => i32::try_from(i).is_ok(),
        _ => true,
    }
}

/// The JSON kind word Go's errors use for a value.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A number as the JSON text the server receives from kubectl: integers as written, and floats
/// as Go's `json.Marshal(float64)` writes them (`1` for 1.0, `1.5`, `1e+21`, `1e-7`).
pub fn go_number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((mantissa, exp)) => {
                // Go writes `e+21`; negative exponents lose their leading zero (`e-7`).
                match exp.strip_prefix('-') {
                    Some(digits) => format!("{mantissa}e-{digits}"),
                    None => format!("{mantissa}e+{exp}"),
                }
            }
            None => s,
        }
    } else {
        format!("{f}")
    }
}

/// Go's `base64.StdEncoding.Decode` validity: `Err(i)` is the input offset its
/// `CorruptInputError` reports. Newlines are skipped; padding is required.
fn go_base64_check(s: &str) -> Result<(), usize> {
    let src = s.as_bytes();
    let valid = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
    let mut si = 0;
    loop {
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                return match j {
                    0 => Ok(()),
                    _ => Err(si - j),
                };
            }
            let c = src[si];
            si += 1;
            if valid(c) {
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            return if si < src.len() { Err(si) } else { Ok(()) };
        }
    }
}

const RFC3339_LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

/// `time.Parse(time.RFC3339, s)`, with Go's error texts for the common mistakes.
fn check_rfc3339(s: &str) -> Result<(), String> {
    let parse_error = |rest: &str, elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            go_quote(s),
            go_quote(RFC3339_LAYOUT),
            go_quote(rest),
            go_quote(elem)
        )
    };
    let range_error = |what: &str| format!("parsing time {}: {what} out of range", go_quote(s));
    let b = s.as_bytes();
    let digits = |at: usize, n: usize| -> Option<u32> {
        let part = b.get(at..at + n)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    let rest = |at: usize| s.get(at..).unwrap_or("");
    let steps: [(usize, usize, &str, &str); 6] = [
        (0, 4, "2006", "-"),
        (5, 2, "01", "-"),
        (8, 2, "02", "T"),
        (11, 2, "15", ":"),
        (14, 2, "04", ":"),
        (17, 2, "05", ""),
    ];
    let mut values = [0u32; 6];
    for (i, (at, n, elem, sep)) in steps.iter().enumerate() {
        let Some(v) = digits(*at, *n) else {
            return Err(parse_error(rest(*at), elem));
        };
        values[i] = v;
        if !sep.is_empty() && b.get(at + n) != sep.as_bytes().first() {
            return Err(parse_error(rest(at + n), sep));
        }
    }
    if !(1..=12).contains(&values[1]) {
        return Err(range_error("month"));
    }
    if !(1..=31).contains(&values[2]) {
        return Err(range_error("day"));
    }
    if values[3] > 23 {
        return Err(range_error("hour"));
    }
    if values[4] > 59 {
        return Err(range_error("minute"));
    }
    if values[5] > 59 {
        return Err(range_error("second"));
    }
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        at += 1;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
    }
    match b.get(at) {
        Some(b'Z') => at += 1,
        Some(b'+' | b'-') => {
            let ok = digits(at + 1, 2).is_some()
                && b.get(at + 3) == Some(&b':')
                && digits(at + 4, 2).is_some();
            if !ok {
                return Err(parse_error(rest(at), "Z07:00"));
            }
            at += 6;
        }
        _ => return Err(parse_error(rest(at), "Z07:00")),
    }
    if at < b.len() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            go_quote(s),
            go_quote(rest(at))
        ));
    }
    Ok(())
}

/// The decoder's message for a serde error when no Go table covers the kind: serde's
/// `invalid type: string "x", expected i32` becomes `json: cannot unmarshal string into Go value
/// of type int32`; other errors keep serde's text.
fn serde_message(err: &str) -> String {
    let Some(rest) = err.strip_prefix("invalid type: ") else {
        return err.to_string();
    };
    let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let expected = expected.split(" at line").next().unwrap_or(expected);
    let value = if found.starts_with("string") {
        "string".to_string()
    } else if found.starts_with("integer") {
        "number".to_string()
    } else if let Some(f) = found.strip_prefix("floating point `") {
        format!("number {}", f.trim_end_matches('`'))
    } else if found.starts_with("boolean") {
        "bool".to_string()
    } else if found.starts_with("sequence") {
        "array".to_string()
    } else if found.starts_with("map") {
        "object".to_string()
    } else {
        found.to_string()
    };
    let target = match expected {
        "i32" => "int32",
        "i64" => "int64",
        "a string" => "string",
        "a boolean" => "bool",
        "f64" => "float64",
        other => other,
    };
    format!("json: cannot unmarshal {value} into Go value of type {target}")
}

/// Decoding without a Go table: serde does the work, nulls are dropped first (Go ignores them),
/// and unknown fields are the input paths missing from the re-serialized object.
fn decode_without_schema<T: DeserializeOwned + Serialize>(
    body: &Value,
) -> Result<Decoded<T>, String> {
    let cleaned = drop_nulls(body);
    let object: T =
        serde_json::from_value(cleaned.clone()).map_err(|e| serde_message(&e.to_string()))?;
    let round_trip = serde_json::to_value(&object).map_err(|e| e.to_string())?;
    let mut unknown_fields = Vec::new();
    unknown_paths(&cleaned, &round_trip, "", &mut unknown_fields);
    Ok(Decoded {
        object,
        unknown_fields,
    })
}

fn drop_nulls(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), drop_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(drop_nulls).collect()),
        other => other.clone(),
    }
}

/// Input object keys absent from the output, as strict paths.
fn unknown_paths(input: &Value, output: &Value, prefix: &str, out: &mut Vec<String>) {
    match (input, output) {
        (Value::Object(i), Value::Object(o)) => {
            for (k, v) in i {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match o.get(k) {
                    Some(ov) => unknown_paths(v, ov, &path, out),
                    None if is_empty_value(v) => {}
                    None => out.push(path),
                }
            }
        }
        (Value::Array(i), Value::Array(o)) => {
            for (idx, (iv, ov)) in i.iter().zip(o).enumerate() {
                unknown_paths(iv, ov, &format!("{prefix}[{idx}]"), out);
            }
        }
        _ => {}
    }
}

/// Values a serializer may omit although the field is known.
fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Null => true,
    }
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
