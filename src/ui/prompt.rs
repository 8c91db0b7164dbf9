//! A one-line kubectl prompt: type `kubectl get pods -o wide`, press Enter.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(PartialEq, Properties)]
pub struct PromptProps {
    /// Enter was pressed on this line.
    pub onsubmit: Callback<String>,
}

#[function_component(Prompt)]
pub fn prompt(props: &PromptProps) -> Html {
    let onkeydown = {
        let onsubmit = props.onsubmit.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let line = input.value();
                input.set_value("");
                onsubmit.emit(line);
            }
        })
    };
    html! {
        <label class="prompt">
            <span class="prompt-sign">{ "$" }</span>
            <input
                id="kubectl"
                type="text"
                spellcheck="false"
                autocomplete="off"
                placeholder="kubectl get pods -o wide"
                aria-label="kubectl command"
                {onkeydown}
            />
        </label>
    }
}
