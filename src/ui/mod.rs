//! The Yew page: a YAML editor and a kubectl prompt on the left; on the right the cluster drawn
//! as boxes, its objects, and the trace of every message between components, which the user
//! steps through, plays, pauses or runs to the end.
//!
//! An examples menu fills the editor; the editor's text is saved in localStorage; Share makes a
//! link that replays the scenario; `?embed=` shows chosen panels only; the arrow keys, Home and Space
//! drive the timeline; a toggle switches light and dark themes.
//!
//! Structured like Yew's `function_todomvc` example: one component per file, and one reducer
//! ([`state::Lab`], driven by [`state::Action`]) holding the whole page's state.

mod app;
pub mod bench_page;
mod browser;
mod cluster_diagram;
mod console;
mod controls;
mod editor;
mod etcd_view;
mod examples_menu;
mod format;
pub mod inspector;
pub mod layout;
pub mod locate;
mod mesh_view;
mod network_view;
mod node_box;
mod node_controls;
mod objects;
mod owned_item;
mod ownership_tree;
mod perf_page;
mod pod_pick;
mod pod_row;
mod pod_timeline;
mod prompt;
mod rejection;
mod scheduling_table;
mod sequence_diagram;
pub mod share;
pub mod state;
mod step_detail;
pub mod storage;
mod theme;
mod tour;
mod trace_view;
mod windowed;

pub use app::App;

/// Mount the app on the page's body, or run the scheduler benchmark when the address asks for
/// it (`?bench=PODSxNODES`, see bench_page).
pub fn start() {
    if bench_page::run_if_requested(&browser::location("search")) {
        return;
    }
    yew::Renderer::<App>::new().render();
}

/// Mount the app inside `element` (the browser test mounts it in a fresh `div`).
pub fn mount(element: web_sys::Element) {
    yew::Renderer::<App>::with_root(element).render();
}
