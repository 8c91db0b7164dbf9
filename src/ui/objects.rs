//! The objects at the current step: pods as `kubectl get pods -o wide` lists them, and services
//! with the endpoints their EndpointSlices hold.

use std::rc::Rc;

use yew::prelude::*;

use super::format::{endpoints_label, or_none};
use crate::cluster::{ClusterView, PodView, ServiceView};

#[derive(PartialEq, Properties)]
pub struct ObjectsProps {
    /// The cluster at the current step.
    pub view: Rc<ClusterView>,
}

#[function_component(Objects)]
pub fn objects(props: &ObjectsProps) -> Html {
    html! {
        <section class="panel objects">
            <header class="panel-title"><h2>{ "Objects at this step" }</h2></header>
            <table id="pods" class="pods-table">
                <thead>
                    <tr>
                        <th>{ "NAMESPACE" }</th><th>{ "NAME" }</th><th>{ "READY" }</th>
                        <th>{ "STATUS" }</th><th>{ "IP" }</th><th>{ "NODE" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for props.view.pods.iter().map(pod_row) }
                    if props.view.pods.is_empty() {
                        // What kubectl get pods -A prints when there are none.
                        <tr><td class="empty" colspan="6">{ "No resources found" }</td></tr>
                    }
                </tbody>
            </table>
            <div id="services" class="services">
                { for props.view.services.iter().map(service_row) }
            </div>
        </section>
    }
}

fn pod_row(pod: &PodView) -> Html {
    html! {
        <tr class="pod-row" data-pod={pod.name.clone()}>
            <td>{ &pod.namespace }</td>
            <td>{ &pod.name }</td>
            <td>{ &pod.ready }</td>
            <td>{ &pod.status }</td>
            <td>{ or_none(pod.ip.as_deref()) }</td>
            <td>{ or_none(pod.node.as_deref()) }</td>
        </tr>
    }
}

fn service_row(service: &ServiceView) -> Html {
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
