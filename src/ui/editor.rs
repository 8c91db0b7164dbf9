//! The YAML editor, its examples menu and its Apply button (Ctrl+Enter in the editor applies too).
//!
//! The text lives in a plain textarea, so nothing typed is ever lost (the page also saves it in
//! localStorage on every edit, see `storage`). Beside it a gutter numbers
//! the lines and marks those a failed Apply was refused for; below it each message is listed with
//! its line (clicking one selects that line in the text).

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::examples_menu::ExamplesMenu;
use super::rejection::Marker;

#[derive(PartialEq, Properties)]
pub struct EditorProps {
    pub yaml: String,
    /// The text changed.
    pub onedit: Callback<String>,
    /// Apply was pressed; carries the text in the editor at that moment.
    pub onapply: Callback<String>,
    /// The errors of the last failed Apply, each on its line.
    pub markers: Rc<Vec<Marker>>,
    /// Whether the examples menu offers "Your text".
    pub has_your_text: bool,
    /// An option of the examples menu was chosen.
    pub onchoose: Callback<String>,
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

    let gutter = use_node_ref();
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            // Keep the line numbers level with the text they number.
            if let (Some(area), Some(gutter)) = (
                e.target_dyn_into::<HtmlTextAreaElement>(),
                gutter.cast::<HtmlElement>(),
            ) {
                gutter.set_scroll_top(area.scroll_top());
            }
        })
    };
    let numbers = gutter_lines(&props.yaml, &props.markers);
    let messages: Vec<Html> = props
        .markers
        .iter()
        .map(|marker| {
            let line = marker.line;
            let textarea = textarea.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                    select_line(&area, line);
                }
            });
            html! {
                <li class="marker" data-line={line.to_string()} {onclick}>
                    <span class="marker-line">{ format!("line {line}") }</span>
                    <span class="marker-message">{ &marker.message }</span>
                </li>
            }
        })
        .collect();

    html! {
        <section class="panel editor">
            <header class="panel-title">
                <h2>{ "Manifest" }</h2>
                <ExamplesMenu has_your_text={props.has_your_text}
                    onchoose={props.onchoose.clone()} />
                <button id="apply" class="primary" title="kubectl apply -f - (Ctrl+Enter)" {onclick}>
                    { "Apply" }
                </button>
            </header>
            <div class="editor-body">
                <div id="editor-gutter" class="gutter" ref={gutter} aria-hidden="true">
                    { for numbers }
                </div>
                <textarea
                    id="editor"
                    ref={textarea}
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    aria-label="YAML manifest"
                    value={props.yaml.clone()}
                    {oninput}
                    {onkeydown}
                    {onscroll}
                />
            </div>
            if !props.markers.is_empty() {
                <ul id="editor-markers" class="markers" aria-label="Why Apply failed">
                    { for messages }
                </ul>
            }
        </section>
    }
}

/// One number per line of `yaml`, the lines with an error marked (their messages as tooltip).
fn gutter_lines(yaml: &str, markers: &[Marker]) -> Vec<Html> {
    let count = yaml.split('\n').count().max(1);
    (1..=count)
        .map(|line| {
            let here: Vec<&str> = markers
                .iter()
                .filter(|m| m.line == line)
                .map(|m| m.message.as_str())
                .collect();
            let class = classes!("gutter-line", (!here.is_empty()).then_some("marked"));
            let title = (!here.is_empty()).then(|| here.join("\n"));
            html! {
                <div {class} data-line={line.to_string()} {title}>{ line }</div>
            }
        })
        .collect()
}

/// Select line `line` (1-based) of the textarea and bring it into view.
fn select_line(area: &HtmlTextAreaElement, line: usize) {
    let text = area.value();
    // Offsets in UTF-16 code units, as the DOM counts them.
    let mut start = 0u32;
    for (index, content) in text.split('\n').enumerate() {
        let width = content.encode_utf16().count() as u32;
        if index + 1 == line {
            let _ = area.focus();
            let _ = area.set_selection_range(start, start + width);
            return;
        }
        start += width + 1;
    }
}
