//! The objects at the current step: pods as `kubectl get pods -o wide` lists them, and services
//! with the endpoints their EndpointSlices hold.
//!
//! The pods table scrolls in a box of its own and renders only the rows in that box
//! ([`super::windowed`]): a thousand laid-out rows cost more than a frame at every step.

use std::rc::Rc;

use yew::prelude::*;

use super::format::endpoints_label;
use super::pod_row::{pod_key, PodRow};
use super::windowed::use_scroll_window;
use crate::cluster::{ClusterView, ServiceView};

#[derive(PartialEq, Properties)]
pub struct ObjectsProps {
    /// The cluster at the current step.
    pub view: Rc<ClusterView>,
}

#[function_component(Objects)]
pub fn objects(props: &ObjectsProps) -> Html {
    let pods = &props.view.pods;
    let scroll = use_scroll_window();
    let shown = scroll.shown(pods.len());
    let (above, below) = (shown.above_px, shown.below_px);
    html! {
        <section class="panel objects">
            <header class="panel-title"><h2>{ "Objects at this step" }</h2></header>
            <div class="pods-scroll" ref={scroll.node}>
            <table id="pods" class="pods-table" data-listed={pods.len().to_string()}>
                <thead>
                    <tr>
                        <th>{ "NAMESPACE" }</th><th>{ "NAME" }</th><th>{ "READY" }</th>
                        <th>{ "STATUS" }</th><th>{ "IP" }</th><th>{ "NODE" }</th>
                    </tr>
                </thead>
                <tbody>
                    if above > 0 {
                        <tr class="spacer" style={format!("height: {above}px")} aria-hidden="true" />
                    }
                    { for pods[shown.rows].iter().map(|pod| html! {
                        <PodRow key={pod_key(pod)} pod={pod.clone()} />
                    }) }
                    if below > 0 {
                        <tr class="spacer" style={format!("height: {below}px")} aria-hidden="true" />
                    }
                    if pods.is_empty() {
                        // What kubectl get pods -A prints when there are none.
                        <tr><td class="empty" colspan="6">{ "No resources found" }</td></tr>
                    }
                </tbody>
            </table>
            </div>
            <div id="services" class="services">
                { for props.view.services.iter().map(|service| html! {
                    <ServiceRow key={format!("{}/{}", service.namespace, service.name)}
                        service={service.clone()} />
                }) }
            </div>
        </section>
    }
}

#[derive(PartialEq, Properties)]
struct ServiceRowProps {
    service: ServiceView,
}

/// A Service, its ClusterIP and ports, and the endpoints its EndpointSlices hold: a component
/// of its own so a revision re-renders only the services it changed.
#[function_component(ServiceRow)]
fn service_row(props: &ServiceRowProps) -> Html {
    let service = &props.service;
    html! {
        <div class="service" data-service={service.name.clone()}
            data-namespace={service.namespace.clone()}>
            <span class="service-name">{ format!("service/{}", service.name) }</span>
            <span class="cluster-ip" title="ClusterIP">{ &service.cluster_ip }</span>
            <span class="ports">{ service.ports.join(",") }</span>
            <span class="arrow">{ "→" }</span>
            <span class="endpoints" title="ready endpoints from the Service's EndpointSlices">
                { endpoints_label(&service.endpoints) }
            </span>
        </div>
    }
}
