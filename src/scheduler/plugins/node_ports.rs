//! NodePorts: a pod asking for a hostPort fits only where no other pod holds that port.

use crate::scheduler::framework::{host_ports, FilterPlugin, NodeInfo, PodInfo, Status};

pub struct NodePorts;

/// ErrReason.
pub const REASON: &str = "node(s) didn't have free ports for the requested pod ports";

impl FilterPlugin for NodePorts {
    fn name(&self) -> &'static str {
        "NodePorts"
    }

    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        let wanted = host_ports(pod);
        if wanted.is_empty() {
            return Status::success(self.name());
        }
        let taken = node.pods.iter().flat_map(|p| &p.host_ports);
        if taken.into_iter().any(|t| wanted.contains(t)) {
            Status::unschedulable(self.name(), REASON)
        } else {
            Status::success(self.name())
        }
    }
}
