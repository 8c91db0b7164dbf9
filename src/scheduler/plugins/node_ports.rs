//! NodePorts: a pod asking for a hostPort fits only where no other pod holds that port.

use crate::unstructured::JsonPointer;
use serde_json::Value;

use crate::scheduler::framework::{FilterPlugin, NodeInfo, Status};

pub struct NodePorts;

/// ErrReason.
pub const REASON: &str = "node(s) didn't have free ports for the requested pod ports";

fn host_ports(pod: &Value) -> Vec<(i64, String)> {
    pod.at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|c| {
            c.get("ports")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|p| {
            let port = p
                .get("hostPort")
                .and_then(Value::as_i64)
                .filter(|&hp| hp > 0)?;
            Some((
                port,
                p.get("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("TCP")
                    .to_string(),
            ))
        })
        .collect()
}

impl FilterPlugin for NodePorts {
    fn name(&self) -> &'static str {
        "NodePorts"
    }

    fn filter(&self, pod: &Value, node: &NodeInfo) -> Status {
        let wanted = host_ports(pod);
        if wanted.is_empty() {
            return Status::success(self.name());
        }
        let taken: Vec<(i64, String)> = node.pods.iter().flat_map(host_ports).collect();
        if wanted.iter().any(|w| taken.contains(w)) {
            Status::unschedulable(self.name(), REASON)
        } else {
            Status::success(self.name())
        }
    }
}
