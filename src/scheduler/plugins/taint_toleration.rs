//! TaintToleration: a node's NoSchedule and NoExecute taints keep off pods that do not tolerate
//! them; PreferNoSchedule taints only lower the score (weight 3).

use crate::unstructured::JsonPointer;
use serde_json::Value;

use crate::scheduler::framework::{default_normalize, FilterPlugin, NodeInfo, ScorePlugin, Status};

pub struct TaintToleration;

/// The v1.36 reason (the taint itself is no longer named in the message).
pub const REASON: &str = "node(s) had untolerated taint(s)";

/// Whether one of the pod's tolerations tolerates `taint` (v1.Toleration.ToleratesTaint).
pub fn tolerates(pod: &Value, taint: &Value) -> bool {
    let s = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (key, value, effect) = (s(taint, "key"), s(taint, "value"), s(taint, "effect"));
    pod.at("/spec/tolerations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|t| {
            let t_effect = s(t, "effect");
            if !t_effect.is_empty() && t_effect != effect {
                return false;
            }
            let t_key = s(t, "key");
            if !t_key.is_empty() && t_key != key {
                return false;
            }
            match s(t, "operator").as_str() {
                "Exists" => true,
                "" | "Equal" => s(t, "value") == value,
                _ => false,
            }
        })
}

fn taints(node: &NodeInfo) -> &[Value] {
    node.node
        .get("spec")
        .and_then(|s| s.get("taints"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

impl FilterPlugin for TaintToleration {
    fn name(&self) -> &'static str {
        "TaintToleration"
    }

    fn filter(&self, pod: &Value, node: &NodeInfo) -> Status {
        let untolerated = taints(node).iter().any(|t| {
            let effect = t.get("effect").and_then(Value::as_str).unwrap_or_default();
            matches!(effect, "NoSchedule" | "NoExecute") && !tolerates(pod, t)
        });
        if untolerated {
            Status::unresolvable(FilterPlugin::name(self), REASON)
        } else {
            Status::success(FilterPlugin::name(self))
        }
    }
}

impl ScorePlugin for TaintToleration {
    fn name(&self) -> &'static str {
        "TaintToleration"
    }

    fn weight(&self) -> i64 {
        3
    }

    /// The number of PreferNoSchedule taints the pod does not tolerate (fewer is better).
    fn score(&self, pod: &Value, node: &NodeInfo) -> i64 {
        taints(node)
            .iter()
            .filter(|t| {
                t.get("effect").and_then(Value::as_str) == Some("PreferNoSchedule")
                    && !tolerates(pod, t)
            })
            .count() as i64
    }

    fn normalize(&self, scores: &mut [i64]) {
        default_normalize(scores, true);
    }
}
