//! Lists that render only the rows in view. At 1,000 pods the page's tables held tens of
//! thousands of elements, and laying them out at every step cost more than a frame; a list in a
//! scrolling box of its own, with rows of one fixed height, renders the rows its box shows (and
//! an overscan either side) and stands in for the others with blank space of their height.

use std::ops::Range;

use web_sys::HtmlElement;
use yew::prelude::*;

/// Rows rendered beyond each edge of the view, so that a quick scroll shows no blank.
pub const OVERSCAN: usize = 30;

/// Rows rendered before the box has been measured (a tall panel's worth).
pub const FIRST_VIEW_ROWS: usize = 40;

/// The rows to render, of `count` rows `row_px` tall, for a box scrolled to `scroll_top` that is
/// `height` pixels tall (0 before it was measured).
pub fn visible_rows(scroll_top: i32, height: i32, count: usize, row_px: i32) -> Range<usize> {
    let first = (scroll_top.max(0) / row_px) as usize;
    let shown = if height > 0 {
        (height / row_px) as usize + 1
    } else {
        FIRST_VIEW_ROWS
    };
    let start = first.saturating_sub(OVERSCAN).min(count);
    let end = (first + shown + OVERSCAN).min(count);
    start..end
}

/// The height in pixels of `rows` rows of `row_px`.
pub fn rows_px(rows: usize, row_px: i32) -> i32 {
    i32::try_from(rows).unwrap_or(i32::MAX / row_px) * row_px
}

/// A scrolling box's measured view: attach `node` and `onscroll` to the box, and read `range`.
pub struct ScrollWindow {
    pub node: NodeRef,
    pub onscroll: Callback<Event>,
    /// (scrollTop, clientHeight) as last measured.
    view: (i32, i32),
    row_px: i32,
}

/// The rows of a list to render now, and the heights in pixels of the blank standing in for
/// the rows above and below them.
pub struct Shown {
    pub rows: Range<usize>,
    pub above_px: i32,
    pub below_px: i32,
}

impl ScrollWindow {
    /// What to render now of a list of `count` rows.
    pub fn shown(&self, count: usize) -> Shown {
        let rows = visible_rows(self.view.0, self.view.1, count, self.row_px);
        Shown {
            above_px: rows_px(rows.start, self.row_px),
            below_px: rows_px(count - rows.end, self.row_px),
            rows,
        }
    }
}

/// Measure a scrolling box of rows `row_px` tall: once rendered, whenever `count` changes, and
/// when a scroll brings another row into view (only then does it re-render).
#[hook]
pub fn use_scroll_window(row_px: i32, count: usize) -> ScrollWindow {
    let node = use_node_ref();
    let view = use_state(|| (0, 0));
    {
        let (node, view) = (node.clone(), view.clone());
        use_effect_with(count, move |_| {
            if let Some(element) = node.cast::<HtmlElement>() {
                let measured = (element.scroll_top(), element.client_height());
                if *view != measured {
                    view.set(measured);
                }
            }
        });
    }
    let onscroll = {
        let view = view.clone();
        use_callback(row_px, move |event: Event, row_px| {
            let Some(element) = event.target_dyn_into::<HtmlElement>() else {
                return;
            };
            let measured = (element.scroll_top(), element.client_height());
            let (top, height) = *view;
            if measured.0 / row_px != top / row_px || measured.1 != height {
                view.set(measured);
            }
        })
    };
    ScrollWindow {
        node,
        onscroll,
        view: *view,
        row_px,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_rows_in_view_and_an_overscan_either_side_are_rendered() {
        // 440 px tall, scrolled to row 100, of 1,000 rows 22 px tall: rows 100..121 are in view.
        assert_eq!(visible_rows(100 * 22, 440, 1_000, 22), 70..151);
        assert_eq!(visible_rows(0, 440, 1_000, 22), 0..51);
        assert_eq!(visible_rows(0, 440, 10, 22), 0..10);
        assert_eq!(visible_rows(0, 0, 1_000, 22), 0..FIRST_VIEW_ROWS + OVERSCAN);
        assert_eq!(visible_rows(1_000_000, 440, 10, 22), 10..10);
    }

    #[wasm_bindgen_test]
    fn blank_space_stands_in_for_the_rows_not_rendered() {
        assert_eq!(rows_px(0, 22), 0);
        assert_eq!(rows_px(93, 22), 2046);
        assert_eq!(rows_px(usize::MAX, 22), i32::MAX / 22 * 22);
    }
}
