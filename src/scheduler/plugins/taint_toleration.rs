//! TaintToleration: a node's NoSchedule and NoExecute taints keep off pods that do not tolerate
//! them; PreferNoSchedule taints only lower the score (weight 3).

use serde_json::Value;

use crate::scheduler::framework::{
    default_normalize, tolerations_of, FilterPlugin, NodeInfo, PodInfo, ScorePlugin, Status, Taint,
};

pub struct TaintToleration;

/// The v1.36 reason (the taint itself is no longer named in the message).
pub const REASON: &str = "node(s) had untolerated taint(s)";

/// Whether one of the pod's tolerations tolerates `taint` (v1.Toleration.ToleratesTaint), for
/// pods and taints held as objects (the taint eviction controller).
pub fn tolerates(pod: &Value, taint: &Value) -> bool {
    let s = |k: &str| taint.get(k).and_then(Value::as_str).unwrap_or_default();
    tolerations_of(pod)
        .iter()
        .any(|t| t.tolerates(s("key"), s("value"), s("effect")))
}

/// [`tolerates`] for a parsed pod and taint.
pub fn tolerates_taint(pod: &PodInfo, taint: &Taint) -> bool {
    pod.tolerations
        .iter()
        .any(|t| t.tolerates(&taint.key, &taint.value, &taint.effect))
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
