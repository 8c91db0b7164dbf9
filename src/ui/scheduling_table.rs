//! The scheduler's decision for a pod, as a node × plugin table: each Filter plugin's verdict on
//! each node, each Score plugin's normalized score × weight on the nodes that passed, the total,
//! and the node chosen (kube-scheduler's scheduling cycle: pkg/scheduler/schedule_one.go,
//! findNodesThatFitPod then prioritizeNodes then selectHost).

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::format::virtual_time;
use crate::scheduler::cycle::SchedulingCycle;
use crate::scheduler::table::{table, Cell, Row};

#[derive(PartialEq, Properties)]
pub struct SchedulingTableProps {
    /// Every scheduling cycle up to the step on screen, oldest first.
    pub cycles: Rc<Vec<SchedulingCycle>>,
}

/// The pods that went through a cycle, most recently scheduled last.
fn pods_of(cycles: &[SchedulingCycle]) -> Vec<String> {
    let mut pods: Vec<String> = Vec::new();
    for c in cycles {
        pods.retain(|p| p != &c.pod);
        pods.push(c.pod.clone());
    }
    pods
}

#[function_component(SchedulingTable)]
pub fn scheduling_table(props: &SchedulingTableProps) -> Html {
    let chosen_pod = use_state(|| None::<String>);
    let pods = pods_of(&props.cycles);
    // The pod the user picked, else the one the scheduler looked at last.
    let pod = (*chosen_pod)
        .clone()
        .filter(|p| pods.contains(p))
        .or_else(|| pods.last().cloned());
    let onchange = {
        let chosen_pod = chosen_pod.clone();
        Callback::from(move |e: Event| {
            if let Some(pod) = browser::target_value(&e) {
                chosen_pod.set(Some(pod));
            }
        })
    };
    let cycle = pod
        .as_ref()
        .and_then(|p| props.cycles.iter().rev().find(|c| &c.pod == p));
    html! {
        <section id="scheduling" class="panel scheduling"
            aria-label="The scheduler's filter and score results for a pod">
            <header class="panel-title">
                <h2>{ "Scheduler: node × plugin" }</h2>
                if pods.len() > 1 {
                    <select id="scheduling-pod" aria-label="The pod whose scheduling is shown"
                        {onchange}>
                        { for pods.iter().rev().map(|p| html! {
                            <option value={p.clone()} selected={Some(p) == pod.as_ref()}>
                                { p }
                            </option>
                        }) }
                    </select>
                }
            </header>
            { cycle.map_or_else(no_cycle, cycle_table) }
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
