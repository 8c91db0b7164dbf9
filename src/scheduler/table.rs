//! The node × plugin table of one scheduling cycle, as text cells the page draws: a row per node,
//! a column per Filter plugin (its verdict, the reason when it rejects, "—" when an earlier filter
//! already rejected the node, since RunFilterPlugins stops at the first rejection), a column per
//! Score plugin (normalized score × weight, the raw score in the tooltip), and the weighted total.
//! Kept free of any web type so it is tested natively.

use super::cycle::{
    CycleOutcome, FilterVerdict, PluginScore, PreemptionOutcome, SchedulingCycle, Verdict,
};

/// How a cell looks: the page styles each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Passed,
    /// Unschedulable: preemption might make room.
    Rejected,
    /// UnschedulableAndUnresolvable: nothing removed from the node would help.
    Unresolvable,
    NotRun,
    Score,
    /// The node was not scored (filtered out, or no node passed).
    Blank,
}

impl CellKind {
    /// The CSS class of the cell.
    pub fn class(self) -> &'static str {
        match self {
            CellKind::Passed => "passed",
            CellKind::Rejected => "rejected",
            CellKind::Unresolvable => "unresolvable",
            CellKind::NotRun => "not-run",
            CellKind::Score => "score",
            CellKind::Blank => "blank",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// The longer explanation shown on hover.
    pub title: String,
    pub kind: CellKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub node: String,
    pub filters: Vec<Cell>,
    pub scores: Vec<Cell>,
    /// The weighted total, empty when the node was not scored.
    pub total: String,
    /// The node the pod was bound to in this cycle.
    pub chosen: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub filter_plugins: Vec<String>,
    pub score_plugins: Vec<String>,
    pub rows: Vec<Row>,
    /// What the cycle ended with, in one sentence.
    pub outcome: String,
}

/// The table of `cycle`.
pub fn table(cycle: &SchedulingCycle) -> Table {
    let chosen = bound_node(cycle);
    let rows = cycle
        .nodes
        .iter()
        .map(|n| {
            let scores = cycle.scores_of(n);
            Row {
                node: n.node.clone(),
                filters: cycle
                    .filters_of(n)
                    .iter()
                    .map(|f| filter_cell(Some(f)))
                    .collect(),
                scores: cycle
                    .score_plugins
                    .iter()
                    .map(|(p, _)| score_cell(scores.iter().find(|s| s.plugin == *p)))
                    .collect(),
                total: n.total.map(|t| t.to_string()).unwrap_or_default(),
                chosen: chosen == Some(n.node.as_str()),
            }
        })
        .collect();
    Table {
        filter_plugins: cycle.filter_plugins.iter().map(|p| p.to_string()).collect(),
        score_plugins: cycle
            .score_plugins
            .iter()
            .map(|(p, _)| p.to_string())
            .collect(),
        rows,
        outcome: outcome_sentence(cycle),
    }
}

fn bound_node(cycle: &SchedulingCycle) -> Option<&str> {
    match &cycle.outcome {
        CycleOutcome::Bound { node } => Some(node),
        CycleOutcome::Unschedulable { .. } => None,
    }
}

fn filter_cell(verdict: Option<&FilterVerdict>) -> Cell {
    let Some(v) = verdict else {
        return Cell {
            text: String::new(),
            title: String::new(),
            kind: CellKind::Blank,
        };
    };
    let reasons = v.reasons.join(", ");
    match v.verdict {
        Verdict::Success => Cell {
            text: "✓".into(),
            title: format!("{} lets the pod run here", v.plugin),
            kind: CellKind::Passed,
        },
        Verdict::Unschedulable => Cell {
            text: format!("✗ {reasons}"),
            title: format!(
                "{}: {reasons} (removing lower-priority pods could help)",
                v.plugin
            ),
            kind: CellKind::Rejected,
        },
        Verdict::UnschedulableAndUnresolvable => Cell {
            text: format!("✗ {reasons}"),
            title: format!(
                "{}: {reasons} (unresolvable: preemption cannot help on this node)",
                v.plugin
            ),
            kind: CellKind::Unresolvable,
        },
        Verdict::NotRun => Cell {
            text: "—".into(),
            title: format!(
                "{} did not run: an earlier filter already rejected the node",
                v.plugin
            ),
            kind: CellKind::NotRun,
        },
    }
}

fn score_cell(score: Option<&PluginScore>) -> Cell {
    match score {
        Some(s) => Cell {
            text: format!("{}×{}", s.normalized, s.weight),
            title: format!(
                "{}: raw score {}, normalized to {}, weight {}: adds {}",
                s.plugin,
                s.raw,
                s.normalized,
                s.weight,
                s.normalized * s.weight
            ),
            kind: CellKind::Score,
        },
        None => Cell {
            text: String::new(),
            title: "not scored: only the nodes that pass every filter are scored".into(),
            kind: CellKind::Blank,
        },
    }
}

/// One sentence: where the pod went, or why it could not go anywhere.
pub fn outcome_sentence(cycle: &SchedulingCycle) -> String {
    let (feasible, total) = (cycle.feasible, cycle.evaluated);
    match &cycle.outcome {
        CycleOutcome::Bound { node } => {
            let score = cycle
                .nodes
                .iter()
                .find(|n| &n.node == node)
                .and_then(|n| n.total)
                .map(|t| format!(" with the highest total, {t}"))
                .unwrap_or_default();
            format!("{feasible}/{total} nodes passed every filter; bound to {node}{score}.")
        }
        CycleOutcome::Unschedulable {
            message,
            preemption,
        } => match preemption {
            Some(PreemptionOutcome::Nominated { node, victims }) => format!(
                "{message} Preemption nominated {node}, deleting {}.",
                victims.join(", ")
            ),
            _ => message.clone(),
        },
    }
}

/// The one-line summary of a cycle, for the trace list.
pub fn summary(cycle: &SchedulingCycle) -> String {
    format!("attempt {}: {}", cycle.attempt, outcome_sentence(cycle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::cycle::{NodeRecord, Rejection, Score};
    use crate::scheduler::framework::Status;

    const FILTERS: [&str; 2] = ["TaintToleration", "NodeResourcesFit"];

    fn scored(name: &str, scores: [i64; 2]) -> NodeRecord {
        let mut row = NodeRecord::new(name, None);
        row.scores = scores
            .iter()
            .map(|s| Score {
                raw: *s,
                normalized: *s,
            })
            .collect();
        row.total = Some(scores.iter().sum());
        row
    }

    fn cycle() -> SchedulingCycle {
        let taint = Status::unresolvable("TaintToleration", "node(s) had untolerated taint(s)");
        let mut c = SchedulingCycle {
            pod: "default/web".into(),
            attempt: 1,
            at: 0,
            priority: 0,
            filter_plugins: FILTERS.to_vec(),
            score_plugins: vec![("NodeResourcesFit", 1), ("ImageLocality", 1)],
            nodes: vec![
                NodeRecord::new(
                    "control-plane",
                    Some(Rejection::new(&FILTERS, &taint, false)),
                ),
                scored("worker-1", [90, 0]),
                scored("worker-2", [80, 0]),
            ],
            rows_dropped: 0,
            feasible: 0,
            evaluated: 0,
            outcome: CycleOutcome::Bound {
                node: "worker-1".into(),
            },
        };
        c.count_rows();
        c
    }

    #[test]
    fn a_row_per_node_and_a_column_per_plugin() {
        let t = table(&cycle());
        assert_eq!(t.filter_plugins, ["TaintToleration", "NodeResourcesFit"]);
        assert_eq!(t.score_plugins, ["NodeResourcesFit", "ImageLocality"]);
        let rows: Vec<&str> = t.rows.iter().map(|r| r.node.as_str()).collect();
        assert_eq!(rows, ["control-plane", "worker-1", "worker-2"]);
        let cp = &t.rows[0];
        assert_eq!(cp.filters[0].text, "✗ node(s) had untolerated taint(s)");
        assert_eq!(cp.filters[0].kind, CellKind::Unresolvable);
        assert_eq!(cp.filters[1].kind, CellKind::NotRun);
        assert!(cp.scores.iter().all(|c| c.kind == CellKind::Blank));
        assert_eq!(cp.total, "");
        assert!(t.rows[1].chosen && !t.rows[2].chosen);
        assert_eq!(t.rows[1].filters[1].kind, CellKind::Passed);
        assert_eq!(t.rows[1].scores[0].text, "90×1");
        assert_eq!(t.rows[1].total, "90");
        assert_eq!(
            t.outcome,
            "2/3 nodes passed every filter; bound to worker-1 with the highest total, 90."
        );
    }

    #[test]
    fn an_unschedulable_cycle_reads_as_the_failed_scheduling_message() {
        let mut c = cycle();
        c.outcome = CycleOutcome::Unschedulable {
            message: "0/3 nodes are available: 3 Insufficient cpu.".into(),
            preemption: Some(PreemptionOutcome::Nominated {
                node: "worker-2".into(),
                victims: vec!["default/low".into()],
            }),
        };
        assert_eq!(
            summary(&c),
            "attempt 1: 0/3 nodes are available: 3 Insufficient cpu. Preemption nominated \
             worker-2, deleting default/low."
        );
        assert!(table(&c).rows.iter().all(|r| !r.chosen));
    }
}
