//! TaintToleration: a node's NoSchedule and NoExecute taints keep off pods that do not tolerate
//! them; PreferNoSchedule taints only lower the score (weight 3).

use crate::unstructured::JsonPointer;
use serde_json::Value;

use crate::scheduler::framework::{
    default_normalize, FilterPlugin, NodeInfo, PodInfo, ScorePlugin, Status, Taint,
};

pub struct TaintToleration;

/// The v1.36 reason (the taint itself is no longer named in the message).
pub const REASON: &str = "node(s) had untolerated taint(s)";

/// Whether one of the pod's tolerations tolerates `taint` (v1.Toleration.ToleratesTaint).
pub fn tolerates(pod: &Value, taint: &Value) -> bool {
    let s = |k: &str| taint.get(k).and_then(Value::as_str).unwrap_or_default();
    tolerates_parts(pod, s("key"), s("value"), s("effect"))
}

/// [`tolerates`] for a parsed pod and taint.
pub fn tolerates_taint(pod: &PodInfo, taint: &Taint) -> bool {
    pod.tolerations
        .iter()
        .any(|t| t.tolerates(&taint.key, &taint.value, &taint.effect))
}

fn field<'a>(t: &'a Value, k: &str) -> &'a str {
    t.get(k).and_then(Value::as_str).unwrap_or_default()
}

fn tolerates_parts(pod: &Value, key: &str, value: &str, effect: &str) -> bool {
    pod.at("/spec/tolerations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|t| {
            let t_effect = field(t, "effect");
            if !t_effect.is_empty() && t_effect != effect {
                return false;
            }
            let t_key = field(t, "key");
            if !t_key.is_empty() && t_key != key {
                return false;
            }
            match field(t, "operator") {
                "Exists" => true,
                "" | "Equal" => field(t, "value") == value,
                _ => false,
            }
        })
}

impl FilterPlugin for TaintToleration {
    fn name(&self) -> &'static str {
        "TaintToleration"
    }

    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        let untolerated = node.taints.iter().any(|t| {
            matches!(t.effect.as_str(), "NoSchedule" | "NoExecute") && !tolerates_taint(pod, t)
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
    fn score(&self, pod: &PodInfo, node: &NodeInfo) -> i64 {
        node.taints
            .iter()
            .filter(|t| t.effect == "PreferNoSchedule" && !tolerates_taint(pod, t))
            .count() as i64
    }

    fn normalize(&self, scores: &mut [i64]) {
        default_normalize(scores, true);
    }
}
