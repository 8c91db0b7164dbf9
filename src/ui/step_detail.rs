//! The step on screen, in words: who told whom what, about which object.

use yew::prelude::*;

use super::format::{position_label, virtual_time};
use crate::sim::{Actor, TraceEntry};

#[derive(PartialEq, Properties)]
pub struct StepDetailProps {
    pub entry: Option<TraceEntry>,
    pub cursor: Option<usize>,
    pub revealed: usize,
    /// The entry on screen is the step that refused a failed Apply.
    #[prop_or_default]
    pub rejected: bool,
}

#[function_component(StepDetail)]
pub fn step_detail(props: &StepDetailProps) -> Html {
    let position = position_label(props.cursor, props.revealed);
    let Some(entry) = &props.entry else {
        return html! {
            <section id="current-step" class="panel step-detail idle">
                <span class="position">{ format!("Step {position}") }</span>
                <span class="hint">
                    { "Nothing has happened yet: press Apply, then watch, or Step through it." }
                </span>
            </section>
        };
    };
    let class = classes!("panel", "step-detail", props.rejected.then_some("rejected"));
    html! {
        <section id="current-step" {class}>
            <div class="step-line">
                <span class="position">{ format!("Step {position}") }</span>
                <span class="time">{ virtual_time(entry.at) }</span>
                { actor_badge(&entry.from, "from") }
                <span class="arrow">{ "→" }</span>
                { actor_badge(&entry.to, "to") }
            </div>
            <div class="step-line">
                if props.rejected {
                    <span class="refused">{ "refused here" }</span>
                }
                <code class="action">{ &entry.action }</code>
                if !entry.object.is_empty() {
                    <span class="object">{ &entry.object }</span>
                }
            </div>
            if !entry.detail.is_empty() {
                // It scrolls when long (www/style.css): focusable, so that keys scroll it too.
                <p class="detail" tabindex="0">
                    { entry.detail.clone() }
                </p>
            }
        </section>
    }
}

/// An actor's name, coloured by the kind of component it is.
pub fn actor_badge(actor: &Actor, role: &'static str) -> Html {
    let class = classes!("actor", role, format!("kind-{}", actor.kind()));
    html! { <span {class}>{ actor.label() }</span> }
}
