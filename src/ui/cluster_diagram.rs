//! The cluster as boxes: the control plane, one box per node with its agents and pods (the
//! ingress controller's on the control-plane node), and the pod network joining the nodes. The
//! component acting in the current step is highlighted, and so is the one it talks to.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

use super::node_box::{concerns_node, concerns_pods, NodeBox, UnplacedPods};
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
    let placement = use_memo(Rc::clone(&props.view), |view| place_pods(view));
    let unplaced_current = current
        .filter(|e| concerns_pods(e, &placement.unplaced))
        .cloned();
    let node_boxes = placement.nodes.iter().map(|(node, pods)| {
        let current = current.filter(|e| concerns_node(e, node, pods)).cloned();
        html! {
            <NodeBox key={node.name.clone()} node={Rc::clone(node)} pods={Rc::clone(pods)}
                {current} />
        }
    });
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
                if !placement.unplaced.is_empty() {
                    <UnplacedPods pods={Rc::clone(&placement.unplaced)}
                        current={unplaced_current} />
                }
            </div>
            <div class="nodes">
                { for node_boxes }
            </div>
            <div class="pod-network">
                { component(Actor::Network, current) }
                <span class="hint">{ "pod network: requests between pods, Services, Ingress" }</span>
            </div>
        </section>
    }
}

/// The pods of one view sorted into the boxes that draw them, built once per view (not at every
/// step) so a box's props stay the same `Rc`s while the cursor moves within a revision.
#[derive(Debug, Default, PartialEq)]
struct Placement {
    /// Each drawn node, in the view's order, with the pods bound to it.
    nodes: Vec<(Rc<NodeView>, Rc<Vec<PodView>>)>,
    /// Pods not yet scheduled, or bound to a node the view does not have: drawn in the control
    /// plane's box, where the scheduler will pick them up.
    unplaced: Rc<Vec<PodView>>,
}

/// Group `view`'s pods by the node they are bound to (`spec.nodeName`), in one pass over them.
fn place_pods(view: &ClusterView) -> Placement {
    let index_of: HashMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.as_str(), i))
        .collect();
    let mut on_node: Vec<Vec<PodView>> = vec![Vec::new(); view.nodes.len()];
    let mut unplaced = Vec::new();
    for pod in &view.pods {
        let drawn = pod.node.as_deref().and_then(|n| index_of.get(n).copied());
        match drawn.and_then(|i| on_node.get_mut(i)) {
            Some(pods) => pods.push(pod.clone()),
            None => unplaced.push(pod.clone()),
        }
    }
    Placement {
        nodes: view
            .nodes
            .iter()
            .zip(on_node)
            .map(|(node, pods)| (Rc::new(node.clone()), Rc::new(pods)))
            .collect(),
        unplaced: Rc::new(unplaced),
    }
}

/// A component's box, marked `acting` when it is the current step's `from` and `receiving` when
/// it is its `to`.
pub(super) fn component(actor: Actor, current: Option<&TraceEntry>) -> Html {
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn node(name: &str) -> NodeView {
        NodeView {
            name: name.into(),
            ..NodeView::default()
        }
    }

    fn pod(name: &str, node: Option<&str>) -> PodView {
        PodView {
            namespace: "default".into(),
            name: name.into(),
            node: node.map(str::to_string),
            ..PodView::default()
        }
    }

    fn names(pods: &[PodView]) -> Vec<&str> {
        pods.iter().map(|p| p.name.as_str()).collect()
    }

    #[wasm_bindgen_test]
    fn pods_are_grouped_under_the_node_they_are_bound_to() {
        let view = ClusterView {
            nodes: vec![node("kind-control-plane"), node("worker"), node("worker2")],
            pods: vec![
                pod("web-0", Some("worker2")),
                pod("web-1", Some("worker")),
                pod("web-2", Some("worker2")),
            ],
            services: vec![],
        };
        let placement = place_pods(&view);
        let grouped: Vec<(&str, Vec<&str>)> = placement
            .nodes
            .iter()
            .map(|(n, pods)| (n.name.as_str(), names(pods)))
            .collect();
        assert_eq!(
            grouped,
            [
                ("kind-control-plane", vec![]),
                ("worker", vec!["web-1"]),
                ("worker2", vec!["web-0", "web-2"]),
            ]
        );
        assert!(placement.unplaced.is_empty());
    }

    #[wasm_bindgen_test]
    fn pending_pods_and_pods_on_an_undrawn_node_are_unplaced() {
        let view = ClusterView {
            nodes: vec![node("worker")],
            pods: vec![
                pod("pending", None),
                pod("on-worker", Some("worker")),
                pod("on-gone", Some("worker9")),
            ],
            services: vec![],
        };
        let placement = place_pods(&view);
        assert_eq!(names(&placement.unplaced), ["pending", "on-gone"]);
        assert_eq!(placement.nodes.len(), 1);
    }
}
