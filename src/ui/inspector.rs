//! The object inspector, in a panel the user opens (closed, it reads nothing as the cursor
//! steps): pick any object the store held at the revision on screen and see it as kubectl would
//! have shown it then — its YAML (`kubectl get -o yaml`), a diff against another of its
//! revisions, its Events table (`kubectl describe`) and, for a pod, its containers' logs
//! (`kubectl logs`) up to the cursor's time. The data comes from [`crate::inspect`].

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::browser;
use super::state::StoreAt;
use crate::inspect::{
    filter_objects, panel_at, Change, ContainerLog, Cursor, DiffLine, Inspected, ObjectRef,
    PanelData, Section, SectionBody,
};
use crate::sim::Millis;

#[derive(PartialEq, Properties)]
pub struct InspectorProps {
    /// The store at the revision on screen; read only while the panel is open.
    pub store: StoreAt,
    /// The cursor's virtual time (events' ages, how far logs go).
    pub clock: Millis,
    /// The etcd key of the object inspected.
    pub selected: Option<String>,
    /// The other revision the Diff compares with (None: the change before the one on screen).
    pub compare: Option<i64>,
    /// An object was picked (its etcd key).
    pub onselect: Callback<String>,
    /// Another revision was chosen to compare with, or the default again.
    pub oncompare: Callback<Option<i64>>,
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let open = use_state(|| false);
    let section = use_state(Section::default);
    let filter = use_state(String::new);
    let panel = {
        let deps = (
            props.store.clone(),
            props.selected.clone(),
            props.compare,
            props.clock,
            *open,
            *section,
        );
        use_memo(deps, |(store, selected, compare, clock, open, section)| {
            read_panel(
                store,
                selected.as_deref(),
                *compare,
                *clock,
                *open,
                *section,
            )
        })
    };
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                filter.set(input.value());
            }
        })
    };
    let onpick = props
        .onselect
        .reform(|e: Event| browser::target_value(&e).unwrap_or_default());
    let panel: &PanelData = &panel;
    let shown = filter_objects(&panel.objects, &filter);
    html! {
        <details id="inspector" class="panel inspector-panel">
            <summary class="panel-title" onclick={ontoggle}>
                <h2>{ format!("Inspector at revision {}", panel.revision) }</h2>
                if let Some(key) = &props.selected {
                    <span class="hint">{ key }</span>
                }
            </summary>
            if let Some(error) = &panel.error {
                <p class="inspector-error">{ error }</p>
            }
            <div class="inspector-picker">
                <input id="inspector-filter" class="inspector-filter" type="text"
                    spellcheck="false" placeholder="filter: pod/, kube-system, nginx"
                    aria-label="filter the objects" value={(*filter).clone()} {oninput} />
                <select id="inspector-objects" class="inspector-objects" size="6"
                    aria-label={format!("objects at revision {}", panel.revision)} onchange={onpick}>
                    { object_options(&shown, props.selected.as_deref()) }
                </select>
            </div>
            { match &panel.selected {
                Some(inspected) => inspected_view(inspected, &section, props.compare, &props.oncompare),
                None => html! {
                    <p class="hint">{ "Pick an object to see its YAML, how it changed, its events and its logs." }</p>
                },
            } }
        </details>
    }
}

/// The panel's data: read from the store only while the panel is open.
fn read_panel(
    store: &StoreAt,
    selected: Option<&str>,
    compare: Option<i64>,
    clock: Millis,
    open: bool,
    section: Section,
) -> PanelData {
    let closed = PanelData {
        revision: store.revision,
        ..PanelData::default()
    };
    if !open {
        return closed;
    }
    let cursor = Cursor {
        revision: store.revision,
        clock,
        selected,
        compare,
        section,
    };
    store
        .with(|c| panel_at(c.api().etcd(), c.trace(), c, cursor))
        .unwrap_or(closed)
}

/// The objects as options, grouped by resource.
fn object_options(objects: &[&ObjectRef], selected: Option<&str>) -> Html {
    let groups = objects.chunk_by(|a, b| a.resource == b.resource);
    html! {
        for group in groups {
            <optgroup label={group.first().map(|o| o.resource.clone()).unwrap_or_default()}>
                for object in group.iter() {
                    <option value={object.key.clone()} selected={selected == Some(object.key.as_str())}
                        title={object.key.clone()}>
                        { object.short_name() }
                    </option>
                }
            </optgroup>
        }
    }
}

/// The inspected object: its section tabs and the open section.
fn inspected_view(
    inspected: &Inspected,
    section: &UseStateHandle<Section>,
    chosen: Option<i64>,
    oncompare: &Callback<Option<i64>>,
) -> Html {
    html! {
        <div class="inspector-object">
            <code class="inspector-key">{ &inspected.key }</code>
            <div class="inspector-tabs" role="tablist" aria-label="what to show of the object">
                for choice in Section::ALL.into_iter().filter(|s| s.applies_to(inspected.kind)) {
                    { tab(choice, inspected.section, section) }
                }
            </div>
            <div id="inspector-section" class="inspector-section" role="tabpanel"
                aria-label={inspected.section.label()}>
                { section_body(inspected, chosen, oncompare) }
            </div>
        </div>
    }
}

fn tab(choice: Section, shown: Section, section: &UseStateHandle<Section>) -> Html {
    let onclick = {
        let section = section.clone();
        Callback::from(move |_: MouseEvent| section.set(choice))
    };
    let selected = choice == shown;
    html! {
        <button type="button" role="tab" class={classes!("inspector-tab", selected.then_some("selected"))}
            aria-selected={selected.to_string()} aria-controls="inspector-section" {onclick}>
            { choice.label() }
        </button>
    }
}

fn section_body(
    inspected: &Inspected,
    chosen: Option<i64>,
    oncompare: &Callback<Option<i64>>,
) -> Html {
    match &inspected.body {
        SectionBody::Yaml(Some(yaml)) => html! { <pre class="inspector-yaml">{ yaml }</pre> },
        SectionBody::Yaml(None) => html! {
            <p class="hint">{ "Not in etcd at this revision (not yet created, or deleted)." }</p>
        },
        SectionBody::Diff {
            older,
            newer,
            lines,
        } => html! {
            <>
                { compare_picker(&inspected.history, chosen, oncompare) }
                <p class="hint">{ format!("rev {older} → rev {newer}") }</p>
                <pre class="inspector-diff">{ for lines.iter().map(diff_line) }</pre>
            </>
        },
        SectionBody::NoDiff => html! {
            <>
                { compare_picker(&inspected.history, chosen, oncompare) }
                <p class="hint">{ "The object has no other revision to compare with." }</p>
            </>
        },
        SectionBody::Events(Ok(table)) => html! { <pre class="inspector-events">{ table }</pre> },
        SectionBody::Events(Err(why)) | SectionBody::Logs(Err(why)) => {
            html! { <p class="hint">{ why }</p> }
        }
        SectionBody::Logs(Ok(logs)) => html! {
            <div class="inspector-logs">{ for logs.iter().map(container_log) }</div>
        },
    }
}

/// The object's changes to compare with; the empty choice (`chosen` None) is the default.
fn compare_picker(
    history: &[Change],
    chosen: Option<i64>,
    oncompare: &Callback<Option<i64>>,
) -> Html {
    let onchange =
        oncompare.reform(|e: Event| browser::target_value(&e).and_then(|v| v.parse::<i64>().ok()));
    html! {
        <label class="inspector-compare">
            { "Compare with " }
            <select id="inspector-compare" aria-label="the revision to compare with" {onchange}>
                <option value="" selected={chosen.is_none()}>{ "the change before" }</option>
                for change in history.iter() {
                    <option value={change.revision.to_string()} selected={chosen == Some(change.revision)}
                        title={change.by.clone().unwrap_or_default()}>
                        { change.label() }
                    </option>
                }
            </select>
        </label>
    }
}

fn diff_line(line: &DiffLine) -> Html {
    html! { <span class={line.class()}>{ line.text() }{ "\n" }</span> }
}

fn container_log(log: &ContainerLog) -> Html {
    html! {
        <section class="inspector-log">
            <h3>{ &log.container }
                if log.role != "regular" {
                    <span class="hint">{ format!(" ({} container)", log.role) }</span>
                }
            </h3>
            <pre>{ log.text() }</pre>
        </section>
    }
}
