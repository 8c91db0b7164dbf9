//! The endpoint consumers at the step on screen, in a panel the user opens: the nat rules
//! kube-proxy had written on a chosen node (per Service, as `iptables-restore` loaded them),
//! CoreDNS's records, and the upstreams of ingress-nginx's last reload. Stepping back shows them
//! as they were, so a pod's endpoint can be seen reaching (or leaving) each consumer in turn.
//! The data is [`ConsumerViews`], read from the consumers' own trace entries; it is computed only
//! while the panel is open.

use yew::prelude::*;

use super::browser;
use super::state::Revealed;
use crate::network::consumers::ConsumerViews;

#[derive(PartialEq, Properties)]
pub struct NetworkViewProps {
    pub trace: Revealed,
    /// The entry on screen (None: every revealed entry has happened).
    pub cursor: Option<usize>,
}

#[function_component(NetworkView)]
pub fn network_view(props: &NetworkViewProps) -> Html {
    let open = use_state(|| false);
    let chosen_node = use_state(|| None::<String>);
    // The consumers' updates are found once per change of the trace; a step replays them only.
    let updates = {
        let (trace, is_open) = (props.trace.clone(), *open);
        use_memo((trace, is_open), |(trace, is_open)| {
            if *is_open {
                trace.with(ConsumerViews::update_indices)
            } else {
                Vec::new()
            }
        })
    };
    let views = {
        let (trace, cursor, is_open) = (props.trace.clone(), props.cursor, *open);
        let updates = std::rc::Rc::clone(&updates);
        use_memo((trace, cursor, is_open), move |(trace, cursor, is_open)| {
            if !*is_open {
                return ConsumerViews::default();
            }
            trace.with(|entries| {
                let upto = cursor.map_or(entries.len(), |c| (c + 1).min(entries.len()));
                ConsumerViews::after_updates(entries, &updates, upto)
            })
        })
    };
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onnode = {
        let chosen_node = chosen_node.clone();
        Callback::from(move |e: Event| chosen_node.set(browser::target_value(&e)))
    };
    let nodes: Vec<String> = views.iptables.keys().cloned().collect();
    let node = (*chosen_node)
        .clone()
        .filter(|n| nodes.contains(n))
        .or_else(|| nodes.iter().find(|n| n.starts_with("worker")).cloned())
        .or_else(|| nodes.first().cloned());
    let rules = node
        .as_deref()
        .map(|n| views.node_rules(n))
        .unwrap_or_default();
    let dns: Vec<String> = views.dns.values().flatten().cloned().collect();
    html! {
        <details id="network" class="panel network-panel">
            <summary class="panel-title" onclick={ontoggle}>
                <h2>{ "Endpoint consumers at this step" }</h2>
                <span class="hint">{ "kube-proxy's rules, CoreDNS's records, ingress-nginx's upstreams" }</span>
            </summary>
            <div class="consumers">
                <section class="consumer kube-proxy" aria-label="kube-proxy's nat rules on a node">
                    <h3>
                        { "kube-proxy on " }
                        <select id="network-node" aria-label="The node whose rules are shown" onchange={onnode}>
                            { for nodes.iter().map(|n| html! {
                                <option value={n.clone()} selected={Some(n) == node.as_ref()}>{ n }</option>
                            }) }
                        </select>
                        <span class="hint">{ format!(" {} rule(s)", rules.len()) }</span>
                    </h3>
                    <pre id="network-rules" class="consumer-text">
                        { if rules.is_empty() { "no Service rules yet".to_string() } else { rules.join("\n") } }
                    </pre>
                </section>
                <section class="consumer coredns" aria-label="CoreDNS's records">
                    <h3>{ format!("CoreDNS ({} record(s))", dns.len()) }</h3>
                    <pre id="network-dns" class="consumer-text">
                        { if dns.is_empty() { "no records yet".to_string() } else { dns.join("\n") } }
                    </pre>
                </section>
                <section class="consumer ingress" aria-label="ingress-nginx's upstreams">
                    <h3>{ "ingress-nginx (nginx.conf upstreams)" }</h3>
                    <pre id="network-nginx" class="consumer-text">
                        { views.nginx.clone().unwrap_or_else(|| "not reloaded yet".to_string()) }
                    </pre>
                </section>
            </div>
        </details>
    }
}
