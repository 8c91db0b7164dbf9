//! The YAML editor and its Apply button (Ctrl+Enter in the editor applies too).

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(PartialEq, Properties)]
pub struct EditorProps {
    pub yaml: String,
    /// The text changed.
    pub onedit: Callback<String>,
    /// Apply was pressed; carries the text in the editor at that moment.
    pub onapply: Callback<String>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();

    let oninput = {
        let onedit = props.onedit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                onedit.emit(area.value());
            }
        })
    };
    let onclick = {
        let textarea = textarea.clone();
        let onapply = props.onapply.clone();
        let fallback = props.yaml.clone();
        Callback::from(move |_: MouseEvent| {
            // Read what is in the box now, so that nothing typed is ever lost.
            let yaml = textarea
                .cast::<HtmlTextAreaElement>()
                .map_or_else(|| fallback.clone(), |area| area.value());
            onapply.emit(yaml);
        })
    };

    let onkeydown = {
        let onapply = props.onapply.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                    e.prevent_default();
                    onapply.emit(area.value());
                }
            }
        })
    };

    html! {
        <section class="panel editor">
            <header class="panel-title">
                <h2>{ "Manifest" }</h2>
                <button id="apply" class="primary" title="kubectl apply -f - (Ctrl+Enter)" {onclick}>
                    { "Apply" }
                </button>
            </header>
            <textarea
                id="editor"
                ref={textarea}
                spellcheck="false"
                autocomplete="off"
                aria-label="YAML manifest"
                value={props.yaml.clone()}
                {oninput}
                {onkeydown}
            />
        </section>
    }
}
