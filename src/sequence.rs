//! The trace as a sequence diagram: a lane per component, an arrow per trace entry from the
//! component that acts to the one it tells, numbered as the trace numbers its steps.
//!
//! Only a window of entries around the time-travel cursor is laid out ([`layout`] walks out from
//! the cursor and never reads the whole trace), so a trace of 10,000 entries draws as fast as one
//! of 40. The lanes are the components acting in the window, in a fixed order: the client, the
//! control plane, each node's agents, then the add-ons. Pure layout in pixels, so that the page's
//! SVG (`ui::sequence_diagram`) only draws what this computes, and it is tested natively.

use crate::sim::{Actor, TraceEntry};

/// How many entries the diagram draws around the cursor.
pub const WINDOW: usize = 36;
/// Horizontal distance between two lanes, in pixels.
pub const LANE_WIDTH: u32 = 128;
/// Vertical distance between two arrows.
pub const ROW_HEIGHT: u32 = 24;
/// The lanes' titles above the first arrow.
pub const HEADER_HEIGHT: u32 = 44;
/// Room left of the first lane for the arrows' numbers.
pub const MARGIN_LEFT: u32 = 44;
/// The width of a self-call's loop, right of its lane.
pub const LOOP_WIDTH: u32 = 26;
/// About how wide a character of a lane's title is, in pixels (11 px monospace, bold).
const CHAR_WIDTH: u32 = 7;
/// Ten times the width of a character of an arrow's label (10.5 px monospace).
const LABEL_CHAR_WIDTH_X10: u32 = 64;

/// One component's lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub actor: Actor,
    /// The component (`kubelet`), the lane's first title line.
    pub kind: &'static str,
    /// Its node (`worker-1`), empty for a cluster-wide component.
    pub node: String,
    /// The lane's title, one or two lines: the component (cut after a `-` if it is wider than a
    /// lane: `kube-controller-` / `manager`), then its node.
    pub title: Vec<String>,
    /// The lane's centre.
    pub x: u32,
}

/// One trace entry's arrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrow {
    /// The entry's index in the trace; the diagram numbers it `index + 1`.
    pub index: usize,
    /// Lanes (indexes into [`SequenceLayout::lanes`]) of the actor and the component told.
    pub from: usize,
    pub to: usize,
    pub x1: u32,
    pub x2: u32,
    pub y: u32,
    /// The action, shortened to fit between the two lanes (the full text is `title`).
    pub label: String,
    pub title: String,
    /// Where the label starts (`anchor_middle`: where its middle is).
    pub label_x: u32,
    pub anchor_middle: bool,
    /// An entry from a component to itself, drawn as a loop.
    pub self_call: bool,
    pub place: Place,
}

/// Where an arrow is relative to the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Earlier,
    Current,
    Later,
}

/// The diagram of a window of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SequenceLayout {
    pub lanes: Vec<Lane>,
    pub arrows: Vec<Arrow>,
    pub width: u32,
    pub height: u32,
    /// Entries listed before and after the window (approximate past [`WINDOW`] × 50 entries:
    /// counting stops there, so that a long trace costs nothing).
    pub before: usize,
    pub after: usize,
}

/// Where a component's lane goes: kubectl, then the control plane in the documentation's order,
/// then each node's agents, node by node, then the add-ons and the pod network.
fn lane_order(actor: &Actor) -> (u8, &str, u8) {
    match actor {
        Actor::Kubectl => (0, "", 0),
        Actor::ApiServer => (1, "", 0),
        Actor::Etcd => (1, "", 1),
        Actor::Scheduler => (1, "", 2),
        Actor::ControllerManager => (1, "", 3),
        Actor::Kubelet(n) => (2, n, 0),
        Actor::Cri(n) => (2, n, 1),
        Actor::Cni(n) => (2, n, 2),
        Actor::Csi(n) => (2, n, 3),
        Actor::KubeProxy(n) => (2, n, 4),
        Actor::CoreDns => (3, "", 0),
        Actor::IngressController => (3, "", 1),
        Actor::Istiod => (3, "", 2),
        Actor::Network => (3, "", 3),
    }
}

/// The indexes of the entries drawn: up to `size` entries for which `listed` holds, the cursor's
/// among them, about a third of them before it. Before the first entry (no cursor) the window
/// starts at the trace's start. Also how many listed entries lie before and after it (counted up
/// to a bound).
pub fn window(
    entries: &[TraceEntry],
    listed: &dyn Fn(&TraceEntry) -> bool,
    cursor: Option<usize>,
    size: usize,
) -> (Vec<usize>, usize, usize) {
    let wanted_before = if cursor.is_some() { size.max(1) / 3 } else { 0 };
    window_placing(entries, listed, cursor, size, wanted_before)
}

/// As [`window`], but the window drawn last (its first entry `kept_first`) is kept while the
/// cursor stays clear of its edges, so that a step redraws two arrows rather than move every
/// arrow up or down a row. A cursor that comes near the window's top puts a new window two
/// thirds of the way down (stepping back has room to go on), one near its bottom a third of
/// the way down.
pub fn window_keeping(
    entries: &[TraceEntry],
    listed: &dyn Fn(&TraceEntry) -> bool,
    cursor: Option<usize>,
    size: usize,
    kept_first: Option<usize>,
) -> (Vec<usize>, usize, usize) {
    let size = size.max(1);
    let (Some(c), Some(first)) = (cursor, kept_first) else {
        return window(entries, listed, cursor, size);
    };
    let margin = size / 6;
    let listed_at = |i: &usize| entries.get(*i).is_some_and(listed);
    let kept: Vec<usize> = (first..entries.len())
        .filter(listed_at)
        .take(size)
        .collect();
    let row = kept.iter().position(|&i| i == c);
    // Clear of an edge, or at the trace's first or last listed entry (nowhere to go on).
    let clear_of_top = |row: usize| row >= margin || !(0..first).rev().any(|i| listed_at(&i));
    let clear_of_bottom = |row: usize| {
        row + margin < kept.len()
            || !kept
                .last()
                .is_some_and(|l| (l + 1..entries.len()).any(|i| listed_at(&i)))
    };
    if row.is_some_and(|r| clear_of_top(r) && clear_of_bottom(r)) {
        return window_placing(entries, listed, Some(first), size, 0);
    }
    let near_top = c < first || row.is_some_and(|r| r < margin);
    let wanted_before = if near_top { size * 2 / 3 } else { size / 3 };
    window_placing(entries, listed, cursor, size, wanted_before)
}

/// Up to `size` listed entries around `cursor`, `wanted_before` of them before it when there
/// are that many (more when the trace's end is near).
fn window_placing(
    entries: &[TraceEntry],
    listed: &dyn Fn(&TraceEntry) -> bool,
    cursor: Option<usize>,
    size: usize,
    wanted_before: usize,
) -> (Vec<usize>, usize, usize) {
    let size = size.max(1);
    let pivot = cursor.unwrap_or(0).min(entries.len());
    let listed_at = |i: &usize| entries.get(*i).is_some_and(listed);
    // Walk back, then forward, collecting listed entries; take more before if the end is near.
    let before: Vec<usize> = (0..pivot).rev().filter(listed_at).take(size).collect();
    let from_pivot: Vec<usize> = (pivot..entries.len())
        .filter(listed_at)
        .take(size)
        .collect();
    let take_after = from_pivot.len().min(size - wanted_before.min(before.len()));
    let take_before = before.len().min(size - take_after);
    let mut chosen: Vec<usize> = before.iter().take(take_before).rev().copied().collect();
    chosen.extend(from_pivot.iter().take(take_after));
    let bound = size.saturating_mul(50);
    let first = chosen.first().copied().unwrap_or(0);
    let last = chosen.last().map_or(0, |l| l + 1);
    let hidden_before = (0..first).rev().filter(listed_at).take(bound).count();
    let hidden_after = (last..entries.len()).filter(listed_at).take(bound).count();
    (chosen, hidden_before, hidden_after)
}

/// Lay out the entries around `cursor` for which `listed` holds (the page passes "not a hidden
/// heartbeat"), keeping the window that starts at entry `kept_first` while the cursor is well
/// inside it ([`window_keeping`]).
pub fn layout(
    entries: &[TraceEntry],
    listed: &dyn Fn(&TraceEntry) -> bool,
    cursor: Option<usize>,
    kept_first: Option<usize>,
) -> SequenceLayout {
    let (drawn, before, after) = window_keeping(entries, listed, cursor, WINDOW, kept_first);
    let shown: Vec<(usize, &TraceEntry)> = drawn
        .iter()
        .filter_map(|&i| entries.get(i).map(|e| (i, e)))
        .collect();
    let lanes = lanes_for(shown.iter().map(|(_, e)| *e));
    let lane_of = |actor: &Actor| lanes.iter().position(|l| l.actor == *actor).unwrap_or(0);
    let arrows = shown
        .iter()
        .enumerate()
        .map(|(row, (index, entry))| {
            let place = match cursor {
                Some(c) if c == *index => Place::Current,
                Some(c) if c < *index => Place::Later,
                _ => Place::Earlier,
            };
            arrow(
                *index,
                entry,
                (lane_of(&entry.from), lane_of(&entry.to)),
                &lanes,
                row,
                place,
            )
        })
        .collect::<Vec<_>>();
    let width = lanes
        .last()
        .map_or(MARGIN_LEFT, |l| l.x + LANE_WIDTH / 2 + LOOP_WIDTH);
    let height = HEADER_HEIGHT + ROW_HEIGHT * (arrows.len() as u32) + ROW_HEIGHT / 2;
    SequenceLayout {
        lanes,
        arrows,
        width,
        height,
        before,
        after,
    }
}

/// One lane per component acting or told in `entries`, in [`lane_order`].
fn lanes_for<'a>(entries: impl Iterator<Item = &'a TraceEntry>) -> Vec<Lane> {
    let mut actors: Vec<&Actor> = entries.flat_map(|e| [&e.from, &e.to]).collect();
    actors.sort_by(|a, b| lane_order(a).cmp(&lane_order(b)));
    actors.dedup();
    actors
        .into_iter()
        .enumerate()
        .map(|(i, actor)| Lane {
            actor: actor.clone(),
            kind: actor.kind(),
            node: actor.node().unwrap_or_default().to_string(),
            title: title_lines(actor.kind(), actor.node().unwrap_or_default()),
            x: MARGIN_LEFT + LANE_WIDTH / 2 + LANE_WIDTH * i as u32,
        })
        .collect()
}

/// A lane's title lines: the component's name, cut after its last `-` that keeps the first line
/// within a lane's width, and the node's name.
fn title_lines(kind: &str, node: &str) -> Vec<String> {
    let fits = (LANE_WIDTH / CHAR_WIDTH) as usize;
    let mut lines = match kind
        .char_indices()
        .rev()
        .find(|(i, c)| *c == '-' && *i < fits)
    {
        Some((cut, _)) if kind.chars().count() > fits => {
            let (first, rest) = kind.split_at(cut + 1);
            vec![first.to_string(), rest.to_string()]
        }
        _ => vec![kind.to_string()],
    };
    if !node.is_empty() {
        lines.push(shorten(node, fits));
    }
    lines
}

fn arrow(
    index: usize,
    entry: &TraceEntry,
    (from, to): (usize, usize),
    lanes: &[Lane],
    row: usize,
    place: Place,
) -> Arrow {
    let x_of = |lane: usize| lanes.get(lane).map_or(MARGIN_LEFT, |l| l.x);
    let (x1, x2) = (x_of(from), x_of(to));
    let y = HEADER_HEIGHT + ROW_HEIGHT * row as u32 + ROW_HEIGHT / 2;
    let self_call = from == to;
    // A label fits between its lanes; a self-call's runs right of its loop, up to the next lane.
    let room = if self_call {
        LANE_WIDTH - LOOP_WIDTH
    } else {
        x1.abs_diff(x2)
    };
    let label = shorten(
        &entry.action,
        (room * 10 / LABEL_CHAR_WIDTH_X10).max(8) as usize,
    );
    let (label_x, anchor_middle) = if self_call {
        (x1 + LOOP_WIDTH + 4, false)
    } else {
        ((x1 + x2) / 2, true)
    };
    Arrow {
        index,
        from,
        to,
        x1,
        x2,
        y,
        label,
        title: format!(
            "{}. {} → {}: {} {}",
            index + 1,
            entry.from.label(),
            entry.to.label(),
            entry.action,
            entry.object
        )
        .trim_end()
        .to_string(),
        label_x,
        anchor_middle,
        self_call,
        place,
    }
}

/// `text` cut to at most `max` characters, ending in `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Cluster, Preset};

    fn entry(from: Actor, to: Actor, action: &str) -> TraceEntry {
        TraceEntry {
            at: 0,
            from,
            to,
            action: action.to_string(),
            object: "pod/default/nginx".to_string(),
            detail: String::new(),
            revision: 0,
        }
    }

    fn everything(_: &TraceEntry) -> bool {
        true
    }

    #[test]
    fn lanes_follow_the_documentation_order_and_arrows_join_them() {
        let w1 = || "worker-1".to_string();
        let entries = vec![
            entry(Actor::Kubelet(w1()), Actor::Cri(w1()), "RunPodSandbox"),
            entry(
                Actor::Kubectl,
                Actor::ApiServer,
                "POST /api/v1/namespaces/default/pods",
            ),
            entry(
                Actor::ApiServer,
                Actor::Etcd,
                "txn: create /registry/pods/default/nginx",
            ),
            entry(Actor::CoreDns, Actor::CoreDns, "DNS records"),
            entry(Actor::Scheduler, Actor::Scheduler, "SchedulingCycle"),
        ];
        let layout = layout(&entries, &everything, Some(2), None);
        let kinds: Vec<&str> = layout.lanes.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                "kubectl",
                "kube-apiserver",
                "etcd",
                "kube-scheduler",
                "kubelet",
                "containerd",
                "coredns"
            ]
        );
        assert_eq!(layout.lanes[4].node, "worker-1");
        let post = &layout.arrows[1];
        assert_eq!((post.from, post.to), (0, 1));
        assert_eq!((post.x1, post.x2), (layout.lanes[0].x, layout.lanes[1].x));
        assert!(post.label.len() < entries[1].action.len() && post.label.ends_with('…'));
        assert_eq!(
            post.title,
            "2. kubectl → kube-apiserver: POST /api/v1/namespaces/default/pods pod/default/nginx"
        );
        assert_eq!(layout.arrows[2].place, Place::Current);
        assert_eq!(
            (layout.arrows[0].place, layout.arrows[3].place),
            (Place::Earlier, Place::Later)
        );
        assert!(layout.arrows[3].self_call && !layout.arrows[3].anchor_middle);
        assert!(layout
            .arrows
            .windows(2)
            .all(|w| w[0].y + ROW_HEIGHT == w[1].y));
        assert!(layout.width > layout.lanes[6].x && layout.height > layout.arrows[4].y);
    }

    #[test]
    fn a_long_trace_draws_only_a_window_around_the_cursor() {
        let entries: Vec<TraceEntry> = (0..10_000)
            .map(|i| entry(Actor::Kubectl, Actor::ApiServer, &format!("GET /{i}")))
            .collect();
        let layout = layout(&entries, &everything, Some(5_000), None);
        assert_eq!(layout.arrows.len(), WINDOW);
        let indexes: Vec<usize> = layout.arrows.iter().map(|a| a.index).collect();
        assert_eq!(indexes.first(), Some(&(5_000 - WINDOW / 3)));
        assert!(indexes.contains(&5_000));
        assert_eq!(
            (layout.before, layout.after),
            (WINDOW * 50, WINDOW * 50),
            "counting stops"
        );
        // Near the end, the window fills up with earlier entries.
        let end = layout_indexes(&entries, Some(9_999));
        assert_eq!(end.len(), WINDOW);
        assert_eq!(end.last(), Some(&9_999));
        // With no cursor it starts at the trace's start.
        assert_eq!(layout_indexes(&entries, None).first(), Some(&0));
    }

    fn layout_indexes(entries: &[TraceEntry], cursor: Option<usize>) -> Vec<usize> {
        layout(entries, &everything, cursor, None)
            .arrows
            .iter()
            .map(|a| a.index)
            .collect()
    }

    #[test]
    fn a_step_keeps_the_window_until_the_cursor_nears_its_edge() {
        let entries: Vec<TraceEntry> = (0..1_000)
            .map(|i| entry(Actor::Kubectl, Actor::ApiServer, &format!("GET /{i}")))
            .collect();
        let first_of = |cursor: usize, kept: Option<usize>| {
            window_keeping(&entries, &everything, Some(cursor), 36, kept).0[0]
        };
        // A new window puts the cursor a third of the way down; steps either way keep it.
        let first = first_of(500, None);
        assert_eq!(first, 500 - 12);
        for cursor in (first + 6)..(first + 36 - 6) {
            assert_eq!(first_of(cursor, Some(first)), first, "cursor {cursor}");
        }
        // Near the top, the new window has the cursor two thirds down; near the bottom, a third.
        assert_eq!(first_of(first + 5, Some(first)), first + 5 - 24);
        assert_eq!(first_of(first + 30, Some(first)), first + 30 - 12);
        assert_eq!(first_of(100, Some(first)), 100 - 24, "a jump back");
        // The trace's first entries stay in a window that starts at the first.
        assert_eq!(first_of(0, Some(0)), 0);
        assert_eq!(first_of(999, Some(1_000 - 36)), 1_000 - 36, "and its last");
    }

    #[test]
    fn unlisted_entries_are_skipped() {
        let entries: Vec<TraceEntry> = (0..100)
            .map(|i| entry(Actor::Kubectl, Actor::ApiServer, &format!("GET /{i}")))
            .collect();
        let even = |e: &TraceEntry| {
            e.action
                .trim_start_matches("GET /")
                .parse::<u32>()
                .is_ok_and(|n| n % 2 == 0)
        };
        let (drawn, before, after) = window(&entries, &even, Some(50), 10);
        assert!(drawn.iter().all(|i| i % 2 == 0));
        assert_eq!(drawn.len(), 10);
        assert!(drawn.contains(&50));
        assert_eq!(before + drawn.len() + after, 50);
        assert_eq!(window(&[], &even, Some(3), 10), (vec![], 0, 0));
    }

    #[test]
    fn a_real_pods_creation_has_its_components_as_lanes() {
        let mut cluster = Cluster::new(Preset::Default, 1);
        crate::tours::play(&crate::tours::CREATE_POD, &mut cluster);
        let found = crate::tours::locate(&crate::tours::CREATE_POD, cluster.trace());
        let sandbox = found.get(7).copied().flatten().unwrap_or_default();
        let layout = layout(cluster.trace(), &everything, Some(sandbox), None);
        let labels: Vec<String> = layout.lanes.iter().map(|l| l.actor.label()).collect();
        for wanted in ["kubelet@worker-1", "containerd@worker-1", "cni@worker-1"] {
            assert!(labels.iter().any(|l| l == wanted), "{labels:?}");
        }
        let current = layout.arrows.iter().find(|a| a.place == Place::Current);
        assert_eq!(current.map(|a| a.label.as_str()), Some("RunPodSandbox"));
    }

    #[test]
    fn a_long_component_name_takes_two_lines() {
        assert_eq!(
            title_lines("kube-controller-manager", ""),
            ["kube-controller-", "manager"]
        );
        assert_eq!(title_lines("kubelet", "worker-1"), ["kubelet", "worker-1"]);
        assert_eq!(title_lines("kube-scheduler", ""), ["kube-scheduler"]);
    }

    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("é→é→é", 3), "é→…");
        assert_eq!(shorten("abc", 0), "…");
    }
}
