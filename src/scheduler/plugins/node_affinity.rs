//! NodeAffinity: `spec.nodeSelector` and required node affinity filter nodes; preferred node
//! affinity terms add their weights to the score (weight 2).

use crate::unstructured::JsonPointer;
use serde_json::Value;

use crate::scheduler::framework::{
    default_normalize, FilterPlugin, NodeInfo, PodInfo, ScorePlugin, Status,
};

pub struct NodeAffinity;

/// ErrReasonPod.
pub const REASON: &str = "node(s) didn't match Pod's node affinity/selector";

/// The node's labels as stored (no copy: this runs for every node of every cycle).
fn node_labels(node: &Value) -> Option<&serde_json::Map<String, Value>> {
    node.get("metadata")?.get("labels")?.as_object()
}

/// Whether a NodeSelectorTerm holds for the node: all its matchExpressions on the node's labels
/// and all its matchFields on the node's fields (only `metadata.name`, as the DaemonSet controller
/// pins its pods). A term with neither matches no node (component-helpers nodeaffinity:
/// newNodeSelectorTerm gives an empty term the Nothing selector).
pub fn term_matches(term: &Value, node: &Value) -> bool {
    let list = |key: &str| {
        term.get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let (exprs, fields) = (list("matchExpressions"), list("matchFields"));
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    expressions_match(exprs, node) && fields.iter().all(|f| field_matches(f, node))
}

/// A matchFields requirement: `metadata.name` with In or NotIn; any other field matches nothing.
fn field_matches(requirement: &Value, node: &Value) -> bool {
    let name = node
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut values = requirement
        .get("values")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    let key = requirement.get("key").and_then(Value::as_str);
    match (key, requirement.get("operator").and_then(Value::as_str)) {
        (Some("metadata.name"), Some("In")) => values.any(|v| v == name),
        (Some("metadata.name"), Some("NotIn")) => values.all(|v| v != name),
        _ => false,
    }
}

/// Whether every matchExpressions requirement holds for the node's labels.
fn expressions_match(exprs: &[Value], node: &Value) -> bool {
    let labels = node_labels(node);
    exprs.iter().all(|e| {
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let have = labels.and_then(|l| l.get(key)).and_then(Value::as_str);
        match e
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default()
        {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => have.is_none_or(|h| !values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            "Gt" | "Lt" => {
                let (Some(h), Some(v)) = (
                    have.and_then(|h| h.parse::<i64>().ok()),
                    values.first().and_then(|v| v.parse::<i64>().ok()),
                ) else {
                    return false;
                };
                if e.get("operator").and_then(Value::as_str) == Some("Gt") {
                    h > v
                } else {
                    h < v
                }
            }
            _ => false,
        }
    })
}

/// Whether the pod's nodeSelector and required node affinity admit the node.
pub fn required_matches(pod: &Value, node: &Value) -> bool {
    let labels = node_labels(node);
    let selector_ok = pod
        .at("/spec/nodeSelector")
        .and_then(Value::as_object)
        .is_none_or(|sel| {
            sel.iter()
                .all(|(k, v)| labels.and_then(|l| l.get(k)).and_then(Value::as_str) == v.as_str())
        });
    let terms = pod
        .at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array);
    let affinity_ok = terms.is_none_or(|terms| terms.iter().any(|t| term_matches(t, node)));
    selector_ok && affinity_ok
}

/// [`required_matches`] with the pod's and node's fields parsed once.
pub fn required_matches_info(pod: &PodInfo, node: &NodeInfo) -> bool {
    let selector_ok = pod.node_selector.as_ref().is_none_or(|sel| {
        sel.iter()
            .all(|(k, v)| node.labels.get(k).map(String::as_str) == v.as_deref())
    });
    let affinity_ok = pod
        .required_node_terms
        .as_ref()
        .is_none_or(|terms| terms.iter().any(|t| term_matches(t, &node.node)));
    selector_ok && affinity_ok
}

impl FilterPlugin for NodeAffinity {
    fn name(&self) -> &'static str {
        "NodeAffinity"
    }

    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        if required_matches_info(pod, node) {
            Status::success(FilterPlugin::name(self))
        } else {
            Status::unresolvable(FilterPlugin::name(self), REASON)
        }
    }
}

impl ScorePlugin for NodeAffinity {
    fn name(&self) -> &'static str {
        "NodeAffinity"
    }

    fn weight(&self) -> i64 {
        2
    }

    fn score(&self, pod: &PodInfo, node: &NodeInfo) -> i64 {
        pod.preferred_node_terms
            .iter()
            .filter(|(_, term)| term_matches(term, &node.node))
            .map(|(weight, _)| weight)
            .sum()
    }

    fn normalize(&self, scores: &mut [i64]) {
        default_normalize(scores, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str) -> Value {
        json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}}})
    }

    fn pinned_to(name: &str) -> Value {
        json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [
                {"key": "metadata.name", "operator": "In", "values": [name]}
            ]}]
        }}}}})
    }

    #[test]
    fn match_fields_pin_a_daemon_set_pod_to_its_node() {
        let pod = pinned_to("worker-2");
        assert!(required_matches(&pod, &node("worker-2")));
        assert!(!required_matches(&pod, &node("worker-1")));
        let not_in = json!({"matchFields": [
            {"key": "metadata.name", "operator": "NotIn", "values": ["worker-1"]}
        ]});
        assert!(term_matches(&not_in, &node("worker-2")));
        assert!(!term_matches(&not_in, &node("worker-1")));
    }

    #[test]
    fn an_empty_term_matches_no_node() {
        assert!(!term_matches(&json!({}), &node("worker-1")));
        let exists = json!({"matchExpressions": [
            {"key": "kubernetes.io/hostname", "operator": "Exists"}
        ]});
        assert!(term_matches(&exists, &node("worker-1")));
    }
}
