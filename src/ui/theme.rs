//! Light and dark themes. The page follows the system's `prefers-color-scheme` until the user
//! presses the toggle; the choice is then kept in localStorage. The stylesheet reads the
//! `data-theme` attribute of `<html>` (absent: follow the system).

use yew::prelude::*;

use super::{browser, storage};

/// Where the user's choice is kept.
const THEME_KEY: &str = "podlab.theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn named(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// The theme the user chose, if any.
fn chosen() -> Option<Theme> {
    Theme::named(&storage::load(THEME_KEY)?)
}

/// The theme the system prefers.
fn system() -> Theme {
    if browser::media_matches("(prefers-color-scheme: dark)") {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// Mark `<html>` with the chosen theme, or nothing to follow the system.
fn show(theme: Option<Theme>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Some(theme) => root.set_attribute("data-theme", theme.name()),
        None => root.remove_attribute("data-theme"),
    };
}

/// A button that switches between light and dark.
#[function_component(ThemeToggle)]
pub fn theme_toggle() -> Html {
    let theme = use_state(|| chosen().unwrap_or_else(system));
    use_effect_with((), |_| show(chosen()));
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let next = theme.other();
            storage::save(THEME_KEY, Some(next.name()));
            show(Some(next));
            theme.set(next);
        })
    };
    let (label, icon) = match *theme {
        Theme::Dark => ("Switch to the light theme", "☀"),
        Theme::Light => ("Switch to the dark theme", "☾"),
    };
    html! {
        <button id="theme" class="secondary icon" type="button" title={label} aria-label={label}
            aria-pressed={(*theme == Theme::Dark).to_string()} {onclick}>
            { icon }
        </button>
    }
}
