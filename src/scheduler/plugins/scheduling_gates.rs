//! SchedulingGates (pkg/scheduler/framework/plugins/schedulinggates): a PreEnqueue plugin; a pod
//! with `spec.schedulingGates` never enters the active queue until the gates are removed, and no
//! FailedScheduling event is recorded for it.

use crate::unstructured::JsonPointer;
use serde_json::Value;

use crate::unstructured::str_at;

pub const NAME: &str = "SchedulingGates";

fn gates(pod: &Value) -> Vec<&str> {
    pod.at("/spec/schedulingGates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|g| str_at(g, "/name"))
        .collect()
}

/// PreEnqueue: whether the pod waits for its scheduling gates.
pub fn is_gated(pod: &Value) -> bool {
    !gates(pod).is_empty()
}

/// The PreEnqueue status message (UnschedulableAndUnresolvable), Go's `%v` of the gate names:
/// `waiting for scheduling gates: [gate-a gate-b]`; None for an ungated pod.
pub fn gated_message(pod: &Value) -> Option<String> {
    let gates = gates(pod);
    (!gates.is_empty()).then(|| format!("waiting for scheduling gates: [{}]", gates.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pod_with_gates_is_held() {
        let pod = json!({"spec": {"schedulingGates": [{"name": "example.com/a"}, {"name": "b"}]}});
        assert!(is_gated(&pod));
        assert_eq!(
            gated_message(&pod).as_deref(),
            Some("waiting for scheduling gates: [example.com/a b]")
        );
        let open = json!({"spec": {"schedulingGates": []}});
        assert!(!is_gated(&open));
        assert_eq!(gated_message(&open), None);
    }
}
