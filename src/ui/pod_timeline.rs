//! The selected pod's life at the current step: a bar per container (init containers, native
//! sidecars, then the app's) over virtual time, coloured by state (Waiting with its reason,
//! Running, Terminated with its reason and exit code) with each restart marked, and below it the
//! kubelet's steps for that pod (sandbox, CNI ADD, volumes, pulls, create, start, probes, kills),
//! each opening its trace entry. Built by [`crate::pod_history::pod_timeline`].

use std::rc::Rc;

use yew::prelude::*;

use super::format::virtual_time;
use super::pod_pick::PodPick;
use crate::pod_history::{percent, ContainerTimeline, PodStep, PodTimeline, Segment};
use crate::sim::Millis;

#[derive(PartialEq, Properties)]
pub struct PodTimelineProps {
    /// The timeline of the pod shown (empty when none is).
    pub timeline: Rc<PodTimeline>,
    /// The pods at the current step, `namespace/name`, to choose from.
    pub pods: Rc<Vec<String>>,
    /// The trace entry on screen.
    pub cursor: Option<usize>,
    /// A pod was chosen in the menu.
    pub onpick: Callback<String>,
    /// A step was clicked: show its trace entry.
    pub onselect: Callback<usize>,
}

#[function_component(PodTimelinePanel)]
pub fn pod_timeline_panel(props: &PodTimelineProps) -> Html {
    let timeline = &props.timeline;
    let (from, to) = (timeline.from, timeline.to);
    html! {
        <section class="panel pod-timeline">
            <header class="panel-title">
                <h2>{ "Pod timeline" }</h2>
                <PodPick pods={Rc::clone(&props.pods)} selected={timeline.key.clone()}
                    onpick={props.onpick.clone()} />
            </header>
            if timeline.containers.is_empty() {
                <p class="empty">{ "No container status yet: the kubelet writes one once the pod is on its node." }</p>
            } else {
                <div class="pod-timeline-span">
                    <span>{ virtual_time(from) }</span>
                    <span>{ virtual_time(to) }</span>
                </div>
                <ul id="container-timelines" class="container-timelines">
                    { for timeline.containers.iter().map(|c| container_row(c, from, to)) }
                </ul>
                <ul class="timeline-legend">
                    <li class="segment waiting">{ "Waiting" }</li>
                    <li class="segment running">{ "Running" }</li>
                    <li class="segment terminated completed">{ "Completed" }</li>
                    <li class="segment terminated">{ "Terminated" }</li>
                    <li class="restart-key">{ "restart" }</li>
                </ul>
            }
            <h3>{ "Kubelet steps" }</h3>
            if timeline.steps.is_empty() {
                <p class="empty">{ "The kubelet has done nothing for this pod yet." }</p>
            } else {
                <ol id="kubelet-steps" class="kubelet-steps">
                    { for timeline.steps.iter().map(|s| step_row(s, props.cursor, &props.onselect)) }
                </ol>
            }
        </section>
    }
}

fn container_row(container: &ContainerTimeline, from: Millis, to: Millis) -> Html {
    html! {
        <li class="container-timeline" data-container={container.name.clone()}>
            <span class="container-name">
                { &container.name }
                <span class="container-kind">{ container.kind.label() }</span>
            </span>
            <div class="timeline-bar">
                { for container.segments.iter().map(|s| segment(s, from, to)) }
                { for container.restarts.iter().map(|at| restart_mark(*at, from, to)) }
            </div>
        </li>
    }
}

fn segment(segment: &Segment, from: Millis, to: Millis) -> Html {
    let left = percent(segment.from, from, to);
    let width = (percent(segment.to, from, to) - left).max(0.4);
    let style = format!("left:{left:.2}%;width:{width:.2}%");
    let title = format!(
        "{} from {} to {}",
        segment.label,
        virtual_time(segment.from),
        virtual_time(segment.to)
    );
    // The reason is written in the bar when it is wide enough to read.
    let text = segment
        .label
        .split_once(": ")
        .map_or(segment.label.as_str(), |(_, reason)| reason);
    // An exit with code 0 (an init container's, a Job's) is no failure: it is drawn apart.
    let completed = segment.kind == crate::pod_history::StateKind::Terminated
        && segment.label.contains("Completed");
    html! {
        <span class={classes!("segment", segment.kind.class(), completed.then_some("completed"))} {style} {title}>
            if width > 12.0 { { text } }
        </span>
    }
}

fn restart_mark(at: Millis, from: Millis, to: Millis) -> Html {
    let style = format!("left:{:.2}%", percent(at, from, to));
    html! {
        <span class="restart-mark" {style} title={format!("restarted at {}", virtual_time(at))}></span>
    }
}

fn step_row(step: &PodStep, cursor: Option<usize>, onselect: &Callback<usize>) -> Html {
    let index = step.index;
    let onclick = onselect.reform(move |_: MouseEvent| index);
    let current = cursor == Some(index);
    html! {
        <li class={classes!("kubelet-step", current.then_some("current"))} {onclick}
            data-index={index.to_string()} title={step.detail.clone()}>
            <span class="kstep-time">{ virtual_time(step.at) }</span>
            <span class="kstep-actors">{ format!("{} → {}", step.from, step.to) }</span>
            <span class="kstep-action">{ &step.action }</span>
            <span class="kstep-detail">{ &step.detail }</span>
        </li>
    }
}
