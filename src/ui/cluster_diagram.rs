//! The cluster as boxes: the control plane, one box per node with its agents and pods (the
//! ingress controller's on the control-plane node), and the pod network joining the nodes. The
//! component acting in the current step is highlighted, and so is the one it talks to.

use std::rc::Rc;

use yew::prelude::*;

use crate::cluster::{ClusterView, NodeView, PodView};
use crate::sim::{Actor, TraceEntry};

/// The components of a kind control plane, as static pods of the control-plane node, plus
/// CoreDNS (a Deployment in kube-system).
const CONTROL_PLANE: [Actor; 5] = [
    Actor::ApiServer,
    Actor::Etcd,
    Actor::Scheduler,
    Actor::ControllerManager,
    Actor::CoreDns,
];

#[derive(PartialEq, Properties)]
pub struct ClusterDiagramProps {
    /// The cluster at the current step.
    pub view: Rc<ClusterView>,
    /// The current step, whose actors are highlighted.
    pub current: Option<TraceEntry>,
    /// Whether the service mesh runs (`Cluster::mesh_enabled`): its control plane, istiod, is
    /// drawn beside the others.
    #[prop_or_default]
    pub mesh: bool,
}

#[function_component(ClusterDiagram)]
pub fn cluster_diagram(props: &ClusterDiagramProps) -> Html {
    let current = props.current.as_ref();
    let unplaced = pods_on_no_drawn_node(&props.view);
    html! {
        <section id="cluster" class="panel diagram">
            <div class="client">
                { component(Actor::Kubectl, current) }
                <span class="hint">{ "you" }</span>
            </div>
            <div class="control-plane">
                <h3>{ "control plane" }</h3>
                <div class="components">
                    { for CONTROL_PLANE.iter().cloned().map(|a| component(a, current)) }
                    if props.mesh {
                        { component(Actor::Istiod, current) }
                    }
                </div>
                if !unplaced.is_empty() {
                    <div class="pods unscheduled">
                        <span class="lane-label">{ "not on a node:" }</span>
                        { for unplaced.iter().map(|p| pod_chip(p, current)) }
                    </div>
                }
            </div>
            <div class="nodes">
                { for props.view.nodes.iter().map(|node| node_box(node, &props.view.pods, current)) }
            </div>
            <div class="pod-network">
                { component(Actor::Network, current) }
                <span class="hint">{ "pod network: requests between pods, Services, Ingress" }</span>
            </div>
        </section>
    }
}

/// Pods not yet scheduled, or bound to a node the view does not have: drawn in the control
/// plane's box, where the scheduler will pick them up.
fn pods_on_no_drawn_node(view: &ClusterView) -> Vec<&PodView> {
    let drawn = |name: &str| view.nodes.iter().any(|n| n.name == name);
    view.pods
        .iter()
        .filter(|p| !p.node.as_deref().is_some_and(drawn))
        .collect()
}

/// One node: its name, role, readiness, podCIDR, taints, agents and pods.
fn node_box(node: &NodeView, pods: &[PodView], current: Option<&TraceEntry>) -> Html {
    let class = classes!(
        "node",
        node.control_plane.then_some("control-plane-node"),
        if node.ready { "ready" } else { "not-ready" },
        touches(current, &format!("node/{}", node.name)).then_some("touched"),
    );
    let on_node = pods
        .iter()
        .filter(|p| p.node.as_deref() == Some(node.name.as_str()));
    html! {
        <div {class} data-node={node.name.clone()} data-pod-cidr={node.pod_cidr.clone()}>
            <header class="node-header">
                <span class="node-name">{ &node.name }</span>
                <span class="node-role">
                    { if node.control_plane { "control-plane" } else { "worker" } }
                </span>
                <span class="node-ready">{ if node.ready { "Ready" } else { "NotReady" } }</span>
            </header>
            <div class="node-facts">
                <span class="pod-cidr" title="spec.podCIDR">{ &node.pod_cidr }</span>
                <span class="internal-ip" title="InternalIP">{ &node.internal_ip }</span>
                { for node.taints.iter().map(|t| html! { <span class="taint">{ t }</span> }) }
            </div>
            { node_agents(node, current) }
            <div class="pods">
                { for on_node.map(|p| pod_chip(p, current)) }
            </div>
        </div>
    }
}

/// The node-local agents of a node a kubelet registered. A Node object with no kubelet behind
/// it (one applied from YAML) gets a note instead.
fn node_agents(node: &NodeView, current: Option<&TraceEntry>) -> Html {
    // kind deploys ingress-nginx on the control-plane node (nodeSelector ingress-ready=true).
    let ingress = node.control_plane.then(|| {
        html! {
            <div class="components agents">
                { component(Actor::IngressController, current) }
            </div>
        }
    });
    if !node.has_kubelet {
        let note = "a Node object with no kubelet behind it: pods bound here stay Pending";
        return html! { <><div class="node-note">{ note }</div>{ ingress }</> };
    }
    let name = &node.name;
    let agents = [
        Actor::Kubelet(name.clone()),
        Actor::Cri(name.clone()),
        Actor::Cni(name.clone()),
        Actor::KubeProxy(name.clone()),
    ];
    html! {
        <>
            <div class="components agents">
                { for agents.into_iter().map(|a| component(a, current)) }
            </div>
            { ingress }
        </>
    }
}

/// A component's box, marked `acting` when it is the current step's `from` and `receiving` when
/// it is its `to`.
fn component(actor: Actor, current: Option<&TraceEntry>) -> Html {
    let acting = current.is_some_and(|e| e.from == actor);
    let receiving = current.is_some_and(|e| e.to == actor);
    let class = classes!(
        "component",
        format!("kind-{}", actor.kind()),
        acting.then_some("acting"),
        receiving.then_some("receiving"),
    );
    let style = colour_of(&actor).map(|c| format!("--c: {c};"));
    html! {
        <div {class} {style} data-actor={actor.label()}>{ actor.kind() }</div>
    }
}

/// A colour for the components the style sheet has no `kind-…` colour for.
fn colour_of(actor: &Actor) -> Option<&'static str> {
    match actor {
        Actor::IngressController => Some("#009639"),
        Actor::Istiod => Some("#466bb0"),
        Actor::Network => Some("#9a6700"),
        _ => None,
    }
}

/// A pod: name, phase (with the STATUS column when it says more) and IP.
fn pod_chip(pod: &PodView, current: Option<&TraceEntry>) -> Html {
    let phase = if pod.phase.is_empty() {
        "Pending"
    } else {
        pod.phase.as_str()
    };
    let class = classes!(
        "pod",
        format!("phase-{}", phase.to_ascii_lowercase()),
        touches(current, &format!("pod/{}/{}", pod.namespace, pod.name)).then_some("touched"),
    );
    let status = (!pod.status.is_empty() && pod.status != phase).then(|| {
        html! { <span class="pod-status">{ &pod.status }</span> }
    });
    html! {
        <div {class} data-pod={pod.name.clone()} data-namespace={pod.namespace.clone()}
            title={format!("{}/{} {}", pod.namespace, pod.name, pod.ready)}>
            <span class="pod-name">{ &pod.name }</span>
            <span class="pod-phase">{ phase }</span>
            { status }
            <span class="pod-ip">{ pod.ip.clone().unwrap_or_default() }</span>
        </div>
    }
}

/// True when the current step concerns `object` (`pod/default/nginx`).
fn touches(current: Option<&TraceEntry>, object: &str) -> bool {
    current.is_some_and(|e| e.object == object)
}
