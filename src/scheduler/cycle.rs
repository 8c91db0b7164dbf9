//! A structured record of one scheduling cycle, for the page's node × plugin table: for every
//! node each Filter plugin's verdict (in the framework's order, with the plugins after the first
//! rejection marked as not run, as RunFilterPlugins stops there), each Score plugin's raw and
//! normalized score and weight, the weighted total, and the outcome (the node bound to, or the
//! FailedScheduling message with what DefaultPreemption did).
//!
//! The scheduler attaches the record to one trace entry per cycle (action [`CYCLE_ACTION`],
//! object `pod/<namespace>/<name>`, the outcome in one sentence as its detail), so that time
//! travel finds the record of any pod at any step with [`latest_cycle`].
//!
//! A row is kept compact, since a cycle over 5,000 nodes has hundreds of them: the filters that
//! ran before the rejecting one passed and those after it did not run, so a row holds only the
//! rejection; the plugin names are the cycle's, once. [`SchedulingCycle::filters_of`] and
//! [`SchedulingCycle::scores_of`] give a row's cells in full.

use std::any::Any;
use std::sync::Arc;

use serde::Serialize;

use super::framework::{Code, Status};
use crate::sim::{Attachment, Millis, Trace};

/// The trace action of the entry carrying a cycle's record.
pub const CYCLE_ACTION: &str = "SchedulingCycle";

/// One Filter plugin's verdict on one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// One Filter plugin's verdict on one node, in full (a cell of the table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterVerdict {
    pub plugin: &'static str,
    pub verdict: Verdict,
    /// The status reasons (`Insufficient cpu`); empty on success or when not run.
    pub reasons: Vec<String>,
}

/// One Score plugin on one feasible node, in full (a cell of the table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginScore {
    pub plugin: &'static str,
    /// What Score returned.
    pub raw: i64,
    /// After NormalizeScore (0..=100).
    pub normalized: i64,
    pub weight: i64,
}

/// Why a node was rejected: the plugin (its index in the cycle's filter plugins), its verdict
/// and its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// The rejecting plugin's index in [`SchedulingCycle::filter_plugins`]; None when it is not
    /// one of them (a PreFilter-only plugin).
    pub plugin: Option<usize>,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    /// PreFilter rejected the pod: no Filter plugin ran, on any node.
    pub at_pre_filter: bool,
}

impl Rejection {
    /// A Filter plugin's (or, with `at_pre_filter`, a PreFilter plugin's) failed status.
    pub fn new(plugins: &[&'static str], status: &Status, at_pre_filter: bool) -> Self {
        Rejection {
            plugin: plugins.iter().position(|p| *p == status.plugin),
            verdict: status.code.into(),
            reasons: status.reasons.clone(),
            at_pre_filter,
        }
    }
}

/// A raw and a normalized score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Score {
    pub raw: i64,
    pub normalized: i64,
}

/// One node's row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeRecord {
    pub node: String,
    /// None when every filter let the node through.
    pub rejection: Option<Rejection>,
    /// Per score plugin, in [`SchedulingCycle::score_plugins`]' order; empty when the node was
    /// filtered out (or no node passed: scoring is skipped).
    pub scores: Vec<Score>,
    /// Σ normalized × weight; None when the node was not scored.
    pub total: Option<i64>,
}

impl NodeRecord {
    /// A row for a node the filters are still to judge.
    pub fn new(node: &str, rejection: Option<Rejection>) -> Self {
        NodeRecord {
            node: node.to_string(),
            rejection,
            scores: Vec::new(),
            total: None,
        }
    }

    /// Whether every filter let the node through.
    pub fn feasible(&self) -> bool {
        self.rejection.is_none()
    }
}

/// What DefaultPreemption did after every node was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PreemptionOutcome {
    /// PodEligibleToPreemptOthers said no (`not eligible due to preemptionPolicy=Never.`).
    NotEligible { reason: String },
    /// No node can be made to fit; the PostFilter message without its `preemption: ` prefix.
    NoCandidate { message: String },
    /// The pod was nominated to `node`; `victims` (`namespace/name`) were deleted.
    Nominated { node: String, victims: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchedulingCycle {
    /// `namespace/name`.
    pub pod: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// Virtual time of the cycle.
    pub at: Millis,
    pub priority: i64,
    /// The Filter plugins, in the framework's order.
    pub filter_plugins: Vec<&'static str>,
    /// The Score plugins with their weights, in the framework's order.
    pub score_plugins: Vec<(&'static str, i64)>,
    /// Every evaluated node, in the snapshot's order.
    pub nodes: Vec<NodeRecord>,
    /// How many node rows the trace dropped from this record to stay within its memory budget
    /// (the oldest records of a large run); 0 when the record is whole.
    pub rows_dropped: usize,
    /// How many nodes passed every filter (kept when the rows are dropped).
    pub feasible: usize,
    /// How many nodes were evaluated.
    pub evaluated: usize,
    pub outcome: CycleOutcome,
}

impl SchedulingCycle {
    /// The trace object naming the pod (`pod/default/web`).
    pub fn object(&self) -> String {
        format!("pod/{}", self.pod)
    }

    /// Each Filter plugin's verdict on the node of `row`, in the framework's order: those before
    /// the rejecting one passed, those after it did not run.
    pub fn filters_of(&self, row: &NodeRecord) -> Vec<FilterVerdict> {
        let verdict = |plugin, verdict| FilterVerdict {
            plugin,
            verdict,
            reasons: Vec::new(),
        };
        let Some(rejection) = &row.rejection else {
            return self
                .filter_plugins
                .iter()
                .map(|p| verdict(*p, Verdict::Success))
                .collect();
        };
        self.filter_plugins
            .iter()
            .enumerate()
            .map(|(i, p)| match rejection.plugin {
                Some(at) if at == i => FilterVerdict {
                    plugin: p,
                    verdict: rejection.verdict,
                    reasons: rejection.reasons.clone(),
                },
                Some(at) if i < at && !rejection.at_pre_filter => verdict(*p, Verdict::Success),
                _ => verdict(*p, Verdict::NotRun),
            })
            .collect()
    }

    /// Each Score plugin's part on the node of `row` (empty when it was not scored).
    pub fn scores_of(&self, row: &NodeRecord) -> Vec<PluginScore> {
        self.score_plugins
            .iter()
            .zip(&row.scores)
            .map(|((plugin, weight), s)| PluginScore {
                plugin,
                raw: s.raw,
                normalized: s.normalized,
                weight: *weight,
            })
            .collect()
    }

    /// Count the feasible and evaluated nodes from the rows (once they are final).
    pub fn count_rows(&mut self) {
        self.evaluated = self.nodes.len();
        self.feasible = self.nodes.iter().filter(|n| n.feasible()).count();
    }
}

impl Attachment for SchedulingCycle {
    fn weight(&self) -> usize {
        self.nodes.len()
    }

    fn shrunk(&self) -> Arc<dyn Attachment> {
        let mut small = self.clone_without_rows();
        small.rows_dropped = self.nodes.len() + self.rows_dropped;
        Arc::new(small)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl SchedulingCycle {
    fn clone_without_rows(&self) -> SchedulingCycle {
        SchedulingCycle {
            pod: self.pod.clone(),
            attempt: self.attempt,
            at: self.at,
            priority: self.priority,
            filter_plugins: self.filter_plugins.clone(),
            score_plugins: self.score_plugins.clone(),
            nodes: Vec::new(),
            rows_dropped: self.rows_dropped,
            feasible: self.feasible,
            evaluated: self.evaluated,
            outcome: self.outcome.clone(),
        }
    }
}

/// The record of `pod_key`'s (`namespace/name`) latest cycle among the first `upto` trace
/// entries (time travel: the table as it was at that step), if the pod was scheduled by then.
pub fn latest_cycle<'a>(
    trace: &'a Trace,
    pod_key: &str,
    upto: usize,
) -> Option<&'a SchedulingCycle> {
    trace
        .attachments::<SchedulingCycle>(upto)
        .rev()
        .map(|(_, c)| c)
        .find(|c| c.pod == pod_key)
}

/// Every cycle record among the first `upto` entries, oldest first.
pub fn cycles(trace: &Trace, upto: usize) -> Vec<&SchedulingCycle> {
    trace
        .attachments::<SchedulingCycle>(upto)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Actor, TraceEntry};

    const FILTERS: [&str; 3] = ["NodeName", "NodeResourcesFit", "TaintToleration"];

    fn cycle(attempt: u32, nodes: usize) -> SchedulingCycle {
        let rejection = Rejection::new(
            &FILTERS,
            &Status::unschedulable("NodeResourcesFit", "Insufficient cpu"),
            false,
        );
        let mut c = SchedulingCycle {
            pod: "default/web".into(),
            attempt,
            at: 10,
            priority: 0,
            filter_plugins: FILTERS.to_vec(),
            score_plugins: vec![("NodeResourcesFit", 1)],
            nodes: (0..nodes)
                .map(|i| NodeRecord::new(&format!("worker-{i}"), Some(rejection.clone())))
                .collect(),
            rows_dropped: 0,
            feasible: 0,
            evaluated: 0,
            outcome: CycleOutcome::Unschedulable {
                message: "0/1 nodes are available: 1 Insufficient cpu.".into(),
                preemption: None,
            },
        };
        c.count_rows();
        c
    }

    fn push(trace: &mut Trace, c: SchedulingCycle) {
        let entry = TraceEntry {
            at: c.at,
            from: Actor::Scheduler,
            to: Actor::Scheduler,
            action: CYCLE_ACTION.into(),
            object: c.object(),
            detail: String::new(),
            revision: 1,
        };
        trace.push_with(entry, Arc::new(c));
    }

    #[test]
    fn the_latest_cycle_up_to_a_step() {
        let mut trace = Trace::default();
        push(&mut trace, cycle(1, 1));
        push(&mut trace, cycle(2, 1));
        let attempt = |upto| latest_cycle(&trace, "default/web", upto).map(|c| c.attempt);
        assert_eq!(attempt(1), Some(1));
        assert_eq!(attempt(9), Some(2));
        assert_eq!(attempt(0), None);
        assert_eq!(latest_cycle(&trace, "default/db", 9), None);
        assert_eq!(cycles(&trace, 9).len(), 2);
    }

    #[test]
    fn a_row_expands_to_every_filter_cell() {
        let c = cycle(1, 1);
        let cells = c.filters_of(&c.nodes[0]);
        let verdicts: Vec<Verdict> = cells.iter().map(|f| f.verdict).collect();
        assert_eq!(
            verdicts,
            [Verdict::Success, Verdict::Unschedulable, Verdict::NotRun]
        );
        assert_eq!(cells[1].reasons, ["Insufficient cpu"]);
        assert!(!c.nodes[0].feasible());
        let pre = Rejection::new(
            &FILTERS,
            &Status::unresolvable("NodeResourcesFit", "x"),
            true,
        );
        let row = NodeRecord::new("w", Some(pre));
        let verdicts: Vec<Verdict> = c.filters_of(&row).iter().map(|f| f.verdict).collect();
        assert_eq!(
            verdicts,
            [
                Verdict::NotRun,
                Verdict::UnschedulableAndUnresolvable,
                Verdict::NotRun
            ]
        );
    }

    #[test]
    fn the_oldest_records_lose_their_rows_past_the_budget() {
        let mut trace = Trace::default();
        let per_cycle = crate::sim::trace::ATTACHMENT_BUDGET / 3 + 1;
        for attempt in 1..=4 {
            push(&mut trace, cycle(attempt, per_cycle));
        }
        let all = cycles(&trace, 9);
        let rows: Vec<usize> = all.iter().map(|c| c.nodes.len()).collect();
        assert_eq!(rows, [0, 0, per_cycle, per_cycle]);
        assert_eq!(all[0].rows_dropped, per_cycle);
        assert_eq!(all[0].evaluated, per_cycle);
        assert_eq!(all[0].outcome, all[3].outcome);
    }
}
