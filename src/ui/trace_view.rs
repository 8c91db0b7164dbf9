//! The trace: one line per step, the current one highlighted. Clicking a line goes back to it.
//! The nodes' heartbeats (each kubelet's Lease renewal and node status read every 10 s, as on a
//! real cluster: pkg/kubelet/kubelet.go, kubelet_node_status.go) would flood it: they are hidden
//! unless the "heartbeats" toggle is on.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::format::virtual_time;
use super::rejection::TraceRejection;
use super::step_detail::actor_badge;
use crate::sim::{Actor, TraceEntry};

#[derive(PartialEq, Properties)]
pub struct TraceViewProps {
    /// The entries shown so far.
    pub entries: Rc<Vec<TraceEntry>>,
    pub cursor: Option<usize>,
    /// The steps of a failed Apply that refused it, and the error responses.
    pub rejected: Rc<TraceRejection>,
    /// A line was clicked.
    pub onselect: Callback<usize>,
    /// Whether heartbeat entries are listed.
    #[prop_or_default]
    pub show_heartbeats: bool,
    /// The heartbeats toggle was clicked.
    #[prop_or_default]
    pub ontoggleheartbeats: Callback<()>,
}

/// Whether `entry` is part of a node heartbeat: the node Lease renewed (the kubelet's PUT, its
/// etcd write, the watchers told) or the kubelet reading its Node to compute its status. A node
/// status PATCH is not: the kubelet sends it only when the status changed or every 5 minutes.
pub fn is_heartbeat(entry: &TraceEntry) -> bool {
    entry.object.starts_with("lease/kube-node-lease/")
        || (matches!(entry.from, Actor::Kubelet(_))
            && entry.to == Actor::ApiServer
            && entry.action.starts_with("GET /api/v1/nodes/"))
}

#[function_component(TraceView)]
pub fn trace_view(props: &TraceViewProps) -> Html {
    let list = use_node_ref();
    {
        let list = list.clone();
        use_effect_with((props.cursor, props.entries.len()), move |_| {
            if let Some(list) = list.cast::<HtmlElement>() {
                scroll_current_into_view(&list);
            }
        });
    }
    let hidden = if props.show_heartbeats {
        0
    } else {
        props.entries.iter().filter(|e| is_heartbeat(e)).count()
    };
    let listed = props
        .entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| props.show_heartbeats || !is_heartbeat(entry));
    let lines = listed.map(|(index, entry)| {
        let place = match props.cursor {
            Some(c) if c == index => Place::Current,
            Some(c) if c < index => Place::Later,
            _ => Place::Earlier,
        };
        let mark = if props.rejected.rejected.contains(&index) {
            Some("rejected")
        } else if props.rejected.responses.contains(&index) {
            Some("error-response")
        } else {
            None
        };
        trace_line(index, entry, place, mark, &props.onselect)
    });
    html! {
        <section class="panel trace-panel">
            <header class="panel-title">
                <h2>{ "Trace" }</h2>
                <span class="hint">{ "every message between components, in order" }</span>
                { heartbeat_toggle(props.show_heartbeats, hidden, &props.ontoggleheartbeats) }
            </header>
            <ol id="trace" class="trace" ref={list}>
                { for lines }
            </ol>
        </section>
    }
}

/// The checkbox that lists or hides the heartbeats, with how many are hidden.
fn heartbeat_toggle(shown: bool, hidden: usize, ontoggle: &Callback<()>) -> Html {
    let onchange = ontoggle.reform(|_: Event| ());
    let label = if shown || hidden == 0 {
        "heartbeats".to_string()
    } else {
        format!("heartbeats ({hidden} hidden)")
    };
    html! {
        <label class="hint heartbeat-toggle"
            title="List the nodes' Lease renewals and node status reads (every 10 s per node)">
            <input id="show-heartbeats" type="checkbox" checked={shown} {onchange}
                aria-label="Show node heartbeats in the trace" />
            { label }
        </label>
    }
}

/// Where a line stands relative to the cursor. Lines after it (after going back) are dimmed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Earlier,
    Current,
    Later,
}

/// One line of the trace; `mark` is `rejected` or `error-response` for a failed Apply's steps.
fn trace_line(
    index: usize,
    entry: &TraceEntry,
    place: Place,
    mark: Option<&'static str>,
    onselect: &Callback<usize>,
) -> Html {
    let onclick = onselect.reform(move |_: MouseEvent| index);
    let class = classes!(
        "trace-entry",
        mark,
        (place == Place::Current).then_some("current"),
        (place == Place::Later).then_some("later"),
    );
    let detail = entry.detail.as_str();
    let title = [entry.action.as_str(), entry.object.as_str(), detail]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    html! {
        <li key={index} {class} {onclick} data-index={index.to_string()} {title}>
            <span class="time">{ virtual_time(entry.at) }</span>
            { actor_badge(&entry.from, "from") }
            <span class="arrow">{ "→" }</span>
            { actor_badge(&entry.to, "to") }
            <span class="what">
                <span class="action">{ &entry.action }</span>
                <span class="object">{ &entry.object }</span>
            </span>
        </li>
    }
}

/// Scroll the list, and only the list, so that its `.current` line is visible.
fn scroll_current_into_view(list: &HtmlElement) {
    let Ok(Some(line)) = list.query_selector(".current") else {
        return;
    };
    let Ok(line) = line.dyn_into::<HtmlElement>() else {
        return;
    };
    // The list is `position: relative`, so a line's offsetTop is measured from the list's top.
    let top = line.offset_top();
    let bottom = top + line.offset_height();
    let view_top = list.scroll_top();
    let view_bottom = view_top + list.client_height();
    if top < view_top {
        list.set_scroll_top(top);
    } else if bottom > view_bottom {
        list.set_scroll_top(bottom - list.client_height());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn entry(from: Actor, action: &str, object: &str) -> TraceEntry {
        TraceEntry {
            at: 10_000,
            from,
            to: Actor::ApiServer,
            action: action.to_string(),
            object: object.to_string(),
            detail: String::new(),
            revision: 1,
        }
    }

    #[wasm_bindgen_test]
    fn lease_renewals_and_node_reads_are_heartbeats_a_status_patch_is_not() {
        let kubelet = || Actor::Kubelet("worker-1".into());
        let lease = "lease/kube-node-lease/worker-1";
        assert!(is_heartbeat(&entry(
            kubelet(),
            "PUT /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1",
            lease
        )));
        assert!(is_heartbeat(&entry(
            kubelet(),
            "GET /api/v1/nodes/worker-1",
            "node/worker-1"
        )));
        assert!(!is_heartbeat(&entry(
            kubelet(),
            "PATCH /api/v1/nodes/worker-1/status",
            "node/worker-1"
        )));
        assert!(!is_heartbeat(&entry(
            Actor::Kubectl,
            "GET /api/v1/nodes/worker-1",
            "node/worker-1"
        )));
    }
}
