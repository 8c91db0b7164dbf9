//! NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes only pods that tolerate
//! `node.kubernetes.io/unschedulable:NoSchedule`.

use crate::unstructured::JsonPointer;
use serde_json::Value;

use super::taint_toleration::tolerates;
use crate::scheduler::framework::{FilterPlugin, NodeInfo, PodInfo, Status};

pub struct NodeUnschedulable;

/// ErrReasonUnschedulable.
pub const REASON: &str = "node(s) were unschedulable";

impl FilterPlugin for NodeUnschedulable {
    fn name(&self) -> &'static str {
        "NodeUnschedulable"
    }

    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        let cordoned = node
            .node
            .at("/spec/unschedulable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !cordoned {
            return Status::success(self.name());
        }
        let taint =
            serde_json::json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"});
        if !tolerates(pod, &taint) {
            return Status::unresolvable(self.name(), REASON);
        }
        Status::success(self.name())
    }
}
