//! The few browser calls web-sys's enabled features do not cover (the address, history,
//! clipboard, media queries, confirm), made through plain JavaScript property lookups. Each
//! returns `None` or does nothing when the browser refuses.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn window() -> Option<JsValue> {
    web_sys::window().map(JsValue::from)
}

/// `location.<part>`: `hash` (`#s=…`), `search` (`?embed=…`), `origin`, `pathname`.
pub fn location(part: &str) -> String {
    window()
        .and_then(|w| get(&w, "location"))
        .and_then(|l| get(&l, part))
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Change the address bar to `url` without loading anything (history.replaceState).
pub fn replace_address(url: &str) {
    let Some(history) = window().and_then(|w| get(&w, "history")) else {
        return;
    };
    if let Some(replace) = get(&history, "replaceState").and_then(|f| f.dyn_into::<Function>().ok())
    {
        let _ = replace.call3(
            &history,
            &JsValue::NULL,
            &JsValue::from_str(""),
            &url.into(),
        );
    }
}

/// Put `text` on the clipboard (navigator.clipboard.writeText); false if the browser has none.
pub fn copy_to_clipboard(text: &str) -> bool {
    let Some(clipboard) = window()
        .and_then(|w| get(&w, "navigator"))
        .and_then(|n| get(&n, "clipboard"))
    else {
        return false;
    };
    get(&clipboard, "writeText")
        .and_then(|f| f.dyn_into::<Function>().ok())
        .is_some_and(|write| write.call1(&clipboard, &text.into()).is_ok())
}

/// Whether a media query matches (`(prefers-color-scheme: dark)`).
pub fn media_matches(query: &str) -> bool {
    let Some(window) = window() else {
        return false;
    };
    get(&window, "matchMedia")
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call1(&window, &query.into()).ok())
        .and_then(|list| get(&list, "matches"))
        .and_then(|m| m.as_bool())
        .unwrap_or(false)
}

/// Ask the user yes or no (window.confirm); yes when the browser cannot ask.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(true)
}

/// The `value` property of an event's target (a `<select>`'s chosen option).
pub fn target_value(event: &web_sys::Event) -> Option<String> {
    let target = JsValue::from(event.target()?);
    get(&target, "value")?.as_string()
}

/// Set the `value` property of an event's target.
pub fn set_target_value(event: &web_sys::Event, value: &str) {
    if let Some(target) = event.target() {
        let _ = Reflect::set(&target, &"value".into(), &value.into());
    }
}
