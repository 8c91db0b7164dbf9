//! Share links: the page's address with `#s=` and the scenario ([`crate::examples::Scenario`]:
//! the editor's text, the moves, the step on screen, and the guided tour under way with its step).
//! Share puts it on the clipboard and shows it to copy by hand (the address bar is left alone, so
//! a reload never replays it). Opening the link replays the moves and reopens the tour at its step.

use yew::prelude::*;

use super::browser;
use crate::examples::{Scenario, ShareError};

/// The address that opens this page on `scenario` (keeping `?embed=` if the page has it).
pub fn share_url(scenario: &Scenario) -> String {
    format!("{}#{}", address_without_fragment(), scenario.to_fragment())
}

/// The page's address up to its fragment.
pub fn address_without_fragment() -> String {
    format!(
        "{}{}{}",
        browser::location("origin"),
        browser::location("pathname"),
        browser::location("search")
    )
}

/// The scenario the page was opened with, if its address has `#s=`.
pub fn scenario_on_load() -> Option<Result<Scenario, ShareError>> {
    Scenario::from_fragment(&browser::location("hash"))
}

/// Drop the fragment from the address bar, so that a reload keeps the user's later edits instead
/// of replaying the link again.
pub fn forget_fragment() {
    browser::replace_address(&address_without_fragment());
}

#[derive(PartialEq, Properties)]
pub struct ShareBoxProps {
    pub url: String,
    /// Whether the clipboard took it.
    pub copied: bool,
    pub onclose: Callback<MouseEvent>,
}

/// The link just made, selectable, with a close button.
#[function_component(ShareBox)]
pub fn share_box(props: &ShareBoxProps) -> Html {
    let said = if props.copied {
        "Link copied to the clipboard:"
    } else {
        "Copy this link:"
    };
    let onfocus = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        }
    });
    html! {
        <div id="share-box" class="share-box" role="status">
            <span>{ said }</span>
            <input id="share-url" type="text" readonly=true value={props.url.clone()}
                aria-label="Share link" {onfocus} />
            <button class="secondary" type="button" aria-label="Close the share link"
                onclick={props.onclose.clone()}>{ "×" }</button>
        </div>
    }
}
