//! The Yew page: a YAML editor and a kubectl prompt on the left; on the right the cluster drawn
//! as boxes, its objects, and the trace of every message between components, which the user
//! steps through, plays, pauses or runs to the end.
//!
//! Structured like Yew's `function_todomvc` example: one component per file, and one reducer
//! ([`state::Lab`], driven by [`state::Action`]) holding the whole page's state.

mod app;
mod cluster_diagram;
mod console;
mod controls;
mod editor;
mod etcd_view;
mod format;
pub mod locate;
mod objects;
mod prompt;
mod rejection;
pub mod state;
mod step_detail;
mod trace_view;

pub use app::App;

/// Mount the app on the page's body.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// Mount the app inside `element` (the browser test mounts it in a fresh `div`).
pub fn mount(element: web_sys::Element) {
    yew::Renderer::<App>::with_root(element).render();
}
