//! Reading objects held as JSON (client-go's `unstructured` helpers): every component keeps the
//! API server's objects as `serde_json::Value`s and reads fields by JSON pointer.
//!
//! [`JsonPointer::at`] is `serde_json::Value::pointer` without its allocations: serde_json
//! unescapes every token into a new String (two `replace` calls per token) even when it holds
//! no `~`, which made pointer lookups the scheduler's largest cost.

use serde_json::Value;

/// RFC 6901 lookups that borrow their tokens.
pub trait JsonPointer {
    /// The value at `pointer` (`/metadata/name`, `/spec/containers/0`), as `Value::pointer`.
    fn at(&self, pointer: &str) -> Option<&Value>;
}

impl JsonPointer for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |target, token| {
            if token.contains('~') {
                step(target, &token.replace("~1", "/").replace("~0", "~"))
            } else {
                step(target, token)
            }
        })
    }
}

/// One token of a pointer: a key of an object or an index of an array (no sign, no leading
/// zero, as serde_json's parse_index).
fn step<'a>(target: &'a Value, token: &str) -> Option<&'a Value> {
    match target {
        Value::Object(map) => map.get(token),
        Value::Array(list) => {
            if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                return None;
            }
            token.parse::<usize>().ok().and_then(|i| list.get(i))
        }
        _ => None,
    }
}

/// The string at `pointer` (`/metadata/name`), or "" when it is missing or not a string
/// (unstructured.NestedString, errors ignored).
pub fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.at(pointer).and_then(Value::as_str).unwrap_or_default()
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

    #[test]
    fn at_agrees_with_serde_json_pointer() {
        let v = json!({
            "a": {"b/c": 1, "d~e": 2, "": 3, "list": [10, 11, 12]},
            "01": "x"
        });
        for p in [
            "",
            "/",
            "/a",
            "/a/b~1c",
            "/a/d~0e",
            "/a/",
            "/a/list/0",
            "/a/list/2",
            "/a/list/3",
            "/a/list/01",
            "/a/list/+1",
            "/a/list/-1",
            "/01",
            "a",
            "/missing/x",
            "/a/list/0/x",
        ] {
            assert_eq!(v.at(p), v.pointer(p), "{p}");
        }
    }
}
