//! Reading objects held as JSON (client-go's `unstructured` helpers): every component keeps the
//! API server's objects as `serde_json::Value`s and reads fields by JSON pointer.

use serde_json::Value;

/// The string at `pointer` (`/metadata/name`), or "" when it is missing or not a string
/// (unstructured.NestedString, errors ignored).
pub fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_and_mistyped_fields_read_as_empty() {
        let pod = json!({"metadata": {"name": "web", "labels": ["x"]}});
        assert_eq!(str_at(&pod, "/metadata/name"), "web");
        assert_eq!(str_at(&pod, "/metadata/labels"), "");
        assert_eq!(str_at(&pod, "/spec/nodeName"), "");
    }
}
