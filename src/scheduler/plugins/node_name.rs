//! NodeName: a pod that names a node (`spec.nodeName`) fits only there.

use crate::scheduler::framework::{FilterPlugin, NodeInfo, PodInfo, Status};

pub struct NodeName;

/// ErrReason.
pub const REASON: &str = "node(s) didn't match the requested node name";

impl FilterPlugin for NodeName {
    fn name(&self) -> &'static str {
        "NodeName"
    }

    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        if !pod.node_name.is_empty() && pod.node_name != node.name {
            Status::unresolvable(self.name(), REASON)
        } else {
            Status::success(self.name())
        }
    }
}
