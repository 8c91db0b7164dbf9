//! The pod panel's menu of pods. A component of its own with props that change only when the
//! pods or the choice do: at 1,000 pods, rebuilding its options at every step of the cursor
//! cost more than the rest of the panel.

use std::rc::Rc;

use yew::prelude::*;

use super::browser;

#[derive(PartialEq, Properties)]
pub struct PodPickProps {
    /// The pods at the current step, `namespace/name`.
    pub pods: Rc<Vec<String>>,
    /// The pod shown.
    pub selected: AttrValue,
    /// A pod was chosen.
    pub onpick: Callback<String>,
}

#[function_component(PodPick)]
pub fn pod_pick(props: &PodPickProps) -> Html {
    let onchange = {
        let onpick = props.onpick.clone();
        Callback::from(move |e: Event| {
            if let Some(chosen) = browser::target_value(&e).filter(|v| !v.is_empty()) {
                onpick.emit(chosen);
            }
        })
    };
    html! {
        <select id="pod-pick" class="pod-pick" aria-label="The pod whose timeline is shown"
            title="Choose the pod whose containers and kubelet steps are shown" {onchange}>
            if props.pods.is_empty() {
                <option value="" selected=true disabled=true>{ "No pods" }</option>
            }
            { for props.pods.iter().map(|key| html! {
                <option key={key.as_str()} value={key.clone()} selected={*key == *props.selected}>{ key }</option>
            }) }
        </select>
    }
}
