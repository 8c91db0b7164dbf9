//! NodeResourcesBalancedAllocation: prefer nodes where, with the pod placed, CPU and memory are
//! used in equal proportion (score = (1 - standard deviation of the fractions) * 100, weight 1).

use crate::scheduler::framework::{NodeInfo, PodInfo, Resources, ScorePlugin};

pub struct BalancedAllocation;

impl ScorePlugin for BalancedAllocation {
    fn name(&self) -> &'static str {
        "NodeResourcesBalancedAllocation"
    }

    fn weight(&self) -> i64 {
        1
    }

    fn score(&self, pod: &PodInfo, node: &NodeInfo) -> i64 {
        balanced_score(pod.non_zero_requests, node)
    }
}

fn balanced_score(want: Resources, node: &NodeInfo) -> i64 {
    let used = node.non_zero_requested;
    let fraction = |req: i128, alloc: i128| {
        if alloc == 0 {
            1.0
        } else {
            (req as f64 / alloc as f64).min(1.0)
        }
    };
    let cpu = fraction(used.milli_cpu + want.milli_cpu, node.allocatable.milli_cpu);
    let mem = fraction(used.memory + want.memory, node.allocatable.memory);
    // For two resources the standard deviation is half their difference.
    let std = (cpu - mem).abs() / 2.0;
    ((1.0 - std) * 100.0) as i64
}
