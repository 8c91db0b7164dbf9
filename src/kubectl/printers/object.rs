//! Small accessors for API objects held as JSON, shared by the printers and `describe`. Missing
//! fields read as Go's zero values (empty string, 0, empty list), as they do in kubectl's typed
//! structs.

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::duration::parse_time;

/// The value at `path` (object keys), if every step exists.
pub fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, key| cur.get(key))
}

/// The string at `path`, or "" (Go's zero value).
pub fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    get(v, path).and_then(Value::as_str).unwrap_or("")
}

/// The integer at `path`, or 0.
pub fn int_at(v: &Value, path: &[&str]) -> i64 {
    get(v, path).map_or(0, as_int)
}

/// A JSON number as an integer (floats truncated), 0 for anything else.
pub fn as_int(v: &Value) -> i64 {
    v.as_i64()
        .or_else(|| v.as_u64().map(|u| u.min(i64::MAX as u64) as i64))
        .or_else(|| v.as_f64().map(|f| f as i64))
        .unwrap_or(0)
}

/// The boolean at `path`, or false.
pub fn bool_at(v: &Value, path: &[&str]) -> bool {
    get(v, path).and_then(Value::as_bool).unwrap_or(false)
}

/// The list at `path`, or an empty one.
pub fn list_at<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The map at `path`, if there is one.
pub fn map_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    get(v, path).and_then(Value::as_object)
}

/// The timestamp at `path`, if set and well formed.
pub fn time_at(v: &Value, path: &[&str]) -> Option<Timestamp> {
    get(v, path).and_then(Value::as_str).and_then(parse_time)
}

/// The string values of a string map (labels, selectors, annotations), sorted by key.
pub fn string_pairs(map: Option<&Map<String, Value>>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = map
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    pairs.sort();
    pairs
}

/// labels.FormatLabels: `k=v` pairs sorted by key and joined by commas, `<none>` when empty.
pub fn format_labels(map: Option<&Map<String, Value>>) -> String {
    let pairs = string_pairs(map);
    if pairs.is_empty() {
        return "<none>".to_string();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A metav1.LabelSelector as labels.Selector.String() prints it (requirements sorted by key:
/// `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`); "" for an empty selector. `None` when
/// the selector is invalid (an unknown operator).
pub fn label_selector_string(selector: Option<&Value>) -> Option<String> {
    let Some(selector) = selector.filter(|s| !s.is_null()) else {
        return Some(String::new());
    };
    let mut requirements: Vec<(String, String)> = Vec::new();
    for (k, v) in string_pairs(map_at(selector, &["matchLabels"])) {
        requirements.push((k.clone(), format!("{k}={v}")));
    }
    for expr in list_at(selector, &["matchExpressions"]) {
        let key = str_at(expr, &["key"]);
        let mut values: Vec<&str> = list_at(expr, &["values"])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        values.sort_unstable();
        values.dedup();
        let text = match str_at(expr, &["operator"]) {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            _ => return None,
        };
        requirements.push((key.to_string(), text));
    }
    requirements.sort_by(|a, b| a.0.cmp(&b.0));
    Some(
        requirements
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// metav1.FormatLabelSelector: the selector string, `<none>` when empty, `<error>` when invalid.
pub fn format_label_selector(selector: Option<&Value>) -> String {
    match label_selector_string(selector) {
        None => "<error>".to_string(),
        Some(s) if s.is_empty() => "<none>".to_string(),
        Some(s) => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_and_selectors() {
        let labels = json!({"tier": "frontend", "app": "web"});
        assert_eq!(format_labels(labels.as_object()), "app=web,tier=frontend");
        assert_eq!(format_labels(None), "<none>");
        let sel = json!({"matchLabels": {"pod-template-hash": "6b986df65f", "app": "hello"}});
        assert_eq!(
            format_label_selector(Some(&sel)),
            "app=hello,pod-template-hash=6b986df65f"
        );
        let sel = json!({"matchExpressions": [{"key": "env", "operator": "In", "values": ["b", "a"]}, {"key": "x", "operator": "DoesNotExist"}]});
        assert_eq!(format_label_selector(Some(&sel)), "env in (a,b),!x");
        assert_eq!(format_label_selector(Some(&json!({}))), "<none>");
    }
}
