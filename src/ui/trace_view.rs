//! The trace: one line per step, the current one highlighted. Clicking a line goes back to it.
//! The nodes' heartbeats (each kubelet's Lease renewal and node status read every 10 s, as on a
//! real cluster: pkg/kubelet/kubelet.go, kubelet_node_status.go) would flood it: they are hidden
//! unless the "heartbeats" toggle is on.

use std::rc::Rc;

use yew::prelude::*;

use super::format::virtual_time;
use super::rejection::TraceRejection;
use super::state::Revealed;
use super::step_detail::actor_badge;
use super::windowed::{
    rows_in_view_changed, rows_px, use_box_view, visible_rows, BoxView, OVERSCAN, ROW_PX,
};
use crate::sim::{Actor, TraceEntry};

#[derive(PartialEq, Properties)]
pub struct TraceViewProps {
    /// The entries shown so far.
    pub entries: Revealed,
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

/// The indices of the entries the trace lists, kept from one render to the next and extended
/// with the entries revealed since, so that a step costs the new entries rather than the whole
/// trace. The trace only grows while the page runs one cluster; when the entries no longer
/// continue the ones scanned (another cluster, a shorter trace) or the heartbeat toggle changed,
/// the list is made again.
#[derive(Default)]
struct Listed {
    scanned: usize,
    /// The last entry scanned, to tell that the entries still continue it.
    last: Option<TraceEntry>,
    show_heartbeats: bool,
    indices: Vec<usize>,
}

impl Listed {
    fn update(&mut self, entries: &[TraceEntry], show_heartbeats: bool) {
        let continues = self.show_heartbeats == show_heartbeats
            && self.scanned <= entries.len()
            && (self.scanned == 0 || entries.get(self.scanned - 1) == self.last.as_ref());
        if !continues {
            *self = Listed {
                show_heartbeats,
                ..Listed::default()
            };
        }
        let new = entries.iter().enumerate().skip(self.scanned);
        self.indices.extend(
            new.filter(|(_, e)| show_heartbeats || !is_heartbeat(e))
                .map(|(i, _)| i),
        );
        self.scanned = entries.len();
        self.last = entries.last().cloned();
    }
}

/// `shown`, or, when the current line `cursor_pos` is outside it (the view was measured before a
/// step moved far), the lines around the current one: the current line is always rendered, and
/// the effect that follows scrolls the view to it.
fn keeping_in_view(
    shown: std::ops::Range<usize>,
    cursor_pos: Option<usize>,
    listed: usize,
) -> std::ops::Range<usize> {
    match cursor_pos {
        Some(pos) if !shown.contains(&pos) => {
            pos.saturating_sub(OVERSCAN)..(pos + OVERSCAN + 1).min(listed)
        }
        _ => shown,
    }
}

/// How tall the list's view is: its client height when it scrolls. A list that does not scroll
/// is either short enough to fit (every line is then rendered anyway) or not held to a height
/// (a page without the stylesheet, a layout that lets the panel grow): rendering all of a long
/// trace then would cost seconds a step, so the view is taken as at most one window tall.
fn view_height(view: &BoxView) -> i32 {
    let window_height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .map_or(i32::MAX / 2, |h| h as i32);
    unscrolled_cap(view.scroll_height > view.height, view.height, window_height)
}

/// The view height [`view_height`] takes: the client height of a list that scrolls, else the
/// smaller of it and the window's height.
fn unscrolled_cap(scrolls: bool, client_height: i32, window_height: i32) -> i32 {
    if scrolls {
        client_height
    } else {
        client_height.min(window_height.max(ROW_PX))
    }
}

/// The scroll position that brings listed position `pos` into a view at `scroll_top` of
/// `height` pixels, if it is not in view already.
fn scroll_to_show(pos: usize, scroll_top: i32, height: i32) -> Option<i32> {
    let top = i32::try_from(pos).unwrap_or(i32::MAX / ROW_PX) * ROW_PX;
    if top < scroll_top {
        Some(top)
    } else if top + ROW_PX > scroll_top + height {
        Some(top + ROW_PX - height)
    } else {
        None
    }
}

/// The heights of the blank above and below the rendered lines, standing in for `above` and
/// `below` lines that are not rendered: the list's `::before` and `::after` in www/style.css
/// take them from these custom properties. They are not the list's padding: a box is never
/// shorter than its padding, so a padding taller than the panel would stretch the list past it
/// (its clientHeight would then be the padding's, not the panel's, and the lines "in view" and
/// the scroll that shows the current line would be computed for a view that is not on screen).
fn spacer_style(above: usize, below: usize) -> String {
    format!(
        "--above: {}px; --below: {}px",
        rows_px(above, ROW_PX),
        rows_px(below, ROW_PX)
    )
}

#[function_component(TraceView)]
pub fn trace_view(props: &TraceViewProps) -> Html {
    let list = use_node_ref();
    let listed = use_mut_ref(Listed::default);
    props
        .entries
        .with(|entries| listed.borrow_mut().update(entries, props.show_heartbeats));
    // The cursor of the last render, to tell when a step moved it.
    let followed = use_mut_ref(|| None::<Option<usize>>);
    // Re-rendered when a scroll or a resize brings other lines into view.
    let view = use_box_view(&list, Some(|a, b| rows_in_view_changed(ROW_PX, a, b)));
    let cursor_pos = props
        .cursor
        .and_then(|c| listed.borrow().indices.binary_search(&c).ok());
    {
        let view = view.clone();
        let count = listed.borrow().indices.len();
        // Bring the current line into view, from the view as last measured: reading the list's
        // geometry here, right after the step changed the page, would lay the page out again.
        use_effect_with((props.cursor, count), move |_| {
            let latest = view.latest.get();
            let height = view_height(&latest);
            if height > 0 {
                if let Some(wanted) =
                    cursor_pos.and_then(|pos| scroll_to_show(pos, latest.top, height))
                {
                    view.scroll_to(Some(wanted), None);
                }
            }
        });
    }
    let listed = listed.borrow();
    let hidden = listed.scanned - listed.indices.len();
    let (top, height) = (view.rendered.top, view_height(&view.rendered));
    // Right after a step, the current line is rendered wherever the view was; once the user
    // scrolls, the lines scrolled to are.
    let cursor_moved = followed.replace(Some(props.cursor)) != Some(props.cursor);
    let in_view = visible_rows(top, height, listed.indices.len(), ROW_PX);
    let shown = if cursor_moved {
        keeping_in_view(in_view, cursor_pos, listed.indices.len())
    } else {
        in_view
    };
    let style = spacer_style(shown.start, listed.indices.len() - shown.end);
    let lines = props.entries.with(|entries| {
        listed.indices[shown]
            .iter()
            .filter_map(|&index| {
                let entry = entries.get(index)?;
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
                Some(trace_line(index, entry, place, mark, &props.onselect))
            })
            .collect::<Vec<Html>>()
    });
    html! {
        <section class="panel trace-panel">
            <header class="panel-title">
                <h2>{ "Trace" }</h2>
                <span class="hint">{ "every message between components, in order" }</span>
                { heartbeat_toggle(props.show_heartbeats, hidden, &props.ontoggleheartbeats) }
            </header>
            <ol id="trace" class="trace" ref={list} {style}
                data-listed={listed.indices.len().to_string()}>
                { for lines.into_iter() }
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
    fn a_list_that_does_not_scroll_renders_at_most_a_windowful() {
        assert_eq!(unscrolled_cap(true, 440, 900), 440);
        assert_eq!(unscrolled_cap(false, 440, 900), 440, "a short trace fits");
        // A list grown to 285,000 lines (6.3 million px) renders a window's worth.
        assert_eq!(unscrolled_cap(false, 6_270_000, 900), 900);
        let rendered = visible_rows(0, unscrolled_cap(false, 6_270_000, 900), 285_000, ROW_PX);
        assert_eq!(rendered, 0..(900 / ROW_PX) as usize + 1 + OVERSCAN);
    }

    #[wasm_bindgen_test]
    fn the_current_line_is_always_rendered() {
        assert_eq!(keeping_in_view(0..51, Some(10), 1_000), 0..51);
        assert_eq!(keeping_in_view(0..51, Some(500), 1_000), 470..531);
        assert_eq!(keeping_in_view(0..51, Some(999), 1_000), 969..1_000);
        assert_eq!(keeping_in_view(0..51, None, 1_000), 0..51);
    }

    #[wasm_bindgen_test]
    fn the_lines_not_rendered_are_stood_in_for_by_spacers_not_padding() {
        assert_eq!(spacer_style(0, 0), "--above: 0px; --below: 0px");
        assert_eq!(spacer_style(7, 93), "--above: 154px; --below: 2046px");
        assert!(!spacer_style(7, 93).contains("padding"));
    }

    #[wasm_bindgen_test]
    fn the_current_line_is_scrolled_into_view_only_when_outside_it() {
        assert_eq!(scroll_to_show(10, 0, 440), None);
        assert_eq!(scroll_to_show(5, 10 * ROW_PX, 440), Some(5 * ROW_PX));
        assert_eq!(scroll_to_show(100, 0, 440), Some(101 * ROW_PX - 440));
    }

    #[wasm_bindgen_test]
    fn listing_extends_with_new_entries_and_starts_again_for_another_trace() {
        let heartbeat = entry(
            Actor::Kubelet("worker-1".into()),
            "PUT /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1",
            "lease/kube-node-lease/worker-1",
        );
        let post = entry(
            Actor::Kubectl,
            "POST /api/v1/namespaces/default/pods",
            "pod/default/a",
        );
        let mut listed = Listed::default();
        let mut trace = vec![post.clone(), heartbeat.clone()];
        listed.update(&trace, false);
        assert_eq!(listed.indices, vec![0]);
        trace.push(post.clone());
        listed.update(&trace, false);
        assert_eq!(listed.indices, vec![0, 2]);
        listed.update(&trace, true);
        assert_eq!(
            listed.indices,
            vec![0, 1, 2],
            "heartbeats listed when shown"
        );
        listed.update(&trace, false);
        let other_post = entry(
            Actor::Kubectl,
            "POST /api/v1/namespaces/default/pods",
            "pod/default/b",
        );
        let other = vec![heartbeat, post, other_post];
        listed.update(&other, false);
        assert_eq!(listed.indices, vec![1, 2], "another trace is listed anew");
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
