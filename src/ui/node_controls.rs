//! The node controls: for each node podlab runs a kubelet on, its kubelet's state and buttons to
//! stop or start the kubelet, or cut or restore the node's network, as
//! `podlab node stop|start|disconnect|reconnect NODE` does in a scenario. What follows is the
//! cluster's own doing: after the node monitor grace period (50 s) the node lifecycle controller
//! marks the node NotReady and taints it, and after their tolerationSeconds (300 s) the taint
//! eviction controller deletes its pods (see [`crate::kubelet::heartbeat`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::kubelet::heartbeat::KubeletState;

/// What a node control button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeAction {
    StopKubelet,
    StartKubelet,
    Disconnect,
    Reconnect,
}

impl NodeAction {
    /// Every action, in the order of the buttons.
    pub const ALL: [NodeAction; 4] = [
        NodeAction::StopKubelet,
        NodeAction::StartKubelet,
        NodeAction::Disconnect,
        NodeAction::Reconnect,
    ];

    /// The verb of the `podlab node` directive.
    pub fn verb(self) -> &'static str {
        match self {
            NodeAction::StopKubelet => "stop",
            NodeAction::StartKubelet => "start",
            NodeAction::Disconnect => "disconnect",
            NodeAction::Reconnect => "reconnect",
        }
    }

    /// The button's text.
    pub fn label(self) -> &'static str {
        match self {
            NodeAction::StopKubelet => "Stop kubelet",
            NodeAction::StartKubelet => "Start kubelet",
            NodeAction::Disconnect => "Disconnect",
            NodeAction::Reconnect => "Reconnect",
        }
    }

    /// The directive the action stands for, as a scenario or the prompt says it.
    pub fn directive(self, node: &str) -> String {
        format!("podlab node {} {node}", self.verb())
    }

    /// Whether the action changes anything for a kubelet in `state`.
    pub fn applies_to(self, state: KubeletState) -> bool {
        match self {
            NodeAction::StopKubelet => state == KubeletState::Running,
            NodeAction::StartKubelet => state == KubeletState::Stopped,
            NodeAction::Disconnect => state == KubeletState::Running,
            NodeAction::Reconnect => state == KubeletState::Disconnected,
        }
    }

    /// What the button does, for its tooltip.
    fn explanation(self) -> &'static str {
        match self {
            NodeAction::StopKubelet => {
                "Stop the kubelet process: no more lease renewals or node status; its containers run on"
            }
            NodeAction::StartKubelet => {
                "Start the kubelet again: it posts Ready, renews its lease and syncs its pods"
            }
            NodeAction::Disconnect => {
                "Cut the node's network: the kubelet runs on but cannot reach the API server, nor the API server it"
            }
            NodeAction::Reconnect => "Restore the node's network",
        }
    }
}

#[derive(PartialEq, Properties)]
pub struct NodeControlsProps {
    /// Each node with a kubelet and the kubelet's state now, in the order the nodes were added.
    pub kubelets: Rc<Vec<(String, KubeletState)>>,
    /// A button was pressed for a node.
    pub onaction: Callback<(NodeAction, String)>,
}

#[function_component(NodeControls)]
pub fn node_controls(props: &NodeControlsProps) -> Html {
    let rows = props
        .kubelets
        .iter()
        .map(|(node, state)| node_row(node, *state, &props.onaction));
    html! {
        <section class="panel node-controls" aria-label="Node controls">
            <header class="panel-title">
                <h2>{ "Nodes" }</h2>
                <span class="hint">{ "stop a kubelet or cut a node off, then watch the cluster react" }</span>
            </header>
            <div class="node-controls-scroll">
                <table id="node-controls">
                    <thead>
                        <tr><th>{ "Node" }</th><th>{ "Kubelet" }</th><th>{ "Actions" }</th></tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

/// One node: its name, its kubelet's state and the four buttons.
fn node_row(node: &str, state: KubeletState, onaction: &Callback<(NodeAction, String)>) -> Html {
    let buttons = NodeAction::ALL.iter().map(|&action| {
        let name = node.to_string();
        let onclick = onaction.reform(move |_: MouseEvent| (action, name.clone()));
        let aria = format!("{} on {node}", action.label());
        html! {
            <button type="button" class="secondary" {onclick}
                disabled={!action.applies_to(state)}
                data-action={action.verb()} data-node={node.to_string()}
                title={action.explanation()} aria-label={aria}>
                { action.label() }
            </button>
        }
    });
    html! {
        <tr key={node.to_string()} data-node={node.to_string()}>
            <td class="node-name">{ node }</td>
            <td class={classes!("kubelet-state", state.label())}
                aria-label={format!("kubelet on {node}: {}", state.label())}>
                { state.label() }
            </td>
            <td class="node-actions">{ for buttons }</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn each_button_stands_for_a_podlab_node_directive() {
        assert_eq!(
            NodeAction::StopKubelet.directive("worker-2"),
            "podlab node stop worker-2"
        );
        assert_eq!(
            NodeAction::Reconnect.directive("worker-1"),
            "podlab node reconnect worker-1"
        );
    }

    #[wasm_bindgen_test]
    fn only_the_buttons_that_change_the_state_are_enabled() {
        let enabled = |state| {
            NodeAction::ALL
                .into_iter()
                .filter(|a| a.applies_to(state))
                .map(NodeAction::label)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            enabled(KubeletState::Running),
            ["Stop kubelet", "Disconnect"]
        );
        assert_eq!(enabled(KubeletState::Stopped), ["Start kubelet"]);
        assert_eq!(enabled(KubeletState::Disconnected), ["Reconnect"]);
    }
}
