//! The node lifecycle controller's NoSchedule tainting pass (pkg/controller/nodelifecycle): a node
//! whose Ready condition is True loses the `node.kubernetes.io/not-ready:NoSchedule` taint that
//! TaintNodesByCondition gave it; a node not Ready gets it.

use serde_json::{json, Value};

use crate::client::{core, Ctx, Informer};
use crate::sim::Actor;

const NOT_READY: &str = "node.kubernetes.io/not-ready";

fn is_ready(node: &Value) -> bool {
    node.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| {
            c.get("type").and_then(Value::as_str) == Some("Ready")
                && c.get("status").and_then(Value::as_str) == Some("True")
        })
}

fn has_not_ready_taint(node: &Value) -> bool {
    node.pointer("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|t| {
            t.get("key").and_then(Value::as_str) == Some(NOT_READY)
                && t.get("effect").and_then(Value::as_str) == Some("NoSchedule")
        })
}

/// The taints the node should have, given its Ready condition.
fn desired_taints(node: &Value) -> Vec<Value> {
    let mut taints: Vec<Value> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|t| {
            t.get("key").and_then(Value::as_str) != Some(NOT_READY)
                || t.get("effect").and_then(Value::as_str) != Some("NoSchedule")
        })
        .collect();
    if !is_ready(node) {
        taints.push(json!({"key": NOT_READY, "effect": "NoSchedule"}));
    }
    taints
}

pub fn reconcile(nodes: &Informer, ctx: &mut Ctx) {
    let stale: Vec<Value> = nodes
        .list()
        .filter(|n| is_ready(n) == has_not_ready_taint(n))
        .cloned()
        .collect();
    for mut node in stale {
        let name = node
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let taints = desired_taints(&node);
        let verb = if is_ready(&node) { "remove" } else { "add" };
        ctx.note(
            Actor::ControllerManager,
            format!("node-lifecycle: {verb} {NOT_READY}:NoSchedule"),
            format!("node/{name}"),
            "Ready condition changed",
        );
        if taints.is_empty() {
            if let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("taints");
            }
        } else {
            node["spec"]["taints"] = Value::Array(taints);
        }
        ctx.update(core("nodes"), node);
    }
}
