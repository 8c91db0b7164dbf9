//! The node × plugin table of one scheduling cycle, as text cells the page draws: a row per node,
//! a column per Filter plugin (its verdict, the reason when it rejects, "—" when an earlier filter
//! already rejected the node, since RunFilterPlugins stops at the first rejection), a column per
//! Score plugin (normalized score × weight, the raw score in the tooltip), and the weighted total.
//! Kept free of any web type so it is tested natively.

use std::borrow::Cow;

use super::cycle::{
    CycleOutcome, FilterVerdict, NodeRecord, PluginScore, PreemptionOutcome, SchedulingCycle,
    Verdict, CYCLE_ACTION,
};
use crate::sim::TraceEntry;

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
    let filter_plugins = plugin_names(cycle, |n| n.filters.iter().map(|f| &f.plugin));
    let score_plugins = plugin_names(cycle, |n| n.scores.iter().map(|s| &s.plugin));
    let chosen = bound_node(cycle);
    let rows = cycle
        .nodes
        .iter()
        .map(|n| Row {
            node: n.node.clone(),
            filters: filter_plugins
                .iter()
                .map(|p| filter_cell(n.filters.iter().find(|f| &f.plugin == p)))
                .collect(),
            scores: score_plugins
                .iter()
                .map(|p| score_cell(n.scores.iter().find(|s| &s.plugin == p)))
                .collect(),
            total: n.total.map(|t| t.to_string()).unwrap_or_default(),
            chosen: chosen == Some(n.node.as_str()),
        })
        .collect();
    Table {
        filter_plugins,
        score_plugins,
        rows,
        outcome: outcome_sentence(cycle),
    }
}

/// The plugin names in the order the first node that ran them lists them.
fn plugin_names<'a, I>(cycle: &'a SchedulingCycle, of: impl Fn(&'a NodeRecord) -> I) -> Vec<String>
where
    I: Iterator<Item = &'a String>,
{
    let mut names: Vec<String> = Vec::new();
    for node in &cycle.nodes {
        for name in of(node) {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
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
    let feasible = cycle.nodes.iter().filter(|n| n.feasible()).count();
    let total = cycle.nodes.len();
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

/// A trace entry's detail as a reader should see it: a scheduling cycle's record (JSON, for the
/// table) summarized in one line, any other detail as it is.
pub fn readable_detail(entry: &TraceEntry) -> Cow<'_, str> {
    if entry.action == CYCLE_ACTION {
        if let Ok(cycle) = serde_json::from_str::<SchedulingCycle>(&entry.detail) {
            return Cow::Owned(summary(&cycle));
        }
    }
    Cow::Borrowed(&entry.detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::Status;

    fn node(name: &str, filters: Vec<FilterVerdict>, scores: Vec<PluginScore>) -> NodeRecord {
        let total =
            (!scores.is_empty()).then(|| scores.iter().map(|s| s.normalized * s.weight).sum());
        NodeRecord {
            node: name.into(),
            filters,
            scores,
            total,
        }
    }

    fn score(plugin: &str, raw: i64, normalized: i64, weight: i64) -> PluginScore {
        PluginScore {
            plugin: plugin.into(),
            raw,
            normalized,
            weight,
        }
    }

    fn cycle() -> SchedulingCycle {
        let ok = |p: &'static str| FilterVerdict::ran(p, &Status::success(p));
        SchedulingCycle {
            pod: "default/web".into(),
            attempt: 1,
            at: 0,
            priority: 0,
            nodes: vec![
                node(
                    "control-plane",
                    vec![
                        FilterVerdict::ran(
                            "TaintToleration",
                            &Status::unresolvable(
                                "TaintToleration",
                                "node(s) had untolerated taint(s)",
                            ),
                        ),
                        FilterVerdict::not_run("NodeResourcesFit"),
                    ],
                    vec![],
                ),
                node(
                    "worker-1",
                    vec![ok("TaintToleration"), ok("NodeResourcesFit")],
                    vec![
                        score("NodeResourcesFit", 90, 90, 1),
                        score("ImageLocality", 0, 0, 1),
                    ],
                ),
                node(
                    "worker-2",
                    vec![ok("TaintToleration"), ok("NodeResourcesFit")],
                    vec![
                        score("NodeResourcesFit", 80, 80, 1),
                        score("ImageLocality", 0, 0, 1),
                    ],
                ),
            ],
            outcome: CycleOutcome::Bound {
                node: "worker-1".into(),
            },
        }
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

    #[test]
    fn a_cycle_entry_reads_as_its_summary_and_other_entries_as_they_are() {
        let c = cycle();
        let mut entry = TraceEntry {
            at: 0,
            from: crate::sim::Actor::Scheduler,
            to: crate::sim::Actor::Scheduler,
            action: CYCLE_ACTION.into(),
            object: c.object(),
            detail: c.to_detail(),
            revision: 1,
        };
        assert_eq!(
            readable_detail(&entry),
            "attempt 1: 2/3 nodes passed every filter; bound to worker-1 with the highest total, 90."
        );
        entry.action = "Filter worker-1".into();
        entry.detail = "{\"not\": \"a cycle\"}".into();
        assert_eq!(readable_detail(&entry), entry.detail.as_str());
    }
}
