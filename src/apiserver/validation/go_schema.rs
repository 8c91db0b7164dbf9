//! The Go shape of the API types, for doing what Go's JSON decoder does with them: which JSON keys
//! a struct knows, what Go type each field has (and so which JSON values it accepts), and how
//! `reflect.Type.String()` names that type in a decoding error (`int32`, `v1.Protocol`,
//! `[]v1.Container`, `map[string]string`, `v1.ResourceList`). The tables are in
//! [`super::go_schema_data`].

use std::collections::HashMap;
use std::sync::OnceLock;

use super::go_schema_data::DATA;

/// The tables, parsed once.
pub struct Schema {
    /// Struct key (`core/v1.Container`) → fields, with inline embedded structs flattened.
    structs: HashMap<&'static str, Vec<(&'static str, &'static str)>>,
    /// Named non-struct type key → underlying type.
    named: HashMap<&'static str, &'static str>,
}

/// What a Go type is, once pointers and names are looked through (the `reflect.Kind` that decides
/// how the decoder treats a JSON value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<'a> {
    /// A string or a named string type.
    Str,
    /// A signed integer of this many bits.
    Int(u32),
    /// An unsigned integer of this many bits.
    Uint(u32),
    Float,
    Bool,
    /// `[]byte`: base64 in JSON.
    Bytes,
    Slice(&'a str),
    Map(&'a str, &'a str),
    Struct(&'a str),
    /// `resource.Quantity` (a `json.Unmarshaler`).
    Quantity,
    /// `intstr.IntOrString` (a `json.Unmarshaler`).
    IntOrString,
    /// `metav1.Time` / `metav1.MicroTime` (`json.Unmarshaler`s reading an RFC 3339 string).
    Time,
    /// `metav1.Duration` (a `json.Unmarshaler` reading a Go duration string).
    Duration,
    /// `runtime.RawExtension`, `metav1.FieldsV1`, `interface{}`: any JSON value.
    Any,
}

fn parse() -> Schema {
    let mut raw: HashMap<&'static str, Vec<(&'static str, &'static str, bool)>> = HashMap::new();
    let mut named = HashMap::new();
    for line in DATA.lines() {
        let mut parts = line.split(' ');
        match (parts.next(), parts.next()) {
            (Some("N"), Some(name)) => {
                if let Some(underlying) = parts.next() {
                    named.insert(name, underlying);
                }
            }
            (Some("S"), Some(name)) => {
                let fields = parts
                    .filter_map(|f| f.split_once(':'))
                    .map(|(json, ty)| match json.strip_prefix('~') {
                        Some(_) => ("", ty, true),
                        None => (json, ty, false),
                    })
                    .collect();
                raw.insert(name, fields);
            }
            _ => {}
        }
    }
    let mut structs = HashMap::new();
    for name in raw.keys() {
        let mut out = Vec::new();
        flatten(&raw, name, &mut out, 0);
        structs.insert(*name, out);
    }
    Schema { structs, named }
}

/// Expands inline embedded structs into their fields (Go's promoted fields), depth-limited.
fn flatten(
    raw: &HashMap<&'static str, Vec<(&'static str, &'static str, bool)>>,
    name: &str,
    out: &mut Vec<(&'static str, &'static str)>,
    depth: usize,
) {
    let Some(fields) = raw.get(name) else { return };
    for (json, ty, inline) in fields {
        if *inline {
            if depth < 4 {
                flatten(raw, ty.trim_start_matches('*'), out, depth + 1);
            }
        } else {
            out.push((json, ty));
        }
    }
}

/// The parsed tables.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(parse)
}

/// The root struct of a kind (`Pod` → `core/v1.Pod`, `Deployment` → `apps/v1.Deployment`).
pub fn root_for_kind(kind: &str) -> Option<&'static str> {
    let s = schema();
    ["core/v1", "apps/v1", "batch/v1", "discovery/v1"]
        .iter()
        .map(|pkg| format!("{pkg}.{kind}"))
        .find_map(|k| s.structs.get_key_value(k.as_str()).map(|(key, _)| *key))
}

impl Schema {
    /// The fields of a struct, inline structs flattened.
    pub fn fields(&self, key: &str) -> &[(&'static str, &'static str)] {
        self.structs.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The Go type of field `json` of struct `key`.
    pub fn field_type(&self, key: &str, json: &str) -> Option<&'static str> {
        self.fields(key)
            .iter()
            .find(|(j, _)| *j == json)
            .map(|(_, t)| *t)
    }

    /// What a type is after dereferencing pointers and resolving names.
    pub fn kind<'a>(&'a self, ty: &'a str) -> Kind<'a> {
        let mut ty = ty;
        for _ in 0..8 {
            ty = ty.trim_start_matches('*');
            match special(ty) {
                Some(k) => return k,
                None => match self.named.get(ty) {
                    Some(u) => ty = u,
                    None => break,
                },
            }
        }
        if let Some(elem) = ty.strip_prefix("[]") {
            return if elem == "byte" || elem == "uint8" {
                Kind::Bytes
            } else {
                Kind::Slice(elem)
            };
        }
        if let Some(rest) = ty.strip_prefix("map[") {
            if let Some((k, v)) = split_map(rest) {
                return Kind::Map(k, v);
            }
        }
        match ty {
            "string" => Kind::Str,
            "bool" => Kind::Bool,
            "int8" => Kind::Int(8),
            "int16" => Kind::Int(16),
            "int32" => Kind::Int(32),
            "int64" | "int" => Kind::Int(64),
            "uint8" | "byte" => Kind::Uint(8),
            "uint16" => Kind::Uint(16),
            "uint32" => Kind::Uint(32),
            "uint64" | "uint" => Kind::Uint(64),
            "float32" | "float64" => Kind::Float,
            _ if self.structs.contains_key(ty) => Kind::Struct(ty),
            _ => Kind::Any,
        }
    }

    /// Whether the type, pointers looked through, is a pointer (`*int64`, `*v1.PodSecurityContext`).
    pub fn is_pointer(ty: &str) -> bool {
        ty.starts_with('*')
    }
}

fn special(ty: &str) -> Option<Kind<'static>> {
    match ty {
        "resource.Quantity" => Some(Kind::Quantity),
        "intstr.IntOrString" => Some(Kind::IntOrString),
        "meta/v1.Time" | "meta/v1.MicroTime" => Some(Kind::Time),
        "meta/v1.Duration" => Some(Kind::Duration),
        "types.UID" => Some(Kind::Str),
        "runtime.RawExtension" | "meta/v1.FieldsV1" | "interface{}" => Some(Kind::Any),
        _ => None,
    }
}

/// Splits `K]V` of a map type, honouring nested brackets in K.
fn split_map(rest: &str) -> Option<(&str, &str)> {
    let mut depth = 0;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some((&rest[..i], &rest[i + 1..])),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// How Go's `reflect.Type.String()` names a type: packages by their last path element
/// (`core/v1.Container` → `v1.Container`), `[]byte` as `[]uint8`.
pub fn display(ty: &str) -> String {
    if let Some(rest) = ty.strip_prefix('*') {
        return format!("*{}", display(rest));
    }
    if let Some(elem) = ty.strip_prefix("[]") {
        return format!(
            "[]{}",
            if elem == "byte" {
                "uint8".to_string()
            } else {
                display(elem)
            }
        );
    }
    if let Some(rest) = ty.strip_prefix("map[") {
        if let Some((k, v)) = split_map(rest) {
            return format!("map[{}]{}", display(k), display(v));
        }
    }
    if ty == "interface{}" {
        return "interface {}".into();
    }
    match ty.rsplit_once('/') {
        Some((_, last)) => last.to_string(),
        None => ty.to_string(),
    }
}

/// The name an error gives the type a value is decoded into: pointers are looked through
/// (the decoder allocates them before storing).
pub fn display_target(ty: &str) -> String {
    display(ty.trim_start_matches('*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_names() {
        let s = schema();
        let pod = root_for_kind("Pod").unwrap();
        assert_eq!(pod, "core/v1.Pod");
        let spec = s.field_type(pod, "spec").unwrap();
        assert_eq!(display_target(spec), "v1.PodSpec");
        assert!(
            s.field_type(pod, "apiVersion").is_some(),
            "TypeMeta is inline"
        );
        let containers = s.field_type("core/v1.PodSpec", "containers").unwrap();
        assert_eq!(display(containers), "[]v1.Container");
        assert_eq!(s.kind(containers), Kind::Slice("core/v1.Container"));
        let port = s
            .field_type("core/v1.ContainerPort", "containerPort")
            .unwrap();
        assert_eq!(s.kind(port), Kind::Int(32));
        let protocol = s.field_type("core/v1.ContainerPort", "protocol").unwrap();
        assert_eq!(
            (s.kind(protocol), display(protocol).as_str()),
            (Kind::Str, "v1.Protocol")
        );
        let limits = s
            .field_type("core/v1.ResourceRequirements", "limits")
            .unwrap();
        assert_eq!(display(limits), "v1.ResourceList");
        assert_eq!(
            s.kind(limits),
            Kind::Map("core/v1.ResourceName", "resource.Quantity")
        );
        let labels = s.field_type("meta/v1.ObjectMeta", "labels").unwrap();
        assert_eq!(display(labels), "map[string]string");
        let grace = s
            .field_type("core/v1.PodSpec", "terminationGracePeriodSeconds")
            .unwrap();
        assert_eq!(
            (s.kind(grace), display_target(grace).as_str()),
            (Kind::Int(64), "int64")
        );
        assert!(
            s.field_type("core/v1.Volume", "emptyDir").is_some(),
            "VolumeSource is inline"
        );
        assert_eq!(display("map[string][]byte"), "map[string][]uint8");
        assert_eq!(root_for_kind("Deployment"), Some("apps/v1.Deployment"));
    }
}
