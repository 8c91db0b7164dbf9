//! etcd at the step on screen, in a panel the user opens (closed, it leaves the trace in sight,
//! and its keys are not read):
//! every key the store held at that revision (those the step wrote marked), a filter, and for the
//! key clicked its value with its create and mod revisions and version — what `etcdctl get KEY --rev=N -w fields` would show. podlab stores JSON where a
//! default kube-apiserver stores protobuf; the panel says so.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::StoreAt;
use crate::etcd::KeyValue;

/// The store at one revision, as the page reads it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EtcdSnapshot {
    /// The revision shown.
    pub revision: i64,
    /// Every key at that revision, in key order; empty when it was compacted.
    pub keys: Vec<KeyValue>,
    /// Set when the revision cannot be read (`required revision has been compacted`).
    pub error: Option<String>,
}

impl EtcdSnapshot {
    /// Every key of `store` at its revision, or why they cannot be read.
    fn of(store: &StoreAt) -> EtcdSnapshot {
        let revision = store.revision;
        let keys = store.with(|c| c.api().etcd().range_at("", revision));
        match keys {
            Some(Ok(keys)) => EtcdSnapshot {
                revision,
                keys,
                error: None,
            },
            Some(Err(_)) => EtcdSnapshot {
                revision,
                keys: Vec::new(),
                error: Some(format!(
                    "revision {revision} has been compacted: etcd no longer has the keys as they were then"
                )),
            },
            None => EtcdSnapshot {
                revision,
                ..EtcdSnapshot::default()
            },
        }
    }
}

#[derive(PartialEq, Properties)]
pub struct EtcdViewProps {
    /// The store at the revision on screen; its keys are read only while the panel is open
    /// (a large cluster's thousands of keys cost a frame to copy and to draw).
    pub store: StoreAt,
    /// The key whose value is shown.
    pub selected: Option<String>,
    /// A key was clicked.
    pub onselect: Callback<String>,
}

#[function_component(EtcdView)]
pub fn etcd_view(props: &EtcdViewProps) -> Html {
    let filter = use_state(String::new);
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                filter.set(input.value());
            }
        })
    };
    let open = use_state(|| false);
    let snapshot = {
        let (store, is_open) = (props.store.clone(), *open);
        use_memo((store, is_open), |(store, is_open)| {
            if *is_open {
                EtcdSnapshot::of(store)
            } else {
                EtcdSnapshot {
                    revision: store.revision,
                    ..EtcdSnapshot::default()
                }
            }
        })
    };
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let snapshot: &EtcdSnapshot = &snapshot;
    let shown: Vec<&KeyValue> = snapshot
        .keys
        .iter()
        .filter(|kv| kv.key.contains(filter.as_str()))
        .collect();
    let selected = props.selected.as_deref();
    html! {
        <details id="etcd" class="panel etcd-panel">
            <summary class="panel-title" onclick={ontoggle}>
                <h2>{ format!("etcd at revision {}", snapshot.revision) }</h2>
                if *open {
                    <span class="hint">{ format!("{} of {} keys", shown.len(), snapshot.keys.len()) }</span>
                }
            </summary>
            <input
                id="etcd-filter"
                class="etcd-filter"
                type="text"
                spellcheck="false"
                placeholder="filter keys: /registry/pods/"
                aria-label="filter etcd keys"
                value={(*filter).clone()}
                {oninput}
            />
            if let Some(error) = &snapshot.error {
                <p class="etcd-error">{ error }</p>
            }
            <div class="etcd-body">
                <ul id="etcd-keys" class="etcd-keys">
                    { for shown.iter().map(|kv| key_line(kv, snapshot.revision, selected, &props.onselect)) }
                </ul>
                { value_pane(snapshot, selected) }
            </div>
        </details>
    }
}

/// One key; a click selects it. Keys the revision itself wrote are marked.
fn key_line(
    kv: &KeyValue,
    revision: i64,
    selected: Option<&str>,
    onselect: &Callback<String>,
) -> Html {
    let key = kv.key.clone();
    let onclick = onselect.reform(move |_: MouseEvent| key.clone());
    let class = classes!(
        "etcd-key",
        (kv.mod_revision == revision).then_some("written"),
        (selected == Some(kv.key.as_str())).then_some("selected"),
    );
    html! {
        <li {class} data-key={kv.key.clone()} title={format!("mod revision {}", kv.mod_revision)} {onclick}>
            { &kv.key }
        </li>
    }
}

/// The selected key's value and revisions, or a hint.
fn value_pane(snapshot: &EtcdSnapshot, selected: Option<&str>) -> Html {
    let Some(key) = selected else {
        return html! {
            <div id="etcd-value" class="etcd-value empty">
                <p class="hint">{ "Click a key to see its value, as etcdctl get KEY -w fields shows it." }</p>
            </div>
        };
    };
    let Some(kv) = snapshot.keys.iter().find(|kv| kv.key == key) else {
        return html! {
            <div id="etcd-value" class="etcd-value">
                <code class="etcd-selected-key">{ key }</code>
                <p class="hint">{ format!("not in etcd at revision {} (not yet created, or deleted)", snapshot.revision) }</p>
            </div>
        };
    };
    let value = serde_json::to_string_pretty(&kv.value).unwrap_or_default();
    html! {
        <div id="etcd-value" class="etcd-value">
            <code class="etcd-selected-key">{ &kv.key }</code>
            <dl class="etcd-revisions">
                <dt>{ "CreateRevision" }</dt><dd class="create-revision">{ kv.create_revision }</dd>
                <dt>{ "ModRevision" }</dt><dd class="mod-revision">{ kv.mod_revision }</dd>
                <dt>{ "Version" }</dt><dd class="version">{ kv.version }</dd>
            </dl>
            <pre class="etcd-json">{ value }</pre>
            <p class="hint">{ "The value as JSON; a default kube-apiserver stores protobuf (--storage-media-type)." }</p>
        </div>
    }
}
