//! The page: every component, wired to the one reducer.

use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use super::cluster_diagram::ClusterDiagram;
use super::console::Console;
use super::controls::Controls;
use super::editor::Editor;
use super::etcd_view::{EtcdSnapshot, EtcdView};
use super::objects::Objects;
use super::prompt::Prompt;
use super::state::{Action, Lab, PLAY_INTERVAL_MS};
use super::step_detail::StepDetail;
use super::trace_view::TraceView;
use crate::cluster::ClusterView;
use crate::sim::{Millis, TraceEntry};

#[function_component(App)]
pub fn app() -> Html {
    let lab = use_reducer(Lab::default);
    use_play_timer(&lab);

    let trace = {
        let lab = lab.clone();
        use_memo((lab.version, lab.revealed), move |_| revealed_entries(&lab))
    };
    let view = {
        let lab = lab.clone();
        use_memo((lab.version, lab.cursor), move |_| view_at_cursor(&lab))
    };
    let etcd = {
        let lab = lab.clone();
        use_memo((lab.version, lab.cursor), move |_| etcd_at_cursor(&lab))
    };
    let current = lab.current_entry();
    let failure = lab.failure.clone().unwrap_or_default();
    let markers = Rc::new(failure.markers.clone());
    let clock = clock_at(&lab, current.as_ref());

    let send = |make: fn() -> Action| {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(make()))
    };
    let onstep = send(|| Action::Step);
    let onplay = send(|| Action::Play);
    let onpause = send(|| Action::Pause);
    let onrun = send(|| Action::Run);
    let onreset = send(|| Action::Reset);
    let onedit = lab.dispatcher().to_callback().reform(Action::EditYaml);
    let onapply = lab.dispatcher().to_callback().reform(Action::Apply);
    let onkubectl = lab.dispatcher().to_callback().reform(Action::Kubectl);
    let onselect = lab.dispatcher().to_callback().reform(Action::Select);
    let onkey = lab.dispatcher().to_callback().reform(Action::SelectKey);

    html! {
        <div class="podlab">
            <header class="topbar">
                <h1>{ "podlab" }</h1>
                <span class="tagline">{ "what happens when you kubectl apply a Pod" }</span>
                <Controls
                    playing={lab.playing}
                    at_end={lab.at_end()}
                    {clock}
                    {onstep} {onplay} {onpause} {onrun} {onreset}
                />
            </header>
            <main class="columns">
                <section class="column left">
                    <Editor yaml={lab.yaml.clone()} {onedit} {onapply} {markers} />
                    <Console entries={Rc::clone(&lab.console)} />
                    <Prompt onsubmit={onkubectl} />
                </section>
                <section class="column right">
                    <StepDetail
                        entry={current.clone()}
                        rejected={lab.cursor.is_some_and(|c| failure.trace.rejected.contains(&c))}
                        cursor={lab.cursor}
                        revealed={lab.revealed}
                    />
                    <ClusterDiagram view={Rc::clone(&view)} current={current} />
                    <Objects view={Rc::clone(&view)} />
                    <EtcdView snapshot={etcd} selected={lab.etcd_key.clone()} onselect={onkey} />
                    <TraceView
                        entries={trace}
                        cursor={lab.cursor}
                        rejected={Rc::new(failure.trace.clone())}
                        {onselect}
                    />
                </section>
            </main>
        </div>
    }
}

/// While playing, dispatch a [`Action::Tick`] every [`PLAY_INTERVAL_MS`].
#[hook]
fn use_play_timer(lab: &UseReducerHandle<Lab>) {
    let dispatcher = lab.dispatcher();
    use_effect_with(lab.playing, move |playing| {
        let timer = playing
            .then(|| Interval::new(PLAY_INTERVAL_MS, move || dispatcher.dispatch(Action::Tick)));
        move || drop(timer)
    });
}

/// The trace entries shown so far.
fn revealed_entries(lab: &Lab) -> Vec<TraceEntry> {
    lab.cluster
        .try_borrow()
        .map(|c| c.trace().iter().take(lab.revealed).cloned().collect())
        .unwrap_or_default()
}

/// The cluster as it was once the entry on screen was done; the cluster now if none is.
fn view_at_cursor(lab: &Lab) -> ClusterView {
    let Ok(cluster) = lab.cluster.try_borrow() else {
        return ClusterView::default();
    };
    cluster.view_at(revision_at_cursor(lab, &cluster))
}

/// The etcd revision of the entry on screen (the latest one if none is). etcd's revisions start
/// at 1, so an entry that says 0 did not know it (kubectl's `exit` step when it is the first of the
/// trace copies the revision of the entry before it): the cluster had not changed since the last
/// entry that knew, or since the trace started.
fn revision_at_cursor(lab: &Lab, cluster: &crate::cluster::Cluster) -> i64 {
    let Some(cursor) = lab.cursor else {
        return cluster.revision();
    };
    let trace = cluster.trace();
    trace
        .get(..=cursor.min(trace.len().saturating_sub(1)))
        .unwrap_or_default()
        .iter()
        .rev()
        .map(|e| e.revision)
        .find(|&r| r > 0)
        .unwrap_or_else(|| cluster.revision())
}

/// Every etcd key at the entry on screen, for the etcd panel.
fn etcd_at_cursor(lab: &Lab) -> EtcdSnapshot {
    let Ok(cluster) = lab.cluster.try_borrow() else {
        return EtcdSnapshot::default();
    };
    let revision = revision_at_cursor(lab, &cluster);
    match cluster.api().etcd().range_at("", revision) {
        Ok(keys) => EtcdSnapshot { revision, keys, error: None },
        Err(_) => EtcdSnapshot {
            revision,
            keys: Vec::new(),
            error: Some(format!(
                "revision {revision} has been compacted: etcd no longer has the keys as they were then"
            )),
        },
    }
}

/// The virtual time on screen: the current entry's, or the cluster's clock.
fn clock_at(lab: &Lab, current: Option<&TraceEntry>) -> Millis {
    match current {
        Some(entry) => entry.at,
        None => lab.cluster.try_borrow().map(|c| c.now()).unwrap_or(0),
    }
}
