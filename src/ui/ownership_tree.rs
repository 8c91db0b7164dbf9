//! The ownership tree at the current step: each workload and what it owns, as the garbage
//! collector's graph links them through metadata.ownerReferences (Deployment → ReplicaSets →
//! Pods, StatefulSet → Pods and claims, CronJob → Jobs → Pods, DaemonSet → Pods), each with the
//! status columns `kubectl get` prints for it.
//!
//! It scrolls in a box of its own and renders only the lines in that box ([`super::windowed`]).

use std::rc::Rc;

use yew::prelude::*;

use super::owned_item::{lines, OwnedItem};
use super::windowed::use_scroll_window;
use crate::view::OwnedObject;

#[derive(PartialEq, Properties)]
pub struct OwnershipTreeProps {
    /// The ownership forest at the current step ([`crate::view::ownership_at_revision`]).
    pub roots: Rc<Vec<OwnedObject>>,
}

#[function_component(OwnershipTree)]
pub fn ownership_tree(props: &OwnershipTreeProps) -> Html {
    // Built once per forest (each etcd revision), not at every step of the cursor.
    let lines = use_memo(Rc::clone(&props.roots), |roots| lines(roots));
    let scroll = use_scroll_window();
    let shown = scroll.shown(lines.len());
    let (above, below) = (shown.above_px, shown.below_px);
    html! {
        <section class="panel ownership">
            <header class="panel-title"><h2>{ "Ownership at this step" }</h2></header>
            if props.roots.is_empty() {
                <p class="empty">{ "No workloads: a Deployment, StatefulSet, DaemonSet, Job or CronJob shows here with what it owns." }</p>
            } else {
                <ul id="ownership" class="ownership-tree" role="tree" aria-label="Ownership"
                    ref={scroll.node}
                    style={format!("--above: {above}px; --below: {below}px")}
                    data-listed={lines.len().to_string()}>
                    { for lines[shown.rows].iter().map(|line| html! {
                        <OwnedItem key={line.key.clone()} line={Rc::clone(line)} />
                    }) }
                </ul>
            }
        </section>
    }
}
