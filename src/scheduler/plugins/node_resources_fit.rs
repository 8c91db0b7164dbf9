//! NodeResourcesFit: the pod's requests must fit in what the node has left (Filter), and with the
//! default LeastAllocated strategy, emptier nodes score higher (Score, weight 1).

use crate::scheduler::framework::{
    Code, FilterPlugin, NodeInfo, PodInfo, Resources, ScorePlugin, Status,
};

pub struct NodeResourcesFit;

const NAME: &str = "NodeResourcesFit";

impl FilterPlugin for NodeResourcesFit {
    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }

    /// fitsRequest: one reason per insufficient resource; when the request exceeds even the node's
    /// whole allocatable, no preemption can help (UnschedulableAndUnresolvable).
    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        fits_request(pod.requests, node)
    }
}

fn fits_request(want: Resources, node: &NodeInfo) -> Status {
    let (alloc, used) = (node.allocatable, node.requested);
    let mut reasons = Vec::new();
    let mut unresolvable = false;
    if used.pods + 1 > alloc.pods {
        reasons.push("Too many pods".to_string());
    }
    for (name, req, have, taken) in [
        ("cpu", want.milli_cpu, alloc.milli_cpu, used.milli_cpu),
        ("memory", want.memory, alloc.memory, used.memory),
    ] {
        if req > 0 && req > have - taken {
            reasons.push(format!("Insufficient {name}"));
            unresolvable |= req > have;
        }
    }
    if reasons.is_empty() {
        return Status::success(NAME);
    }
    let code = if unresolvable {
        Code::UnschedulableAndUnresolvable
    } else {
        Code::Unschedulable
    };
    Status {
        code,
        plugin: NAME,
        reasons,
    }
}

/// (allocatable - requested) * 100 / allocatable, 0 when over-committed.
fn least_allocated(requested: i128, allocatable: i128) -> i64 {
    if allocatable == 0 || requested > allocatable {
        return 0;
    }
    ((allocatable - requested) * 100 / allocatable) as i64
}

impl ScorePlugin for NodeResourcesFit {
    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }

    fn weight(&self) -> i64 {
        1
    }

    /// LeastAllocated over cpu and memory (weights 1 and 1), counting non-zero requests.
    fn score(&self, pod: &PodInfo, node: &NodeInfo) -> i64 {
        least_allocated_score(pod.non_zero_requests, node)
    }
}

fn least_allocated_score(want: Resources, node: &NodeInfo) -> i64 {
    let used = node.non_zero_requested;
    let cpu = least_allocated(used.milli_cpu + want.milli_cpu, node.allocatable.milli_cpu);
    let mem = least_allocated(used.memory + want.memory, node.allocatable.memory);
    (cpu + mem) / 2
}
