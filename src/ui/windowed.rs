//! Lists that render only the rows in view. At 1,000 pods the page's tables held tens of
//! thousands of elements, and laying them out at every step cost more than a frame; a list in a
//! scrolling box of its own, with rows of one fixed height, renders the rows its box shows (and
//! an overscan either side) and stands in for the others with blank space of their height.

use std::cell::Cell;
use std::ops::Range;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Height of one row in CSS pixels, in every windowed list: `.trace-entry`, `.pods-table tr` and
/// `.owned-line` in www/style.css have it.
pub const ROW_PX: i32 = 22;

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

/// Where a scrolling box is scrolled to and how big its view is, as last seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BoxView {
    pub top: i32,
    pub left: i32,
    /// clientWidth and clientHeight: the view, without scrollbars.
    pub width: i32,
    pub height: i32,
    /// The height of everything in the box, scrolled or not.
    pub scroll_height: i32,
}

impl BoxView {
    fn of(element: &HtmlElement) -> BoxView {
        BoxView {
            top: element.scroll_top(),
            left: element.scroll_left(),
            width: element.client_width(),
            height: element.client_height(),
            scroll_height: element.scroll_height(),
        }
    }
}

/// A box's [`BoxView`], kept by [`use_box_view`].
#[derive(Clone)]
pub struct BoxViewHandle {
    /// The view as last seen: read it in an effect rather than the box's geometry.
    pub latest: Rc<Cell<BoxView>>,
    /// The view the component was last rendered for.
    pub rendered: BoxView,
    node: NodeRef,
    measured: Rc<dyn Fn(BoxView)>,
}

impl BoxViewHandle {
    /// Scroll the box to `top` and `left` (each if given), and take them as its view (rendering
    /// the component again if that matters to it) without waiting for the browser's scroll
    /// event.
    pub fn scroll_to(&self, top: Option<i32>, left: Option<i32>) {
        let Some(element) = self.node.cast::<HtmlElement>() else {
            return;
        };
        if let Some(top) = top {
            element.set_scroll_top(top);
        }
        if let Some(left) = left {
            element.set_scroll_left(left);
        }
        let view = self.latest.get();
        (self.measured)(BoxView {
            top: top.unwrap_or(view.top),
            left: left.unwrap_or(view.left),
            ..view
        });
    }
}

/// Keep the view of the box `node` refers to: from its scroll events and a `ResizeObserver`,
/// which the browser runs once it has laid the page out, so that reading the box's geometry
/// there lays out nothing. An effect that read it right after a step changed the DOM made the
/// browser lay the whole page out once more (twice a step, with two such effects). The
/// component is rendered again when `rerender(rendered, measured)` says the change matters to
/// what it renders (`None`: never).
#[hook]
pub fn use_box_view(
    node: &NodeRef,
    rerender: Option<fn(&BoxView, &BoxView) -> bool>,
) -> BoxViewHandle {
    let latest = use_memo((), |_| Cell::new(BoxView::default()));
    let latest: Rc<Cell<BoxView>> = Rc::clone(&latest);
    let rendered = use_state(BoxView::default);
    // What `rendered` was last set to (a state handle kept by a listener keeps its first value).
    let last_set = use_memo((), |_| Cell::new(BoxView::default()));
    let measured: Rc<dyn Fn(BoxView)> = {
        let (latest, rendered) = (Rc::clone(&latest), rendered.clone());
        Rc::new(move |view: BoxView| {
            latest.set(view);
            if rerender.is_some_and(|matters| matters(&last_set.get(), &view)) {
                last_set.set(view);
                rendered.set(view);
            }
        })
    };
    let watching = use_mut_ref(|| None::<BoxWatch>);
    {
        let (node, measured) = (node.clone(), Rc::clone(&measured));
        // After every render, as the box may be rendered only at times (a list shown once it
        // has rows): watch the element the node refers to now, if it is not the one watched.
        use_effect(move || {
            let element = node.cast::<HtmlElement>();
            let watched = watching.borrow().as_ref().map(|w| w.element.clone());
            if watched != element {
                *watching.borrow_mut() = element.map(|e| BoxWatch::new(e, measured));
            }
        });
    }
    BoxViewHandle {
        latest,
        rendered: *rendered,
        node: node.clone(),
        measured,
    }
}

/// The listeners [`use_box_view`] keeps on one box, removed when dropped.
struct BoxWatch {
    element: HtmlElement,
    _on_scroll: EventListener,
    _on_resize: Closure<dyn FnMut()>,
    observer: Option<web_sys::ResizeObserver>,
}

impl BoxWatch {
    fn new(element: HtmlElement, measure: Rc<dyn Fn(BoxView)>) -> BoxWatch {
        let on_scroll = {
            let (measure, target) = (Rc::clone(&measure), element.clone());
            EventListener::new(&element, "scroll", move |_| measure(BoxView::of(&target)))
        };
        let on_resize = {
            let target = element.clone();
            Closure::<dyn FnMut()>::new(move || measure(BoxView::of(&target)))
        };
        let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        if let Some(observer) = &observer {
            observer.observe(&element);
        }
        BoxWatch {
            element,
            _on_scroll: on_scroll,
            _on_resize: on_resize,
            observer,
        }
    }
}

impl Drop for BoxWatch {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

/// Whether a scroll or resize changed which rows of `row_px` a box shows.
pub fn rows_in_view_changed(row_px: i32, before: &BoxView, after: &BoxView) -> bool {
    before.top / row_px != after.top / row_px || before.height != after.height
}

/// A scrolling box's measured view: attach `node` to the box, and read [`ScrollWindow::shown`].
pub struct ScrollWindow {
    pub node: NodeRef,
    view: BoxView,
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
        let rows = visible_rows(self.view.top, self.view.height, count, ROW_PX);
        Shown {
            above_px: rows_px(rows.start, ROW_PX),
            below_px: rows_px(count - rows.end, ROW_PX),
            rows,
        }
    }
}

/// The rows to render of a scrolling box of rows [`ROW_PX`] tall: rendered again when a scroll
/// or a resize brings other rows into view.
#[hook]
pub fn use_scroll_window() -> ScrollWindow {
    let node = use_node_ref();
    let view = use_box_view(&node, Some(|a, b| rows_in_view_changed(ROW_PX, a, b)));
    ScrollWindow {
        node,
        view: view.rendered,
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
