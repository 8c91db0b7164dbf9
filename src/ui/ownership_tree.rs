//! The ownership tree at the current step: each workload and what it owns, as the garbage
//! collector's graph links them through metadata.ownerReferences (Deployment → ReplicaSets →
//! Pods, StatefulSet → Pods and claims, CronJob → Jobs → Pods, DaemonSet → Pods), each with the
//! status columns `kubectl get` prints for it.

use std::rc::Rc;

use yew::prelude::*;

use crate::view::OwnedObject;

#[derive(PartialEq, Properties)]
pub struct OwnershipTreeProps {
    /// The ownership forest at the current step ([`crate::view::ownership_at_revision`]).
    pub roots: Rc<Vec<OwnedObject>>,
}

#[function_component(OwnershipTree)]
pub fn ownership_tree(props: &OwnershipTreeProps) -> Html {
    html! {
        <section class="panel ownership">
            <header class="panel-title"><h2>{ "Ownership at this step" }</h2></header>
            if props.roots.is_empty() {
                <p class="empty">{ "No workloads: a Deployment, StatefulSet, DaemonSet, Job or CronJob shows here with what it owns." }</p>
            } else {
                <ul id="ownership" class="ownership-tree">
                    { for props.roots.iter().map(owned_item) }
                </ul>
            }
        </section>
    }
}

fn owned_item(object: &OwnedObject) -> Html {
    let columns = object
        .columns
        .iter()
        .map(|(column, value)| format!("{column} {value}"))
        .collect::<Vec<_>>()
        .join("  ");
    html! {
        <li class="owned" data-kind={object.kind.clone()} data-name={object.name.clone()}>
            <span class="owned-name">{ format!("{}/{}", object.kind.to_lowercase(), object.name) }</span>
            { " " }
            <span class="owned-status">{ columns }</span>
            if !object.dependents.is_empty() {
                <ul>{ for object.dependents.iter().map(owned_item) }</ul>
            }
        </li>
    }
}
