//! What each command printed, as a terminal shows it.

use std::rc::Rc;

use yew::prelude::*;

use super::state::ConsoleEntry;

#[derive(PartialEq, Properties)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<ConsoleEntry>>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let output = use_node_ref();
    {
        // Keep the newest output in sight.
        let output = output.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(element) = output.cast::<web_sys::Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }
    html! {
        <section class="panel console-panel">
            <header class="panel-title"><h2>{ "Console" }</h2></header>
            <div id="console" class="console" ref={output} aria-live="polite">
                { for props.entries.iter().map(console_entry) }
            </div>
        </section>
    }
}

fn console_entry(entry: &ConsoleEntry) -> Html {
    let command = (!entry.command.is_empty()).then(|| {
        html! { <div class="console-command">{ format!("$ {}", entry.command) }</div> }
    });
    let output = (!entry.output.is_empty()).then(|| {
        let class = classes!("console-output", entry.failed().then_some("error"));
        html! { <pre {class}>{ &entry.output }</pre> }
    });
    let exit = entry.failed().then(|| {
        html! { <div class="console-exit error">{ format!("[exit {}]", entry.exit_code) }</div> }
    });
    html! {
        <div class={classes!("console-entry", entry.failed().then_some("failed"))}>
            { command }{ output }{ exit }
        </div>
    }
}
