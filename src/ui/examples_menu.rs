//! The examples menu above the editor: every manifest of [`crate::examples::EXAMPLES`], and the
//! user's own text when an example has taken its place.

use yew::prelude::*;

use super::browser;
use crate::examples::EXAMPLES;

/// The option that stands for the text the user typed.
pub const YOUR_TEXT: &str = "your-text";

#[derive(PartialEq, Properties)]
pub struct ExamplesMenuProps {
    /// Whether a text of the user's is kept (the menu then offers it first).
    pub has_your_text: bool,
    /// An option was chosen: an example's id, or [`YOUR_TEXT`].
    pub onchoose: Callback<String>,
}

#[function_component(ExamplesMenu)]
pub fn examples_menu(props: &ExamplesMenuProps) -> Html {
    let onchange = {
        let onchoose = props.onchoose.clone();
        Callback::from(move |e: Event| {
            let chosen = browser::target_value(&e).unwrap_or_default();
            // The menu is an action, not a setting: it goes back to its title at once.
            browser::set_target_value(&e, "");
            if !chosen.is_empty() {
                onchoose.emit(chosen);
            }
        })
    };
    html! {
        <select id="examples" class="examples" aria-label="Load an example manifest"
            title="Put an example in the editor (your own text stays in this menu)" {onchange}>
            <option value="" selected=true disabled=true>{ "Examples…" }</option>
            if props.has_your_text {
                <option value={YOUR_TEXT}>{ "Your text" }</option>
            }
            { for EXAMPLES.iter().map(|e| html! { <option value={e.id}>{ e.title }</option> }) }
        </select>
    }
}
