//! Field-level validation errors, as `k8s.io/apimachinery/pkg/util/validation/field` builds them
//! (`errors.go` and `path.go`, v0.36): the error types, how a bad value is printed in the message
//! (`ErrorBody`), and the field path syntax (`spec.containers[0].ports[1]`, `metadata.labels[app]`).

use std::fmt;

/// A machine-readable reason, one per `field.ErrorType`. Its `cause_reason` is the metav1
/// `CauseType` the API server puts in `Status.details.causes[].reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    TooFew,
    TooShort,
    Internal,
    TypeInvalid,
}

impl ErrorType {
    /// The `metav1.CauseType` string (`ErrorType`'s underlying value in errors.go).
    pub fn cause_reason(&self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::TooFew => "FieldValueTooFew",
            ErrorType::TooShort => "FieldValueTooShort",
            ErrorType::Internal => "InternalError",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }

    /// The human phrase that starts the message (`ErrorType.String()`).
    pub fn phrase(&self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::TooFew => "Too few",
            ErrorType::TooShort => "Too short",
            ErrorType::Internal => "Internal error",
            ErrorType::TypeInvalid => "Invalid value",
        }
    }

    /// Types whose message never shows the bad value (first case of `ErrorBody`).
    fn hides_value(&self) -> bool {
        matches!(
            self,
            ErrorType::Required
                | ErrorType::Forbidden
                | ErrorType::TooLong
                | ErrorType::TooShort
                | ErrorType::Internal
        )
    }
}

/// The offending value, typed the way Go's `ErrorBody` distinguishes it: strings print with `%q`,
/// integers, floats and booleans with `%v`, anything else as `json.Marshal` would write it.
#[derive(Debug, Clone, PartialEq)]
pub enum BadValue {
    /// `field.omitValue`: only the type phrase is printed.
    Omitted,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A nil pointer or interface: printed `null`.
    Null,
    /// A struct, slice or map, already rendered as Go's `json.Marshal` does (see [`go_json`]).
    Json(String),
}

impl BadValue {
    /// Renders a `serde_json::Value` as Go's `json.Marshal` of the equivalent Go value would:
    /// strings become `Str`, integers `Int`, and composite values compact JSON.
    pub fn from_json(value: &serde_json::Value) -> BadValue {
        match value {
            serde_json::Value::Null => BadValue::Null,
            serde_json::Value::Bool(b) => BadValue::Bool(*b),
            serde_json::Value::String(s) => BadValue::Str(s.clone()),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => BadValue::Int(i),
                None => BadValue::Float(n.as_f64().unwrap_or(0.0)),
            },
            other => BadValue::Json(go_json(other)),
        }
    }

    /// A value of a Go *named* string type (`core.Protocol`, `core.PullPolicy`, ...): `ErrorBody`'s
    /// `case string` does not match it, so it is printed through `json.Marshal` (quoted, with
    /// JSON escaping rather than `%q`'s).
    pub fn named(s: &str) -> BadValue {
        BadValue::Json(go_json_string(s))
    }

    /// A list of strings, as `json.Marshal([]string{...})` prints it (`null` when `None`).
    pub fn string_list(values: Option<&[String]>) -> BadValue {
        match values {
            None => BadValue::Json("null".into()),
            Some(list) => {
                let items: Vec<String> = list.iter().map(|s| go_json_string(s)).collect();
                BadValue::Json(format!("[{}]", items.join(",")))
            }
        }
    }

    /// How the value appears after `Invalid value: ` (the `default` branch of `ErrorBody`).
    fn render(&self) -> Option<String> {
        match self {
            BadValue::Omitted => None,
            BadValue::Str(s) => Some(go_quote(s)),
            BadValue::Int(i) => Some(i.to_string()),
            BadValue::Float(f) => Some(go_float(*f)),
            BadValue::Bool(b) => Some(b.to_string()),
            BadValue::Null => Some("null".into()),
            BadValue::Json(j) => Some(j.clone()),
        }
    }
}

impl From<&str> for BadValue {
    fn from(s: &str) -> Self {
        BadValue::Str(s.to_string())
    }
}

impl From<String> for BadValue {
    fn from(s: String) -> Self {
        BadValue::Str(s)
    }
}

impl From<&String> for BadValue {
    fn from(s: &String) -> Self {
        BadValue::Str(s.clone())
    }
}

impl From<i64> for BadValue {
    fn from(i: i64) -> Self {
        BadValue::Int(i)
    }
}

impl From<i32> for BadValue {
    fn from(i: i32) -> Self {
        BadValue::Int(i64::from(i))
    }
}

impl From<bool> for BadValue {
    fn from(b: bool) -> Self {
        BadValue::Bool(b)
    }
}

/// A field-level validation error (`field.Error`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub kind: ErrorType,
    /// The field path as `field.Path.String()` renders it, e.g. `spec.containers[0].image`.
    pub field: String,
    pub bad_value: BadValue,
    pub detail: String,
}

/// `field.ErrorList`.
pub type ErrorList = Vec<FieldError>;

impl FieldError {
    fn new(kind: ErrorType, field: &Path, bad_value: BadValue, detail: impl Into<String>) -> Self {
        FieldError {
            kind,
            field: field.to_string(),
            bad_value,
            detail: detail.into(),
        }
    }

    /// `field.Required`: `Required value` (+ `: detail`).
    pub fn required(field: &Path, detail: impl Into<String>) -> Self {
        Self::new(
            ErrorType::Required,
            field,
            BadValue::Str(String::new()),
            detail,
        )
    }

    /// `field.Invalid`: `Invalid value: "x": detail`.
    pub fn invalid(field: &Path, value: impl Into<BadValue>, detail: impl Into<String>) -> Self {
        Self::new(ErrorType::Invalid, field, value.into(), detail)
    }

    /// `field.NotSupported`: `Unsupported value: "x": supported values: "a", "b"`.
    pub fn not_supported(field: &Path, value: impl Into<BadValue>, valid: &[&str]) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(ErrorType::NotSupported, field, value.into(), detail)
    }

    /// `field.Forbidden`: `Forbidden: detail`.
    pub fn forbidden(field: &Path, detail: impl Into<String>) -> Self {
        Self::new(
            ErrorType::Forbidden,
            field,
            BadValue::Str(String::new()),
            detail,
        )
    }

    /// `field.Duplicate`: `Duplicate value: "x"`.
    pub fn duplicate(field: &Path, value: impl Into<BadValue>) -> Self {
        Self::new(ErrorType::Duplicate, field, value.into(), "")
    }

    /// `field.NotFound`: `Not found: "x"`.
    pub fn not_found(field: &Path, value: impl Into<BadValue>) -> Self {
        Self::new(ErrorType::NotFound, field, value.into(), "")
    }

    /// `field.TooLong`: `Too long: may not be more than N bytes` (the value is never shown).
    pub fn too_long(field: &Path, max_length: i64) -> Self {
        let detail = if max_length >= 0 {
            let unit = if max_length == 1 { "byte" } else { "bytes" };
            format!("may not be more than {max_length} {unit}")
        } else {
            "value is too long".to_string()
        };
        Self::new(
            ErrorType::TooLong,
            field,
            BadValue::Str("<value omitted>".into()),
            detail,
        )
    }

    /// `field.TooMany`: `Too many: 21: must have at most 20 items`.
    pub fn too_many(field: &Path, actual: i64, max: i64) -> Self {
        let detail = if max >= 0 {
            let unit = if max == 1 { "item" } else { "items" };
            format!("must have at most {max} {unit}")
        } else {
            "has too many items".to_string()
        };
        let value = if actual >= 0 {
            BadValue::Int(actual)
        } else {
            BadValue::Omitted
        };
        Self::new(ErrorType::TooMany, field, value, detail)
    }

    /// `field.InternalError`: `Internal error: message`.
    pub fn internal(field: &Path, message: impl Into<String>) -> Self {
        Self::new(ErrorType::Internal, field, BadValue::Null, message)
    }

    /// `field.TypeInvalid`.
    pub fn type_invalid(
        field: &Path,
        value: impl Into<BadValue>,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(ErrorType::TypeInvalid, field, value.into(), detail)
    }

    /// The message without the field name (`Error.ErrorBody()`), the `message` of a Status cause.
    pub fn body(&self) -> String {
        let mut s = self.kind.phrase().to_string();
        if !self.kind.hides_value() {
            if let Some(value) = self.bad_value.render() {
                s.push_str(": ");
                s.push_str(&value);
            }
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    /// `field: body`, as `Error.Error()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

impl std::error::Error for FieldError {}

/// Drops errors whose full message repeats an earlier one, keeping order, as
/// `ErrorList.ToAggregate()` does before the API server formats `... is invalid: ...`.
pub fn dedup(list: &[FieldError]) -> ErrorList {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for err in list {
        if seen.insert(err.to_string()) {
            out.push(err.clone());
        }
    }
    out
}

/// The aggregate message (`utilerrors.Aggregate.Error()` after `ToAggregate`): the single message,
/// or `[a, b]` for several. `None` for an empty list.
pub fn aggregate_message(list: &[FieldError]) -> Option<String> {
    let unique = dedup(list);
    match unique.as_slice() {
        [] => None,
        [one] => Some(one.to_string()),
        many => {
            let msgs: Vec<String> = many.iter().map(|e| e.to_string()).collect();
            Some(format!("[{}]", msgs.join(", ")))
        }
    }
}

/// A field path being built (`field.Path`): `Path::new("spec").child("containers").index(0)`
/// renders `spec.containers[0]`; `.key("app")` renders `[app]` (no quotes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path(String);

impl Path {
    /// `field.NewPath(name)`. An empty root renders as `[]`, as Go does.
    pub fn new(root: &str) -> Path {
        if root.is_empty() {
            Path("[]".into())
        } else {
            Path(root.to_string())
        }
    }

    /// `Path.Child(name)`.
    pub fn child(&self, name: &str) -> Path {
        if name.is_empty() {
            Path(format!("{}[]", self.0))
        } else {
            Path(format!("{}.{}", self.0, name))
        }
    }

    /// `Path.Index(i)`.
    pub fn index(&self, i: usize) -> Path {
        Path(format!("{}[{}]", self.0, i))
    }

    /// `Path.Key(k)`.
    pub fn key(&self, k: &str) -> Path {
        Path(format!("{}[{}]", self.0, k))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Go's `strconv.Quote` (what `%q` prints for a string): printable runes kept, `"` and `\`
/// escaped, control characters as `\n`, `\t`, `\x01`, `\u0085`...
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space; not control, format or other space characters.
fn go_is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    // Format characters (Cf) that Go does not consider printable.
    !matches!(
        c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
            | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
    )
}

/// Go's `%v` for a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`), for the common cases.
fn go_float(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        format!("{f}")
    }
}

/// A JSON string as Go's `json.Marshal` writes it: HTML-sensitive `<`, `>`, `&` and the line
/// separators U+2028/U+2029 escaped as `\u003c`..., control characters as `\n` or `\u00XX`.
pub fn go_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Compact JSON as Go's `json.Marshal` writes a map or slice (keys sorted, Go string escaping).
pub fn go_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => go_json_string(s),
        serde_json::Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(go_json).collect();
            format!("[{}]", parts.join(","))
        }
        serde_json::Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}:{}", go_json_string(k), go_json(v)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_string_value_is_quoted() {
        let e = FieldError::invalid(&Path::new("metadata").child("name"), "My_Pod", "bad name");
        assert_eq!(
            e.to_string(),
            r#"metadata.name: Invalid value: "My_Pod": bad name"#
        );
        assert_eq!(e.body(), r#"Invalid value: "My_Pod": bad name"#);
        assert_eq!(e.kind.cause_reason(), "FieldValueInvalid");
    }

    #[test]
    fn required_hides_the_value() {
        let p = Path::new("spec")
            .child("containers")
            .index(0)
            .child("image");
        let e = FieldError::required(&p, "");
        assert_eq!(e.to_string(), "spec.containers[0].image: Required value");
        assert_eq!(e.kind.cause_reason(), "FieldValueRequired");
        let e = FieldError::required(
            &Path::new("metadata").child("name"),
            "name or generateName is required",
        );
        assert_eq!(
            e.to_string(),
            "metadata.name: Required value: name or generateName is required"
        );
    }

    #[test]
    fn not_supported_lists_quoted_values() {
        let p = Path::new("spec")
            .child("containers")
            .index(0)
            .child("imagePullPolicy");
        let e = FieldError::not_supported(&p, "Foo", &["Always", "IfNotPresent", "Never"]);
        assert_eq!(
            e.to_string(),
            r#"spec.containers[0].imagePullPolicy: Unsupported value: "Foo": supported values: "Always", "IfNotPresent", "Never""#
        );
        assert_eq!(e.kind.cause_reason(), "FieldValueNotSupported");
    }

    #[test]
    fn integers_print_bare() {
        let p = Path::new("spec").child("ports").index(0).child("port");
        let e = FieldError::invalid(&p, 70000i64, "must be between 1 and 65535, inclusive");
        assert_eq!(
            e.to_string(),
            "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"
        );
    }

    #[test]
    fn too_long_and_too_many() {
        let e = FieldError::too_long(&Path::new("metadata").child("annotations"), 262144);
        assert_eq!(
            e.to_string(),
            "metadata.annotations: Too long: may not be more than 262144 bytes"
        );
        let e = FieldError::too_many(&Path::new("x"), 21, 20);
        assert_eq!(e.to_string(), "x: Too many: 21: must have at most 20 items");
        let e = FieldError::too_many(&Path::new("x"), -1, 1);
        assert_eq!(e.to_string(), "x: Too many: must have at most 1 item");
    }

    #[test]
    fn paths_render_like_go() {
        assert_eq!(
            Path::new("metadata").child("labels").key("app").to_string(),
            "metadata.labels[app]"
        );
        assert_eq!(Path::new("").to_string(), "[]");
        assert_eq!(
            Path::new("spec").child("volumes").index(2).to_string(),
            "spec.volumes[2]"
        );
    }

    #[test]
    fn forbidden_and_duplicate() {
        let e = FieldError::forbidden(
            &Path::new("spec"),
            "pod updates may not add or remove containers",
        );
        assert_eq!(
            e.to_string(),
            "spec: Forbidden: pod updates may not add or remove containers"
        );
        let e = FieldError::duplicate(
            &Path::new("spec").child("containers").index(1).child("name"),
            "app",
        );
        assert_eq!(
            e.to_string(),
            r#"spec.containers[1].name: Duplicate value: "app""#
        );
        assert_eq!(e.kind.cause_reason(), "FieldValueDuplicate");
    }

    #[test]
    fn json_values_use_go_escaping() {
        let v = serde_json::json!({"b": "<x>", "a": [1, 2]});
        assert_eq!(go_json(&v), r#"{"a":[1,2],"b":"\u003cx\u003e"}"#);
        assert_eq!(
            BadValue::string_list(Some(&["a".into(), "b".into()]))
                .render()
                .unwrap(),
            r#"["a","b"]"#
        );
        let e = FieldError::invalid(&Path::new("f"), BadValue::Null, "d");
        assert_eq!(e.to_string(), "f: Invalid value: null: d");
    }

    #[test]
    fn go_quote_escapes_controls() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
    }

    #[test]
    fn aggregate_dedups_and_brackets() {
        let a = FieldError::required(&Path::new("a"), "");
        let b = FieldError::required(&Path::new("b"), "");
        assert_eq!(
            aggregate_message(std::slice::from_ref(&a)).unwrap(),
            "a: Required value"
        );
        assert_eq!(
            aggregate_message(&[a.clone(), b, a]).unwrap(),
            "[a: Required value, b: Required value]"
        );
        assert_eq!(aggregate_message(&[]), None);
    }
}
