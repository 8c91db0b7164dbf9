//! One node's box on the cluster diagram (its header, facts, agents and pod chips), and the
//! control plane's lane of pods not on a node.
//!
//! Each is a component whose props hold only what it draws: its node, its pods, and the current
//! step only when that step concerns it ([`concerns_node`], [`concerns_pods`]). Yew skips a
//! component whose props are equal, so stepping the time-travel cursor re-renders the one or two
//! boxes the step is about rather than every node and pod of the cluster.

use std::rc::Rc;

use yew::prelude::*;

use super::cluster_diagram::component;
use crate::cluster::{NodeView, PodView};
use crate::sim::{Actor, TraceEntry};

#[derive(PartialEq, Properties)]
pub struct NodeBoxProps {
    pub node: Rc<NodeView>,
    /// The pods bound to this node, in the view's order.
    pub pods: Rc<Vec<PodView>>,
    /// The current step, only when it concerns this node ([`concerns_node`]); `None` otherwise,
    /// so a step elsewhere leaves the props equal.
    pub current: Option<TraceEntry>,
}

/// One node: its name, role, readiness, podCIDR, taints, agents and pods.
#[function_component(NodeBox)]
pub fn node_box(props: &NodeBoxProps) -> Html {
    let node = &props.node;
    let current = props.current.as_ref();
    let touched = current.is_some_and(|e| names_node(&e.object, &node.name));
    let class = classes!(
        "node",
        node.control_plane.then_some("control-plane-node"),
        if node.ready { "ready" } else { "not-ready" },
        touched.then_some("touched"),
    );
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
                { for props.pods.iter().map(|p| pod_chip(p, current)) }
            </div>
        </div>
    }
}

#[derive(PartialEq, Properties)]
pub struct UnplacedPodsProps {
    /// Pods not yet scheduled, or bound to a node the view does not draw.
    pub pods: Rc<Vec<PodView>>,
    /// The current step, only when its object is one of these pods ([`concerns_pods`]).
    pub current: Option<TraceEntry>,
}

/// The control plane's lane of pods not on a node, where the scheduler picks them up.
#[function_component(UnplacedPods)]
pub fn unplaced_pods(props: &UnplacedPodsProps) -> Html {
    let current = props.current.as_ref();
    html! {
        <div class="pods unscheduled">
            <span class="lane-label">{ "not on a node:" }</span>
            { for props.pods.iter().map(|p| pod_chip(p, current)) }
        </div>
    }
}

/// Whether the step `entry` changes anything drawn in `node`'s box: one of the node's agents
/// (its kubelet, containerd, CNI, CSI or kube-proxy, or the ingress controller kind runs on the
/// control-plane node) sends or receives it, or its object is the Node or one of `pods` (the
/// pods bound to the node).
pub fn concerns_node(entry: &TraceEntry, node: &NodeView, pods: &[PodView]) -> bool {
    let agent_of_node = |actor: &Actor| {
        actor.node() == Some(node.name.as_str())
            || (node.control_plane && *actor == Actor::IngressController)
    };
    agent_of_node(&entry.from)
        || agent_of_node(&entry.to)
        || names_node(&entry.object, &node.name)
        || concerns_pods(entry, pods)
}

/// Whether the step `entry`'s object is one of `pods`.
pub fn concerns_pods(entry: &TraceEntry, pods: &[PodView]) -> bool {
    entry.object.starts_with("pod/") && pods.iter().any(|p| names_pod(&entry.object, p))
}

/// Whether a trace entry's object (`node/worker`) is the Node `name`.
fn names_node(object: &str, name: &str) -> bool {
    object.strip_prefix("node/") == Some(name)
}

/// Whether a trace entry's object (`pod/default/nginx`) is `pod`.
fn names_pod(object: &str, pod: &PodView) -> bool {
    object
        .strip_prefix("pod/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(namespace, name)| namespace == pod.namespace && name == pod.name)
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

/// A pod: name, phase (with the STATUS column when it says more) and IP.
fn pod_chip(pod: &PodView, current: Option<&TraceEntry>) -> Html {
    let phase = if pod.phase.is_empty() {
        "Pending"
    } else {
        pod.phase.as_str()
    };
    let touched = current.is_some_and(|e| names_pod(&e.object, pod));
    let class = classes!(
        "pod",
        format!("phase-{}", phase.to_ascii_lowercase()),
        touched.then_some("touched"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn entry(from: Actor, to: Actor, object: &str) -> TraceEntry {
        TraceEntry {
            at: Default::default(),
            from,
            to,
            action: String::new(),
            object: object.into(),
            detail: String::new(),
            revision: 0,
        }
    }

    fn node(name: &str, control_plane: bool) -> NodeView {
        NodeView {
            name: name.into(),
            control_plane,
            has_kubelet: true,
            ..NodeView::default()
        }
    }

    fn pod(namespace: &str, name: &str, node: &str) -> PodView {
        PodView {
            namespace: namespace.into(),
            name: name.into(),
            node: Some(node.into()),
            ..PodView::default()
        }
    }

    #[wasm_bindgen_test]
    fn an_agents_step_concerns_its_node_only() {
        let sync = entry(
            Actor::Kubelet("worker".into()),
            Actor::ApiServer,
            "pod/default/other",
        );
        assert!(concerns_node(&sync, &node("worker", false), &[]));
        assert!(!concerns_node(&sync, &node("worker2", false), &[]));
        let sandbox = entry(
            Actor::Kubelet("worker2".into()),
            Actor::Cri("worker2".into()),
            "",
        );
        assert!(concerns_node(&sandbox, &node("worker2", false), &[]));
        assert!(!concerns_node(&sandbox, &node("worker", false), &[]));
        let attach = entry(Actor::Csi("worker".into()), Actor::ApiServer, "");
        assert!(concerns_node(&attach, &node("worker", false), &[]));
    }

    #[wasm_bindgen_test]
    fn a_pod_bind_concerns_the_node_the_pod_is_on() {
        let bind = entry(Actor::Scheduler, Actor::ApiServer, "pod/default/web-0");
        let on_worker = [
            pod("default", "web-1", "worker"),
            pod("default", "web-0", "worker"),
        ];
        assert!(concerns_node(&bind, &node("worker", false), &on_worker));
        let on_worker2 = [pod("default", "web-2", "worker2")];
        assert!(!concerns_node(&bind, &node("worker2", false), &on_worker2));
        // The same name in another namespace is another pod.
        let elsewhere = [pod("other", "web-0", "worker2")];
        assert!(!concerns_node(&bind, &node("worker2", false), &elsewhere));
    }

    #[wasm_bindgen_test]
    fn a_node_step_concerns_that_node_only() {
        let status = entry(Actor::ControllerManager, Actor::ApiServer, "node/worker");
        assert!(concerns_node(&status, &node("worker", false), &[]));
        // `node/worker` is not `node/worker2`: the name is matched whole.
        assert!(!concerns_node(&status, &node("worker2", false), &[]));
    }

    #[wasm_bindgen_test]
    fn the_ingress_controller_is_drawn_on_the_control_plane_node() {
        let route = entry(Actor::Network, Actor::IngressController, "");
        assert!(concerns_node(
            &route,
            &node("kind-control-plane", true),
            &[]
        ));
        assert!(!concerns_node(&route, &node("worker", false), &[]));
    }

    #[wasm_bindgen_test]
    fn a_control_plane_step_concerns_no_node() {
        let write = entry(Actor::ApiServer, Actor::Etcd, "deployment/default/web");
        assert!(!concerns_node(
            &write,
            &node("kind-control-plane", true),
            &[]
        ));
        let pods = [pod("default", "web-0", "worker")];
        assert!(!concerns_pods(&write, &pods));
    }

    #[wasm_bindgen_test]
    fn a_step_on_an_unplaced_pod_concerns_the_unplaced_lane() {
        let created = entry(Actor::Kubectl, Actor::ApiServer, "pod/default/nginx");
        let pending = [PodView {
            namespace: "default".into(),
            name: "nginx".into(),
            ..PodView::default()
        }];
        assert!(concerns_pods(&created, &pending));
        assert!(!concerns_pods(&created, &[]));
    }
}
