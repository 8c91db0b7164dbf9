//! NodeName: a pod that names a node (`spec.nodeName`) fits only there.

use crate::unstructured::JsonPointer;
use serde_json::Value;

use crate::scheduler::framework::{FilterPlugin, NodeInfo, PodInfo, Status};

pub struct NodeName;

/// ErrReason.
pub const REASON: &str = "node(s) didn't match the requested node name";

impl FilterPlugin for NodeName {
    fn name(&self) -> &'static str {
        "NodeName"
    }

    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        match pod.at("/spec/nodeName").and_then(Value::as_str) {
            Some(n) if !n.is_empty() && n != node.name => Status::unresolvable(self.name(), REASON),
            _ => Status::success(self.name()),
        }
    }
}
