//! The ownership tree at the current step: each workload and what it owns, as the garbage
//! collector's graph links them through metadata.ownerReferences (Deployment → ReplicaSets →
//! Pods, StatefulSet → Pods and claims, CronJob → Jobs → Pods, DaemonSet → Pods), each with the
//! status columns `kubectl get` prints for it.

use std::rc::Rc;

use yew::prelude::*;

use super::owned_item::{branches, owned_items};
use crate::view::OwnedObject;

#[derive(PartialEq, Properties)]
pub struct OwnershipTreeProps {
    /// The ownership forest at the current step ([`crate::view::ownership_at_revision`]).
    pub roots: Rc<Vec<OwnedObject>>,
}

#[function_component(OwnershipTree)]
pub fn ownership_tree(props: &OwnershipTreeProps) -> Html {
    // Built once per forest (each etcd revision), not at every step of the cursor.
    let forest = use_memo(Rc::clone(&props.roots), |roots| branches(roots));
    html! {
        <section class="panel ownership">
            <header class="panel-title"><h2>{ "Ownership at this step" }</h2></header>
            if props.roots.is_empty() {
                <p class="empty">{ "No workloads: a Deployment, StatefulSet, DaemonSet, Job or CronJob shows here with what it owns." }</p>
            } else {
                <ul id="ownership" class="ownership-tree">
                    { for forest.iter().map(owned_items) }
                </ul>
            }
        </section>
    }
}
