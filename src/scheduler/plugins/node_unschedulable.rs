//! NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes only pods that tolerate
//! `node.kubernetes.io/unschedulable:NoSchedule`.

use crate::scheduler::framework::{FilterPlugin, NodeInfo, PodInfo, Status};

pub struct NodeUnschedulable;

/// ErrReasonUnschedulable.
pub const REASON: &str = "node(s) were unschedulable";

impl FilterPlugin for NodeUnschedulable {
    fn name(&self) -> &'static str {
        "NodeUnschedulable"
    }

    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        if !node.unschedulable {
            return Status::success(self.name());
        }
        let tolerated = pod
            .tolerations
            .iter()
            .any(|t| t.tolerates("node.kubernetes.io/unschedulable", "", "NoSchedule"));
        if !tolerated {
            return Status::unresolvable(self.name(), REASON);
        }
        Status::success(self.name())
    }
}
