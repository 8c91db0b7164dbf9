//! The scheduler's decision for a pod, as a node × plugin table: each Filter plugin's verdict on
//! each node, each Score plugin's normalized score × weight on the nodes that passed, the total,
//! and the node chosen (kube-scheduler's scheduling cycle: pkg/scheduler/schedule_one.go,
//! findNodesThatFitPod then prioritizeNodes then selectHost).

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::format::virtual_time;
use crate::scheduler::cycle::SchedulingCycle;
use crate::scheduler::table::{table, Cell, Row};

/// What the table shows at the step on screen: the pods that went through a cycle so far (most
/// recently scheduled last), the pod shown, and its latest cycle.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchedulingPick {
    pub pods: Vec<String>,
    pub pod: Option<String>,
    pub cycle: Option<SchedulingCycle>,
}

impl SchedulingPick {
    /// From the cycles up to the step on screen (oldest first): the pod `chosen` if it went
    /// through one, else the one the scheduler looked at last. One pass; only the shown cycle is
    /// copied.
    pub fn of<'a>(
        cycles: impl IntoIterator<Item = &'a SchedulingCycle>,
        chosen: Option<&str>,
    ) -> SchedulingPick {
        let mut last_seen: HashMap<&str, (usize, &SchedulingCycle)> = HashMap::new();
        for (order, cycle) in cycles.into_iter().enumerate() {
            last_seen.insert(cycle.pod.as_str(), (order, cycle));
        }
        let mut pods: Vec<(usize, &str)> = last_seen
            .iter()
            .map(|(pod, (order, _))| (*order, *pod))
            .collect();
        pods.sort_unstable();
        let pod = chosen
            .filter(|p| last_seen.contains_key(p))
            .or_else(|| pods.last().map(|(_, p)| *p));
        SchedulingPick {
            cycle: pod
                .and_then(|p| last_seen.get(p))
                .map(|(_, c)| (*c).clone()),
            pod: pod.map(str::to_string),
            pods: pods.into_iter().map(|(_, p)| p.to_string()).collect(),
        }
    }
}

#[derive(PartialEq, Properties)]
pub struct SchedulingTableProps {
    pub pick: Rc<SchedulingPick>,
    /// The user chose another pod.
    pub onpick: Callback<String>,
}

#[function_component(SchedulingTable)]
pub fn scheduling_table(props: &SchedulingTableProps) -> Html {
    let pick = &props.pick;
    let onchange = props
        .onpick
        .reform(|e: Event| browser::target_value(&e).unwrap_or_default());
    html! {
        <section id="scheduling" class="panel scheduling"
            aria-label="The scheduler's filter and score results for a pod">
            <header class="panel-title">
                <h2>{ "Scheduler: node × plugin" }</h2>
                if pick.pods.len() > 1 {
                    <select id="scheduling-pod" aria-label="The pod whose scheduling is shown"
                        {onchange}>
                        { for pick.pods.iter().rev().map(|p| html! {
                            <option value={p.clone()} selected={Some(p) == pick.pod.as_ref()}>
                                { p }
                            </option>
                        }) }
                    </select>
                }
            </header>
            { pick.cycle.as_ref().map_or_else(no_cycle, cycle_table) }
        </section>
    }
}

fn no_cycle() -> Html {
    html! {
        <p class="hint">
            { "No pod has been through a scheduling cycle yet at this step. Apply a Pod, then \
               step until the scheduler takes it from its queue." }
        </p>
    }
}

fn cycle_table(cycle: &SchedulingCycle) -> Html {
    let t = table(cycle);
    let span = (t.rows.len() + 1).to_string();
    html! {
        <>
            <p class="cycle-line">
                <span class="object">{ format!("pod/{}", cycle.pod) }</span>
                { format!(" attempt {} at {}, priority {}", cycle.attempt,
                    virtual_time(cycle.at), cycle.priority) }
            </p>
            <div class="table-scroll">
                <table id="scheduling-table" class="scheduling-table">
                    <thead>
                        <tr>
                            <th>{ "PLUGIN" }</th>
                            { for t.rows.iter().map(|r| html! {
                                <th class={classes!("node-col", r.chosen.then_some("chosen"))}
                                    data-node={r.node.clone()}>{ &r.node }</th>
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="stage"><th colspan={span.clone()}>{ "Filter (in order; a node stops at its first ✗)" }</th></tr>
                        { for t.filter_plugins.iter().enumerate().map(|(i, p)| plugin_row(p, &t.rows, |r| &r.filters[i])) }
                        <tr class="stage"><th colspan={span}>{ "Score (normalized × weight, on the nodes that passed)" }</th></tr>
                        { for t.score_plugins.iter().enumerate().map(|(i, p)| plugin_row(p, &t.rows, |r| &r.scores[i])) }
                        <tr class="total-row">
                            <th scope="row">{ "TOTAL" }</th>
                            { for t.rows.iter().map(|r| html! {
                                <td class={classes!("total", r.chosen.then_some("chosen"))}>{ &r.total }</td>
                            }) }
                        </tr>
                    </tbody>
                </table>
            </div>
            <p id="scheduling-outcome" class="outcome">{ t.outcome }</p>
        </>
    }
}

/// One plugin's line: its cell on every node (nodes are columns, so a few nodes and the
/// eighteen default plugins fit a laptop screen).
fn plugin_row(plugin: &str, rows: &[Row], cell_of: impl Fn(&Row) -> &Cell) -> Html {
    html! {
        <tr class="plugin-row" data-plugin={plugin.to_string()}>
            <th scope="row">{ plugin }</th>
            { for rows.iter().map(|r| cell(cell_of(r), r.chosen)) }
        </tr>
    }
}

fn cell(c: &Cell, chosen: bool) -> Html {
    html! {
        <td class={classes!(c.kind.class(), chosen.then_some("chosen"))} title={c.title.clone()}>
            { &c.text }
        </td>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::cycle::CycleOutcome;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn cycle(pod: &str, attempt: u32, node: &str) -> SchedulingCycle {
        SchedulingCycle {
            pod: pod.into(),
            attempt,
            at: 0,
            priority: 0,
            filter_plugins: Vec::new(),
            score_plugins: Vec::new(),
            nodes: Vec::new(),
            rows_dropped: 0,
            feasible: 1,
            evaluated: 1,
            outcome: CycleOutcome::Bound { node: node.into() },
        }
    }

    #[wasm_bindgen_test]
    fn pods_are_ordered_by_their_latest_cycle_and_the_latest_is_shown() {
        let cycles = [
            cycle("default/a", 1, "worker-1"),
            cycle("default/b", 1, "worker-1"),
            cycle("default/a", 2, "worker-2"),
        ];
        let pick = SchedulingPick::of(&cycles, None);
        assert_eq!(pick.pods, vec!["default/b", "default/a"]);
        assert_eq!(pick.pod.as_deref(), Some("default/a"));
        assert_eq!(pick.cycle.map(|c| c.attempt), Some(2), "a's latest attempt");
    }

    #[wasm_bindgen_test]
    fn a_chosen_pod_is_shown_while_it_has_a_cycle() {
        let cycles = [
            cycle("default/a", 1, "worker-1"),
            cycle("default/b", 1, "worker-2"),
        ];
        let pick = SchedulingPick::of(&cycles, Some("default/a"));
        assert_eq!(pick.pod.as_deref(), Some("default/a"));
        let pick = SchedulingPick::of(&cycles[..1], Some("default/b"));
        assert_eq!(pick.pod.as_deref(), Some("default/a"), "b had no cycle yet");
        assert_eq!(SchedulingPick::of(&[], None), SchedulingPick::default());
    }
}
