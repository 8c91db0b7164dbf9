//! `kubectl get -o json` (cli-runtime printers/json.go JSONPrinter): Go's
//! `json.MarshalIndent(obj, "", "    ")` plus a newline. Maps come out with their keys in byte
//! order, strings with Go's escaping (`<`, `>`, `&`, U+2028 and U+2029 as `\u003c`...), and empty
//! objects and arrays as `{}` and `[]`.

use serde_json::Value;

use super::gofmt::{classify, format_float_json, GoNumber};

const INDENT: &str = "    ";

/// Prints `v` as `kubectl get -o json` does (the text ends with a newline).
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0);
    out.push('\n');
    out
}

/// Go's compact `json.Marshal` form of `v`, as jsonpath prints maps and lists.
pub fn to_compact_json(v: &Value) -> String {
    let mut out = String::new();
    write_compact(&mut out, v);
    out
}

fn write_newline_indent(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str(INDENT);
    }
}

fn write_value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_newline_indent(out, level + 1);
                write_value(out, item, level + 1);
            }
            write_newline_indent(out, level);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_newline_indent(out, level + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, value, level + 1);
            }
            write_newline_indent(out, level);
            out.push('}');
        }
        other => write_compact(out, other),
    }
}

fn write_compact(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match classify(n) {
            GoNumber::Int(i) => out.push_str(&i.to_string()),
            GoNumber::Float(f) => out.push_str(&format_float_json(f)),
        },
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_compact(out, value);
            }
            out.push('}');
        }
    }
}

/// encoding/json's string encoder with HTML escaping on (the default).
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indents_by_four_spaces_with_sorted_keys() {
        let v = json!({"kind": "List", "apiVersion": "v1", "items": [], "metadata": {"resourceVersion": ""}});
        assert_eq!(
            to_json(&v),
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
        );
    }

    #[test]
    fn nested_arrays_and_empty_objects() {
        let v = json!({"a": [1, {"b": {}}]});
        assert_eq!(
            to_json(&v),
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": {}\n        }\n    ]\n}\n"
        );
    }

    #[test]
    fn escapes_as_go_does() {
        let mut s = String::new();
        write_string(&mut s, "<a & b>\u{1}\u{2028}é\"\\\t");
        assert_eq!(s, "\"\\u003ca \\u0026 b\\u003e\\u0001\\u2028é\\\"\\\\\\t\"");
    }

    #[test]
    fn compact_form_for_jsonpath() {
        let v = json!({"serving": true, "ready": false, "terminating": false});
        assert_eq!(
            to_compact_json(&v),
            "{\"ready\":false,\"serving\":true,\"terminating\":false}"
        );
        assert_eq!(to_compact_json(&json!(["10.244.5.2"])), "[\"10.244.5.2\"]");
    }
}
