//! The Events section of `kubectl describe` (describe.go searchEvents and DescribeEvents).

use jiff::Timestamp;
use serde_json::Value;

use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1};
use crate::kubectl::printers::duration::translate_timestamp_since;
use crate::kubectl::printers::object::{get, int_at, str_at, time_at};

/// The events searchEvents would list for `obj`: those whose involvedObject has the object's name
/// and namespace (and uid, when both carry one), and, unless `match_kind` is false (the pod
/// describer clears the reference's kind), its kind. They come back in the API server's order
/// (by name, which for recorder-made names `<object>.<hex nanoseconds>` is creation order).
pub fn events_for<'a>(obj: &Value, events: &'a [Value], match_kind: bool) -> Vec<&'a Value> {
    let name = str_at(obj, &["metadata", "name"]);
    let namespace = str_at(obj, &["metadata", "namespace"]);
    let uid = str_at(obj, &["metadata", "uid"]);
    let kind = str_at(obj, &["kind"]);
    let mut found: Vec<&Value> = events
        .iter()
        .filter(|e| {
            let involved = |field: &str| str_at(e, &["involvedObject", field]);
            involved("name") == name
                && involved("namespace") == namespace
                && (uid.is_empty() || involved("uid").is_empty() || involved("uid") == uid)
                && (!match_kind || kind.is_empty() || involved("kind") == kind)
        })
        .collect();
    found.sort_by(|a, b| str_at(a, &["metadata", "name"]).cmp(str_at(b, &["metadata", "name"])));
    found
}

fn is_set(v: &Value, path: &[&str]) -> bool {
    get(v, path)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

fn since(v: &Value, path: &[&str], now: Timestamp) -> String {
    translate_timestamp_since(get(v, path).and_then(Value::as_str), now)
}

/// The Age cell: `3s`, or `22s (x4 over 60s)` for a repeated event (series or count > 1).
fn interval(e: &Value, now: Timestamp) -> String {
    let first = if is_set(e, &["eventTime"]) {
        since(e, &["eventTime"], now)
    } else {
        since(e, &["firstTimestamp"], now)
    };
    if get(e, &["series"]).is_some_and(Value::is_object) {
        let last = since(e, &["series", "lastObservedTime"], now);
        return format!("{last} (x{} over {first})", int_at(e, &["series", "count"]));
    }
    let count = int_at(e, &["count"]);
    if count > 1 {
        let last = since(e, &["lastTimestamp"], now);
        return format!("{last} (x{count} over {first})");
    }
    first
}

/// DescribeEvents: `Events:  <none>`, or a table of Type, Reason, Age, From and Message sorted
/// by lastTimestamp (events without one first). Since v1.36 the message is prefixed by the
/// involved object's fieldPath, e.g. `spec.containers{hello}: Container created`.
pub fn describe_events(events: &[&Value], now: Timestamp, w: &mut PrefixWriter) {
    if events.is_empty() {
        w.write(LEVEL_0, "Events:\t<none>\n");
        return;
    }
    let mut sorted: Vec<&Value> = events.to_vec();
    // sort.Sort by LastTimestamp; a stable sort keeps the list order among equal times, as Go's
    // insertion sort does for short lists.
    sorted.sort_by_key(|e| time_at(e, &["lastTimestamp"]));
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let mut source = str_at(e, &["source", "component"]);
        if source.is_empty() {
            source = str_at(e, &["reportingComponent"]);
        }
        let mut message = str_at(e, &["message"]).trim().to_string();
        let field_path = str_at(e, &["involvedObject", "fieldPath"]);
        if !field_path.is_empty() {
            message = format!("{field_path}: {message}");
        }
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                str_at(e, &["type"]),
                str_at(e, &["reason"]),
                interval(e, now),
                source,
                message
            ),
        );
    }
}
