//! A pod's mesh sidecar beside its node's kube-proxy, for one Service: the sidecar's EDS table
//! (`istioctl proxy-config endpoints` columns: the endpoints istiod last pushed it, with their
//! health) and the DNAT targets kube-proxy programmed on the pod's node. The two lag the
//! EndpointSlice each by its own delay, so during a rollout or a pod's shutdown they disagree.
//! The data is [`crate::mesh::compare::compare_at`] on the cluster network: the views as they
//! were at the entry on screen.

use std::rc::Rc;

use yew::prelude::*;

use crate::mesh::compare::{MeshComparison, SidecarRow};

#[derive(PartialEq, Properties)]
pub struct MeshViewProps {
    /// The chosen pod's views of the chosen Service.
    pub comparison: Rc<MeshComparison>,
}

#[function_component(MeshView)]
pub fn mesh_view(props: &MeshViewProps) -> Html {
    let c = &props.comparison;
    let sidecar_title = match c.push {
        Some(push) => format!("istio-proxy of {} (EDS push {push})", c.pod),
        None => format!("{} has no sidecar", c.pod),
    };
    html! {
        <section class="panel mesh-view" data-pod={c.pod.clone()} data-service={c.service.clone()}>
            <header class="panel-title">
                <h2>{ format!("Endpoints of {} as {} sees them", c.service, c.pod) }</h2>
            </header>
            <div class="mesh-columns">
                <div class="mesh-sidecar">
                    <h3>{ sidecar_title }</h3>
                    <table class="eds-table">
                        <thead>
                            <tr>
                                <th>{ "ENDPOINT" }</th><th>{ "STATUS" }</th>
                                <th>{ "OUTLIER CHECK" }</th><th>{ "CLUSTER" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for c.sidecar.iter().map(sidecar_row) }
                            if c.push.is_some() && c.sidecar.is_empty() {
                                <tr><td class="empty" colspan="4">
                                    { "no endpoint: requests get 503 no healthy upstream" }
                                </td></tr>
                            }
                        </tbody>
                    </table>
                </div>
                <div class="mesh-kube-proxy">
                    <h3>{ format!("kube-proxy@{} (iptables DNAT targets)", c.node) }</h3>
                    <ul class="dnat-targets">
                        { for c.kube_proxy.iter().map(|t| html! { <li>{ t }</li> }) }
                        if c.kube_proxy.is_empty() {
                            <li class="empty">{ "no endpoint (REJECT)" }</li>
                        }
                    </ul>
                    if c.push.is_some() {
                        <p class="hint">{ "this pod's requests go through its sidecar, not these rules" }</p>
                    }
                </div>
            </div>
        </section>
    }
}

fn sidecar_row(row: &SidecarRow) -> Html {
    html! {
        <tr class={classes!("eds-row", format!("health-{}", row.status.to_ascii_lowercase()))}>
            <td>{ &row.endpoint }</td>
            <td>{ &row.status }</td>
            <td>{ "OK" }</td>
            <td>{ &row.cluster }</td>
        </tr>
    }
}
