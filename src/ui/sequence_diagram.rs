//! The timeline as a sequence diagram: a lane per component, an arrow per trace entry, numbered,
//! the entry on screen highlighted. Clicking an arrow (or Enter on it) moves the time-travel
//! cursor there. Only the entries around the cursor are drawn ([`crate::sequence::layout`]), so
//! a trace of thousands of entries costs no more than a short one.

use yew::prelude::*;

use super::state::Revealed;
use super::trace_view::is_heartbeat;
use super::windowed::{use_box_view, BoxView};
use crate::sequence::{self, Arrow, Lane, Place, SequenceLayout, HEADER_HEIGHT, ROW_HEIGHT};
use crate::sim::TraceEntry;

#[derive(PartialEq, Properties)]
pub struct SequenceDiagramProps {
    /// The entries shown so far.
    pub entries: Revealed,
    pub cursor: Option<usize>,
    /// Whether the nodes' heartbeats are drawn (as the trace lists them).
    #[prop_or_default]
    pub show_heartbeats: bool,
    /// An arrow was chosen: go to its entry.
    pub onselect: Callback<usize>,
}

#[function_component(SequenceDiagram)]
pub fn sequence_diagram(props: &SequenceDiagramProps) -> Html {
    let show_heartbeats = props.show_heartbeats;
    // The first entry of the window drawn last, kept while the cursor stays well inside it.
    let kept_first = use_mut_ref(|| None::<usize>);
    let layout = use_memo(
        (props.entries.clone(), props.cursor, show_heartbeats),
        |(entries, cursor, show_heartbeats)| {
            let listed = |e: &TraceEntry| *show_heartbeats || !is_heartbeat(e);
            let kept = *kept_first.borrow();
            let layout = entries.with(|entries| sequence::layout(entries, &listed, *cursor, kept));
            *kept_first.borrow_mut() = layout.arrows.first().map(|a| a.index);
            layout
        },
    );
    let scroller = use_node_ref();
    {
        let scroller = scroller.clone();
        let current = layout
            .arrows
            .iter()
            .find(|a| a.place == Place::Current)
            .map(|a| (a.y, a.x1.min(a.x2), a.x1.max(a.x2) + sequence::LOOP_WIDTH));
        // From the view as last measured: reading the box's geometry right after the step
        // changed the page would lay the page out again.
        let view = use_box_view(&scroller, None);
        use_effect_with(current, move |current| {
            if let Some(at) = current {
                let (top, left) = scroll_to_show(&view.latest.get(), *at);
                if top.is_some() || left.is_some() {
                    view.scroll_to(top, left);
                }
            }
        });
    }
    html! {
        <section id="sequence" class="panel sequence-panel">
            <header class="panel-title">
                <h2>{ "Sequence" }</h2>
                <span class="hint">{ window_hint(&layout) }</span>
            </header>
            <div class="sequence-scroll" ref={scroller}>
                if layout.arrows.is_empty() {
                    <p class="hint">{ "Nothing has happened yet." }</p>
                } else {
                    { svg(&layout, &props.onselect) }
                }
            </div>
        </section>
    }
}

/// "entries 12–47 (3 earlier, 20 later): click an arrow to go there".
fn window_hint(layout: &SequenceLayout) -> String {
    let (Some(first), Some(last)) = (layout.arrows.first(), layout.arrows.last()) else {
        return "a lane per component, an arrow per message".to_string();
    };
    let more = |n: usize| {
        if n >= sequence::WINDOW * 50 {
            format!("{n}+")
        } else {
            n.to_string()
        }
    };
    format!(
        "steps {}–{} ({} earlier, {} later): click an arrow to go there",
        first.index + 1,
        last.index + 1,
        more(layout.before),
        more(layout.after)
    )
}

/// Two SVGs sharing the layout's coordinates: the lanes' titles (which stay on top while the
/// rows scroll under them) and the lifelines with the arrows.
fn svg(layout: &SequenceLayout, onselect: &Callback<usize>) -> Html {
    let (width, height) = (layout.width, layout.height);
    let body = height.saturating_sub(HEADER_HEIGHT);
    html! {
        <>
            <svg class="sequence-lanes" width={width.to_string()} height={HEADER_HEIGHT.to_string()}
                viewBox={format!("0 0 {width} {HEADER_HEIGHT}")} aria-hidden="true">
                { for layout.lanes.iter().map(lane_title) }
            </svg>
            <svg class="sequence" width={width.to_string()} height={body.to_string()}
                viewBox={format!("0 {HEADER_HEIGHT} {width} {body}")} role="group"
                aria-label="Sequence diagram of the trace around the step on screen">
                { for layout.lanes.iter().map(|lane| lifeline(lane, height)) }
                { for layout.arrows.iter().map(|arrow| arrow_html(arrow, layout, width, onselect)) }
            </svg>
        </>
    }
}

/// A lane's title: the component's name and its node.
fn lane_title(lane: &Lane) -> Html {
    let x = lane.x.to_string();
    let line = |(i, text): (usize, &String)| {
        let class = if i == 0 || lane.node.is_empty() {
            "lane-kind"
        } else {
            "lane-node"
        };
        html! {
            <text {class} x={x.clone()} y={(15 + 13 * i).to_string()} text-anchor="middle">
                { text }
            </text>
        }
    };
    html! {
        <g class={classes!("lane", format!("kind-{}", lane.kind))} data-actor={lane.actor.label()}>
            { for lane.title.iter().enumerate().map(line) }
        </g>
    }
}

/// A lane's lifeline under its title.
fn lifeline(lane: &Lane, height: u32) -> Html {
    let x = lane.x.to_string();
    html! {
        <line class={classes!("lifeline", format!("kind-{}", lane.kind))} x1={x.clone()} x2={x}
            y1={HEADER_HEIGHT.to_string()} y2={height.to_string()} />
    }
}

/// One entry's arrow: its number, a line (or a loop for a component talking to itself) with a
/// head, the action above it. The whole row is the click target.
fn arrow_html(
    arrow: &Arrow,
    layout: &SequenceLayout,
    width: u32,
    onselect: &Callback<usize>,
) -> Html {
    let index = arrow.index;
    let onclick = onselect.reform(move |_: MouseEvent| index);
    let onkeydown = {
        let onselect = onselect.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                onselect.emit(index);
            }
        })
    };
    let kind = layout
        .lanes
        .get(arrow.from)
        .map_or("kubectl", |lane| lane.kind);
    let class = classes!(
        "message",
        format!("kind-{kind}"),
        match arrow.place {
            Place::Earlier => "earlier",
            Place::Current => "current",
            Place::Later => "later",
        }
    );
    let y = arrow.y;
    let top = y - ROW_HEIGHT / 2;
    let (label_y, anchor) = if arrow.anchor_middle {
        (y - 5, "middle")
    } else {
        (y + 4, "start")
    };
    html! {
        <g {class} {onclick} {onkeydown} tabindex="0" role="button"
            aria-label={arrow.title.clone()} data-index={index.to_string()}
            aria-current={(arrow.place == Place::Current).then_some("step")}>
            <title>{ &arrow.title }</title>
            <rect class="row" x="0" y={top.to_string()} width={width.to_string()}
                height={ROW_HEIGHT.to_string()} />
            <text class="number" x={(sequence::MARGIN_LEFT - 8).to_string()} y={(y + 4).to_string()}
                text-anchor="end">{ index + 1 }</text>
            { line_and_head(arrow) }
            <text class="label" x={arrow.label_x.to_string()} y={label_y.to_string()}
                text-anchor={anchor}>{ &arrow.label }</text>
        </g>
    }
}

/// The arrow's line and its head at the receiving lane; a self-call is a loop out and back.
fn line_and_head(arrow: &Arrow) -> Html {
    let y = arrow.y as i64;
    if arrow.self_call {
        let x = arrow.x1 as i64;
        let w = sequence::LOOP_WIDTH as i64;
        let path = format!("M {x} {} h {w} v 10 h -{w}", y - 5);
        let head = format!("{x},{} {},{} {},{}", y + 5, x + 7, y + 1, x + 7, y + 9);
        return html! {
            <>
                <path class="shaft" d={path} fill="none" />
                <polygon class="head" points={head} />
            </>
        };
    }
    let (x1, x2) = (arrow.x1 as i64, arrow.x2 as i64);
    let back = if x2 >= x1 { -7 } else { 7 };
    let head = format!("{x2},{y} {},{} {},{}", x2 + back, y - 4, x2 + back, y + 4);
    html! {
        <>
            <line class="shaft" x1={x1.to_string()} y1={y.to_string()} x2={(x2 + back).to_string()}
                y2={y.to_string()} />
            <polygon class="head" points={head} />
        </>
    }
}

/// The scroll (top, left) that brings the current row (at `y`, its arrow from `left` to
/// `right`) into a view scrolled as `view` is, with some rows around it: each only if needed.
/// Before the box was measured (no height), none.
fn scroll_to_show(view: &BoxView, (y, left, right): (u32, u32, u32)) -> (Option<i32>, Option<i32>) {
    if view.height == 0 {
        return (None, None);
    }
    let (y, left, right) = (y as i32, left as i32, right as i32);
    let margin = (ROW_HEIGHT * 2) as i32 + HEADER_HEIGHT as i32;
    let top = (y - margin < view.top || y + margin > view.top + view.height)
        .then(|| (y - view.height / 3).max(0));
    let left = (left < view.left || right > view.left + view.width)
        .then(|| ((left + right) / 2 - view.width / 2).max(0));
    (top, left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn view(top: i32, left: i32) -> BoxView {
        BoxView {
            top,
            left,
            width: 600,
            height: 300,
            scroll_height: 2_000,
        }
    }

    #[wasm_bindgen_test]
    fn the_current_row_is_scrolled_into_view_only_when_out_of_it() {
        let margin = (ROW_HEIGHT * 2 + HEADER_HEIGHT) as i32;
        let y = 200 + margin as u32;
        assert_eq!(scroll_to_show(&view(200, 0), (y, 10, 100)), (None, None));
        // Below the view: the row a third of the way down.
        assert_eq!(
            scroll_to_show(&view(0, 0), (1_000, 10, 100)),
            (Some(1_000 - 100), None)
        );
        // Right of the view: the arrow centred.
        assert_eq!(
            scroll_to_show(&view(200, 0), (y, 700, 900)),
            (None, Some(800 - 300))
        );
        assert_eq!(
            scroll_to_show(&BoxView::default(), (1_000, 700, 900)),
            (None, None),
            "not measured yet"
        );
    }
}
