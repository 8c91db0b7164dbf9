//! The page: every component, wired to the one reducer.
//!
//! On load the editor gets the text saved by the last visit (else the default manifest); an
//! address with `#s=` replays a shared scenario; `?embed=` shows only the panels it names. Every
//! edit is saved at once.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser;
use super::cluster_diagram::ClusterDiagram;
use super::console::Console;
use super::controls::{key_action, Controls};
use super::editor::Editor;
use super::etcd_view::EtcdView;
use super::examples_menu::YOUR_TEXT;
use super::inspector::Inspector;
use super::layout::{Layout, Panel};
use super::mesh_view::MeshView;
use super::network_view::NetworkView;
use super::node_controls::NodeControls;
use super::objects::Objects;
use super::ownership_tree::OwnershipTree;
use super::pod_timeline::PodTimelinePanel;
use super::prompt::Prompt;
use super::scheduling_table::{SchedulingPick, SchedulingTable};
use super::sequence_diagram::SequenceDiagram;
use super::share::{self, ShareBox};
use super::state::{Action, Lab, DEFAULT_YAML, PLAY_INTERVAL_MS};
use super::step_detail::StepDetail;
use super::storage::{self, StorageKeys};
use super::theme::ThemeToggle;
use super::tour::TourPanel;
use super::trace_view::TraceView;
use crate::cluster::ClusterView;
use crate::pod_history::PodIndex;
use crate::sim::{Millis, TraceEntry};
use crate::view::ViewCache;

/// What the page asks before an example or a link replaces a text of the user's while another
/// is already kept.
const DROP_QUESTION: &str = "The editor holds text you typed, and an earlier text of yours is \
kept as \"Your text\" in the examples menu. Keep the editor's text there instead (the earlier one \
is dropped)?";

/// A link made by Share, and whether the clipboard took it.
#[derive(Clone, PartialEq)]
struct Shared {
    url: String,
    copied: bool,
}
#[function_component(App)]
pub fn app() -> Html {
    let layout = use_memo((), |_| {
        Layout::from_query(&browser::location("search"), &browser::location("hash"))
    });
    let keys = use_memo((), {
        let layout = layout.clone();
        move |_| {
            // The page at scale keeps its editor text apart, so it never replaces the user's.
            let perf = super::perf_page::requested(&browser::location("search")).map(|_| "?perf");
            StorageKeys::for_page(perf.or(layout.embed.as_deref()))
        }
    });
    let lab = use_reducer({
        let keys = keys.clone();
        move || {
            if let Some((nodes, pods)) = super::perf_page::requested(&browser::location("search")) {
                return super::perf_page::lab(nodes, pods);
            }
            let yaml = storage::load(&keys.yaml).unwrap_or_else(|| DEFAULT_YAML.to_string());
            Lab::starting_with(yaml, storage::load(&keys.your_text))
        }
    });
    use_play_timer(&lab);
    use_restore_on_load(&lab, layout.is_embed());
    use_saved_text(&lab, &keys);
    use_timeline_keys(&lab);
    let shared = use_state(|| None::<Shared>);

    let trace = lab.revealed_trace();
    // etcd at one revision never changes: the views of it are computed once per revision of
    // this cluster, so stepping over entries that wrote nothing costs nothing here.
    let revision = lab
        .cluster
        .try_borrow()
        .map(|c| revision_at_cursor(&lab, &c))
        .unwrap_or(0);
    // What each object version derives to (a pod's row, a workload's columns) is kept across
    // steps: a step derives only the objects written since.
    let view_cache = use_mut_ref(|| (0, ViewCache::default()));
    let view = {
        let lab = lab.clone();
        let cache = Rc::clone(&view_cache);
        use_memo((lab.cluster_id, revision), move |(_, revision)| {
            view_at(&lab, *revision, &cache)
        })
    };
    let ownership = {
        let lab = lab.clone();
        let cache = Rc::clone(&view_cache);
        use_memo((lab.cluster_id, revision), move |(_, revision)| {
            ownership_at(&lab, *revision, &cache)
        })
    };
    // The memos hold the cache's shared pointers: an unchanged view is the same pointer.
    let view: Rc<ClusterView> = Rc::clone(&view);
    let ownership: Rc<Vec<crate::view::OwnedObject>> = Rc::clone(&ownership);
    let pods: Rc<Vec<String>> = use_memo(Rc::clone(&view), |view| {
        view.pods
            .iter()
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect()
    });
    let pod_shown = selected_pod(&lab, &pods);
    // What the pod panel reads from the trace and etcd is kept up to date as they grow, so a
    // step (back, or at the live end) costs no scan of the whole trace.
    let pod_index = use_mut_ref(|| (0, PodIndex::default()));
    catch_up_pod_index(&lab, &pod_index, pod_shown.as_deref());
    let pod_timeline = {
        let lab = lab.clone();
        let index = Rc::clone(&pod_index);
        use_memo((lab.version, lab.cursor, pod_shown), move |_| {
            pod_timeline_at_cursor(&lab, &index)
        })
    };
    let scheduling_pod = use_state(|| None::<String>);
    let scheduling = {
        let lab = lab.clone();
        let chosen = (*scheduling_pod).clone();
        // The trace only grows, so the cycles up to the entry on screen are known by their
        // number: stepping where no cycle ran recomputes nothing.
        let cycles_shown = cycles_up_to_cursor(&lab);
        use_memo(
            (lab.cluster_id, cycles_shown, chosen),
            move |(_, _, chosen)| Rc::new(scheduling_at_cursor(&lab, chosen.as_deref())),
        )
    };
    let onpickscheduled = {
        let scheduling_pod = scheduling_pod.clone();
        use_callback((), move |pod: String, _| scheduling_pod.set(Some(pod)))
    };
    let kubelets = {
        let lab = lab.clone();
        use_memo(lab.version, move |_| {
            lab.cluster
                .try_borrow()
                .map(|c| c.kubelet_states())
                .unwrap_or_default()
        })
    };
    let mesh = {
        let lab = lab.clone();
        use_memo((lab.version, lab.cursor), move |_| {
            mesh_comparison(&lab).map(Rc::new)
        })
    };
    let mesh_enabled = mesh.is_some();
    let current = lab.current_entry();
    let failure = lab.failure.clone().unwrap_or_default();
    let markers = Rc::new(failure.markers.clone());
    let clock = clock_at(&lab, current.as_ref());

    // Every callback is the same from render to render: a panel whose other props did not change
    // is then not redrawn at a step (a new callback each render made the editor, the node
    // controls and the scheduling table redraw at every step).
    let onback = use_action(&lab, |_: MouseEvent| Action::StepBack);
    let onstep = use_action(&lab, |_: MouseEvent| Action::Step);
    let onplay = use_action(&lab, |_: MouseEvent| Action::Play);
    let onpause = use_action(&lab, |_: MouseEvent| Action::Pause);
    let onrun = use_action(&lab, |_: MouseEvent| Action::Run);
    let onreset = use_action(&lab, |_: MouseEvent| Action::Reset);
    let ondismiss = use_action(&lab, |_: MouseEvent| Action::Notice(None));
    let onedit = use_action(&lab, Action::EditYaml);
    let onapply = use_action(&lab, Action::Apply);
    let onkubectl = use_action(&lab, Action::Kubectl);
    let onselect = use_action(&lab, Action::Select);
    let onkey = use_action(&lab, Action::SelectKey);
    let onpickpod = use_action(&lab, Action::SelectPod);
    let onnode = use_action(&lab, |(action, node)| Action::Node(action, node));
    let ontoggleheartbeats = use_action(&lab, |()| Action::ToggleHeartbeats);
    let ontourstep = use_action(&lab, Action::TourStep);
    // Those that read the state when called read the latest one.
    let latest = use_mut_ref(|| lab.clone());
    *latest.borrow_mut() = lab.clone();
    let onchoose = {
        let latest = Rc::clone(&latest);
        use_callback((), move |choice: String, _| {
            let lab = latest.borrow().clone();
            choose(&lab, choice)
        })
    };
    let onstarttour = {
        let latest = Rc::clone(&latest);
        use_callback((), move |tour: &'static crate::tours::Tour, _| {
            let lab = latest.borrow().clone();
            start_tour(&lab, tour)
        })
    };
    let onshare = {
        let latest = Rc::clone(&latest);
        let shared = shared.clone();
        use_callback((), move |_: MouseEvent, _| {
            let url = share::share_url(&latest.borrow().to_scenario());
            let copied = browser::copy_to_clipboard(&url);
            shared.set(Some(Shared { url, copied }));
        })
    };
    // The object the inspector shows, and the revision its diff compares with.
    let inspected = use_state(|| None::<String>);
    let compared = use_state(|| None::<i64>);
    let oninspect = {
        let (inspected, compared) = (inspected.clone(), compared.clone());
        use_callback((), move |key: String, _| {
            inspected.set(Some(key));
            compared.set(None);
        })
    };
    let oncompare = {
        let compared = compared.clone();
        use_callback((), move |revision: Option<i64>, _| compared.set(revision))
    };
    let onclose = {
        let shared = shared.clone();
        use_callback((), move |_: MouseEvent, _| shared.set(None))
    };

    let notices: Vec<String> = layout
        .problem
        .iter()
        .chain(lab.notice.iter())
        .cloned()
        .collect();
    let shows = |panel| layout.shows(panel);
    let single = !(layout.column_shows(true) && layout.column_shows(false));

    html! {
        <div class={classes!("podlab", layout.is_embed().then_some("embed"))}>
            <header class="topbar">
                <h1>{ "podlab" }</h1>
                if !layout.is_embed() {
                    <span class="tagline">{ "what happens when you kubectl apply a Pod" }</span>
                }
                <Controls
                    playing={lab.playing}
                    at_end={lab.at_end()}
                    at_start={lab.cursor.is_none_or(|c| c == 0)}
                    {clock}
                    {onback} {onstep} {onplay} {onpause} {onrun} {onreset}
                />
                <div class="page-actions">
                    <button id="share" class="secondary" type="button" onclick={onshare}
                        title="Make a link that replays this scenario: the manifest, the commands and the step on screen"
                        aria-label="Share a link to this scenario">{ "Share" }</button>
                    <ThemeToggle />
                </div>
            </header>
            for notice in notices {
                <p id="notice" class="notice" role="alert">
                    <span>{ notice }</span>
                    <button class="secondary" type="button" aria-label="Dismiss the message"
                        onclick={ondismiss.clone()}>{ "×" }</button>
                </p>
            }
            if let Some(Shared { url, copied }) = (*shared).clone() {
                <ShareBox {url} {copied} {onclose} />
            }
            <main class={classes!("columns", single.then_some("single"))}>
                if layout.column_shows(true) {
                    <section class="column left">
                        if shows(Panel::Editor) {
                            <Editor yaml={lab.yaml.clone()} {onedit} {onapply} {markers}
                                has_your_text={lab.your_text.is_some()} {onchoose} />
                        }
                        if shows(Panel::Console) {
                            <Console entries={Rc::clone(&lab.console)} />
                            <Prompt onsubmit={onkubectl} />
                        }
                    </section>
                }
                if layout.column_shows(false) {
                    <section class="column right">
                        if shows(Panel::Tour) {
                            <TourPanel trace={trace.clone()} cursor={lab.cursor}
                                tour={lab.tour.clone()} onstart={onstarttour} onstep={ontourstep}
                                onselect={onselect.clone()} />
                        }
                        if shows(Panel::Step) {
                            <StepDetail
                                entry={current.clone()}
                                rejected={lab.cursor.is_some_and(|c| failure.trace.rejected.contains(&c))}
                                cursor={lab.cursor}
                                revealed={lab.revealed}
                            />
                        }
                        if shows(Panel::Map) {
                            <ClusterDiagram view={Rc::clone(&view)} current={current}
                                mesh={mesh_enabled} />
                            <NodeControls kubelets={kubelets} onaction={onnode} />
                        }
                        if shows(Panel::Objects) {
                            <Objects view={Rc::clone(&view)} />
                        }
                        if shows(Panel::Ownership) {
                            <OwnershipTree roots={ownership} />
                        }
                        if shows(Panel::Pod) {
                            <PodTimelinePanel timeline={pod_timeline} {pods} cursor={lab.cursor}
                                onpick={onpickpod} onselect={onselect.clone()} />
                            if let Some(comparison) = (*mesh).clone() {
                                <MeshView {comparison} />
                            }
                        }
                        if shows(Panel::Etcd) {
                            <EtcdView store={lab.store_at(revision)} selected={lab.etcd_key.clone()} onselect={onkey} />
                        }
                        if shows(Panel::Inspector) {
                            <Inspector store={lab.store_at(revision)} {clock}
                                selected={(*inspected).clone()} compare={*compared}
                                onselect={oninspect} {oncompare} />
                        }
                        if shows(Panel::Network) {
                            <NetworkView trace={trace.clone()} cursor={lab.cursor} />
                        }
                        if shows(Panel::Scheduling) {
                            <SchedulingTable pick={(*scheduling).clone()} onpick={onpickscheduled} />
                        }
                        if shows(Panel::Sequence) {
                            <SequenceDiagram entries={trace.clone()} cursor={lab.cursor}
                                show_heartbeats={lab.show_heartbeats} onselect={onselect.clone()} />
                        }
                        if shows(Panel::Trace) {
                            <TraceView
                                entries={trace}
                                cursor={lab.cursor}
                                rejected={Rc::new(failure.trace.clone())}
                                {onselect}
                                show_heartbeats={lab.show_heartbeats}
                                {ontoggleheartbeats}
                            />
                        }
                    </section>
                }
            </main>
        </div>
    }
}

/// A callback that sends `make(input)` to the page's reducer, the same callback at every render.
#[hook]
fn use_action<IN: 'static>(lab: &UseReducerHandle<Lab>, make: fn(IN) -> Action) -> Callback<IN> {
    let dispatcher = lab.dispatcher();
    use_callback((), move |input: IN, _| dispatcher.dispatch(make(input)))
}

/// The examples menu's choice: "Your text" swaps the kept text back (nothing is dropped); an
/// example replaces the editor's text after keeping it, asking first if that would drop another.
fn choose(lab: &UseReducerHandle<Lab>, choice: String) {
    if choice == YOUR_TEXT {
        lab.dispatch(Action::RestoreYourText);
    } else if !lab.would_drop_your_text() || browser::confirm(DROP_QUESTION) {
        lab.dispatch(Action::ChooseExample(choice));
    }
}

/// Start a guided tour, asking first if that would drop a text of the user's. False if declined.
fn start_tour(lab: &UseReducerHandle<Lab>, tour: &'static crate::tours::Tour) -> bool {
    let go = !lab.would_drop_your_text() || browser::confirm(DROP_QUESTION);
    if go {
        lab.dispatch(Action::StartTour(tour.id.to_string()));
    }
    go
}

/// On load, and whenever a link is pasted into the address bar of the open page (`hashchange`):
/// replay the scenario of a `#s=` address, or say in one line why it cannot be read (the page then
/// goes on as it was).
#[hook]
fn use_restore_on_load(lab: &UseReducerHandle<Lab>, embed: bool) {
    // The listener outlives this render: it reads the latest state through this cell.
    let latest = use_mut_ref(|| lab.clone());
    *latest.borrow_mut() = lab.clone();
    use_effect_with((), move |_| {
        restore_from_address(&latest.borrow(), embed);
        let listener = web_sys::window().map(|window| {
            EventListener::new(&window, "hashchange", move |_| {
                restore_from_address(&latest.borrow(), embed)
            })
        });
        move || drop(listener)
    });
}

/// Replay the address's `#s=` scenario, if it has one. The full page then drops the fragment from
/// the address, so that a reload keeps the edits made since; an embed keeps its address as the
/// tutorial wrote it.
fn restore_from_address(lab: &UseReducerHandle<Lab>, embed: bool) {
    match share::scenario_on_load() {
        None => return,
        Some(Err(why)) => lab.dispatch(Action::Notice(Some(why.to_string()))),
        Some(Ok(scenario)) => {
            if !lab.would_drop_your_text() || browser::confirm(DROP_QUESTION) {
                lab.dispatch(Action::Restore(scenario));
            }
        }
    }
    if !embed {
        share::forget_fragment();
    }
}

/// Save the editor's text (and the kept "Your text") whenever it changes.
#[hook]
fn use_saved_text(lab: &UseReducerHandle<Lab>, keys: &Rc<StorageKeys>) {
    let keys = Rc::clone(keys);
    use_effect_with(
        (lab.yaml.clone(), lab.your_text.clone()),
        move |(yaml, your_text)| {
            storage::save(&keys.yaml, Some(yaml));
            storage::save(&keys.your_text, your_text.as_deref());
        },
    );
}

/// Left, Right and Space anywhere but in a text field drive the timeline ([`key_action`]).
#[hook]
fn use_timeline_keys(lab: &UseReducerHandle<Lab>) {
    let dispatcher = lab.dispatcher();
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&document, "keydown", options, move |event| {
                    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    let (typing, on_button) = focus_of(event);
                    let modified = key.alt_key() || key.ctrl_key() || key.meta_key();
                    if let Some(action) = key_action(&key.key(), modified, typing, on_button) {
                        event.prevent_default();
                        dispatcher.dispatch(action);
                    }
                })
            });
        move || drop(listener)
    });
}

/// Whether a key event goes to a text field or menu (`typing`), or to a button.
fn focus_of(event: &web_sys::Event) -> (bool, bool) {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return (false, false);
    };
    let tag = element.tag_name().to_ascii_uppercase();
    let typing =
        matches!(tag.as_str(), "TEXTAREA" | "INPUT" | "SELECT") || element.is_content_editable();
    (typing, tag == "BUTTON")
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

/// Once the mesh is enabled: the first meshed pod's sidecar view of the first Service it has
/// endpoints for, beside its node's kube-proxy rules, as they were at the entry on screen (the
/// live views when none is).
fn mesh_comparison(lab: &Lab) -> Option<crate::mesh::compare::MeshComparison> {
    let cluster = lab.cluster.try_borrow().ok()?;
    if !cluster.mesh_enabled() {
        return None;
    }
    let at = lab
        .cursor
        .and_then(|c| cluster.trace().get(c))
        .map(|e| e.at);
    let net = cluster.network().borrow();
    let sidecars = match (at, net.mesh_history.as_ref()) {
        (Some(at), Some(history)) => history.sidecars_at(at),
        _ => net.sidecars.clone(),
    };
    let Some((pod, config)) = sidecars.iter().next() else {
        // No sidecar yet at this step: the first pod that will have one, without its view.
        let pod = net.sidecars.keys().next()?;
        return Some(crate::mesh::compare::compare_at(
            &net,
            pod,
            "",
            at.unwrap_or(0),
        ));
    };
    // A Service of the user's rather than the API server's or the cluster DNS's.
    let services: Vec<String> = config
        .clusters
        .keys()
        .filter_map(|name| service_of_cluster(name))
        .collect();
    let service = services
        .iter()
        .find(|s| *s != "default/kubernetes" && !s.starts_with("kube-system/"))
        .or_else(|| services.first())
        .cloned()
        .unwrap_or_default();
    Some(match at {
        Some(at) => crate::mesh::compare::compare_at(&net, pod, &service, at),
        None => crate::mesh::compare::compare(&net, pod, &service),
    })
}

/// `namespace/name` of the Service an Envoy cluster such as
/// `outbound|80||web.default.svc.cluster.local` sends to.
fn service_of_cluster(cluster: &str) -> Option<String> {
    let host = cluster.split('|').nth(3)?;
    let mut labels = host.split('.');
    let (name, namespace) = (labels.next()?, labels.next()?);
    Some(format!("{namespace}/{name}"))
}

/// How many scheduling cycles ran up to the entry on screen (all those revealed if none is).
fn cycles_up_to_cursor(lab: &Lab) -> usize {
    let upto = lab.cursor.map_or(lab.revealed, |c| c + 1);
    lab.cluster
        .try_borrow()
        .map(|c| {
            c.trace_log()
                .attachments::<crate::scheduler::cycle::SchedulingCycle>(upto)
                .count()
        })
        .unwrap_or(0)
}

/// The scheduling table's pods and the cycle it shows, from the cycles up to the entry on screen
/// (all those revealed if none is).
fn scheduling_at_cursor(lab: &Lab, chosen: Option<&str>) -> SchedulingPick {
    let upto = lab.cursor.map_or(lab.revealed, |c| c + 1);
    lab.cluster
        .try_borrow()
        .map(|c| SchedulingPick::of(crate::scheduler::cycle::cycles(c.trace_log(), upto), chosen))
        .unwrap_or_default()
}

/// The page's [`ViewCache`], for the cluster the page shows: a cache kept for another cluster
/// (before a reset) is dropped first.
type ViewCacheCell = std::cell::RefCell<(u64, ViewCache)>;

fn with_view_cache<R>(
    cell: &ViewCacheCell,
    cluster_id: u64,
    f: impl FnOnce(&mut ViewCache) -> R,
) -> Option<R> {
    let mut cache = cell.try_borrow_mut().ok()?;
    if cache.0 != cluster_id {
        *cache = (cluster_id, ViewCache::default());
    }
    Some(f(&mut cache.1))
}

/// The cluster as etcd held it at `revision`.
fn view_at(lab: &Lab, revision: i64, cache: &ViewCacheCell) -> Rc<ClusterView> {
    let Ok(cluster) = lab.cluster.try_borrow() else {
        return Rc::default();
    };
    let etcd = cluster.api().etcd();
    with_view_cache(cache, lab.cluster_id, |cache| {
        crate::view::shared_view_at(etcd, revision, cache)
    })
    .unwrap_or_else(|| Rc::new(cluster.view_at(revision)))
}

/// The pod the pod panel shows: the one picked, else the first outside kube-system, else the
/// first.
fn selected_pod(lab: &Lab, pods: &[String]) -> Option<String> {
    lab.selected_pod.clone().or_else(|| {
        pods.iter()
            .find(|k| !k.starts_with("kube-system/"))
            .or_else(|| pods.first())
            .cloned()
    })
}

/// The page's [`PodIndex`] for the cluster it shows (started afresh for another cluster),
/// brought up to date with what the cluster did since, for pod `key`.
fn catch_up_pod_index(lab: &Lab, index: &std::cell::RefCell<(u64, PodIndex)>, key: Option<&str>) {
    let (Ok(mut index), Ok(cluster)) = (index.try_borrow_mut(), lab.cluster.try_borrow()) else {
        return;
    };
    if index.0 != lab.cluster_id {
        *index = (lab.cluster_id, PodIndex::default());
    }
    index.1.catch_up(cluster.trace(), cluster.api().etcd(), key);
}

/// The timeline of the pod followed as the cluster was once the entry on screen was done.
fn pod_timeline_at_cursor(
    lab: &Lab,
    index: &std::cell::RefCell<(u64, PodIndex)>,
) -> crate::pod_history::PodTimeline {
    let (Ok(index), Ok(cluster)) = (index.try_borrow(), lab.cluster.try_borrow()) else {
        return crate::pod_history::PodTimeline::default();
    };
    index.1.timeline(cluster.trace(), lab.cursor)
}

/// The ownership tree as etcd held the cluster at `revision`.
fn ownership_at(
    lab: &Lab,
    revision: i64,
    cache: &ViewCacheCell,
) -> Rc<Vec<crate::view::OwnedObject>> {
    let Ok(cluster) = lab.cluster.try_borrow() else {
        return Rc::default();
    };
    let etcd = cluster.api().etcd();
    with_view_cache(cache, lab.cluster_id, |cache| {
        crate::view::shared_ownership_at(etcd, revision, cache)
    })
    .unwrap_or_else(|| Rc::new(crate::view::ownership_at_revision(etcd, revision)))
}

/// The etcd revision of the entry on screen (the latest one if none is).
fn revision_at_cursor(lab: &Lab, cluster: &crate::cluster::Cluster) -> i64 {
    crate::sim::trace::revision_after(cluster.trace(), lab.cursor, cluster.revision())
}

/// The virtual time on screen: the current entry's, or the cluster's clock.
fn clock_at(lab: &Lab, current: Option<&TraceEntry>) -> Millis {
    match current {
        Some(entry) => entry.at,
        None => lab.cluster.try_borrow().map(|c| c.now()).unwrap_or(0),
    }
}
