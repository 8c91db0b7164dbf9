//! A structured record of one scheduling cycle, for the page's node × plugin table: for every
//! node each Filter plugin's verdict (in the framework's order, with the plugins after the first
//! rejection marked as not run, as RunFilterPlugins stops there), each Score plugin's raw and
//! normalized score and weight, the weighted total, and the outcome (the node bound to, or the
//! FailedScheduling message with what DefaultPreemption did).
//!
//! The scheduler writes the record, as JSON, in the detail of one trace entry per cycle (action
//! [`CYCLE_ACTION`], object `pod/<namespace>/<name>`), so that time travel finds the record of
//! any pod at any step with [`latest_cycle`].

use serde::{Deserialize, Serialize};

use super::framework::{Code, Status};
use crate::sim::{Millis, TraceEntry};

/// The trace action of the entry carrying a cycle's record.
pub const CYCLE_ACTION: &str = "SchedulingCycle";

/// One Filter plugin's verdict on one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Success,
    Unschedulable,
    UnschedulableAndUnresolvable,
    /// An earlier filter rejected the node, so this one did not run.
    NotRun,
}

impl From<Code> for Verdict {
    fn from(code: Code) -> Self {
        match code {
            Code::Success => Verdict::Success,
            Code::Unschedulable => Verdict::Unschedulable,
            Code::UnschedulableAndUnresolvable => Verdict::UnschedulableAndUnresolvable,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterVerdict {
    pub plugin: String,
    pub verdict: Verdict,
    /// The status reasons (`Insufficient cpu`); empty on success or when not run.
    pub reasons: Vec<String>,
}

impl FilterVerdict {
    pub fn ran(plugin: &str, status: &Status) -> Self {
        FilterVerdict {
            plugin: plugin.to_string(),
            verdict: status.code.into(),
            reasons: status.reasons.clone(),
        }
    }

    pub fn not_run(plugin: &str) -> Self {
        FilterVerdict {
            plugin: plugin.to_string(),
            verdict: Verdict::NotRun,
            reasons: Vec::new(),
        }
    }
}

/// One Score plugin on one feasible node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginScore {
    pub plugin: String,
    /// What Score returned.
    pub raw: i64,
    /// After NormalizeScore (0..=100).
    pub normalized: i64,
    pub weight: i64,
}

/// One node's row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRecord {
    pub node: String,
    pub filters: Vec<FilterVerdict>,
    /// Empty when the node was filtered out (or no node passed: scoring is skipped).
    pub scores: Vec<PluginScore>,
    /// Σ normalized × weight; None when the node was not scored.
    pub total: Option<i64>,
}

impl NodeRecord {
    /// Whether every filter let the node through.
    pub fn feasible(&self) -> bool {
        self.filters.iter().all(|f| f.verdict == Verdict::Success)
    }
}

/// What DefaultPreemption did after every node was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PreemptionOutcome {
    /// PodEligibleToPreemptOthers said no (`not eligible due to preemptionPolicy=Never.`).
    NotEligible { reason: String },
    /// No node can be made to fit; the PostFilter message without its `preemption: ` prefix.
    NoCandidate { message: String },
    /// The pod was nominated to `node`; `victims` (`namespace/name`) were deleted.
    Nominated { node: String, victims: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CycleOutcome {
    /// Bound (the binding was sent) to this node.
    Bound { node: String },
    /// No node fits: the FailedScheduling message, and what preemption did (None when there
    /// were no nodes at all, and preemption did not run).
    Unschedulable {
        message: String,
        preemption: Option<PreemptionOutcome>,
    },
}

/// One scheduling attempt of one pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulingCycle {
    /// `namespace/name`.
    pub pod: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// Virtual time of the cycle.
    pub at: Millis,
    pub priority: i64,
    /// Every node, in the snapshot's order.
    pub nodes: Vec<NodeRecord>,
    pub outcome: CycleOutcome,
}

impl SchedulingCycle {
    /// The trace object naming the pod (`pod/default/web`).
    pub fn object(&self) -> String {
        format!("pod/{}", self.pod)
    }

    /// The record as the trace carries it.
    pub fn to_detail(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The record of `pod_key`'s (`namespace/name`) latest cycle among the first `upto` trace
/// entries (time travel: the table as it was at that step), if the pod was scheduled by then.
pub fn latest_cycle(trace: &[TraceEntry], pod_key: &str, upto: usize) -> Option<SchedulingCycle> {
    let object = format!("pod/{pod_key}");
    trace
        .iter()
        .take(upto)
        .rev()
        .filter(|e| e.action == CYCLE_ACTION && e.object == object)
        .find_map(|e| serde_json::from_str(&e.detail).ok())
}

/// Every cycle record among the first `upto` entries, oldest first.
pub fn cycles(trace: &[TraceEntry], upto: usize) -> Vec<SchedulingCycle> {
    trace
        .iter()
        .take(upto)
        .filter(|e| e.action == CYCLE_ACTION)
        .filter_map(|e| serde_json::from_str(&e.detail).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Actor;

    fn cycle(attempt: u32) -> SchedulingCycle {
        SchedulingCycle {
            pod: "default/web".into(),
            attempt,
            at: 10,
            priority: 0,
            nodes: vec![NodeRecord {
                node: "worker-1".into(),
                filters: vec![
                    FilterVerdict::ran(
                        "NodeResourcesFit",
                        &Status::unschedulable("NodeResourcesFit", "Insufficient cpu"),
                    ),
                    FilterVerdict::not_run("TaintToleration"),
                ],
                scores: vec![],
                total: None,
            }],
            outcome: CycleOutcome::Unschedulable {
                message: "0/1 nodes are available: 1 Insufficient cpu.".into(),
                preemption: None,
            },
        }
    }

    fn entry(c: &SchedulingCycle) -> TraceEntry {
        TraceEntry {
            at: c.at,
            from: Actor::Scheduler,
            to: Actor::Scheduler,
            action: CYCLE_ACTION.into(),
            object: c.object(),
            detail: c.to_detail(),
            revision: 1,
        }
    }

    #[test]
    fn the_latest_cycle_up_to_a_step() {
        let trace = vec![entry(&cycle(1)), entry(&cycle(2))];
        assert_eq!(
            latest_cycle(&trace, "default/web", 1).map(|c| c.attempt),
            Some(1)
        );
        assert_eq!(
            latest_cycle(&trace, "default/web", 9).map(|c| c.attempt),
            Some(2)
        );
        assert_eq!(latest_cycle(&trace, "default/web", 0), None);
        assert_eq!(latest_cycle(&trace, "default/db", 9), None);
        assert_eq!(cycles(&trace, 9).len(), 2);
        assert!(!cycle(1).nodes[0].feasible());
    }
}
