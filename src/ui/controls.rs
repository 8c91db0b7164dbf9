//! Step back, Step, Play, Pause, Run, Reset and the virtual clock. The keyboard drives them too
//! (see [`key_action`]): Left and Right step, Space plays or pauses.

use yew::prelude::*;

use super::format::{virtual_time, wall_time};
use super::state::Action;
use crate::sim::Millis;

#[derive(PartialEq, Properties)]
pub struct ControlsProps {
    pub playing: bool,
    /// Nothing left to show and nothing scheduled.
    pub at_end: bool,
    /// The entry on screen is the first (or there is none): nothing to step back to.
    pub at_start: bool,
    /// The virtual time of the step on screen.
    pub clock: Millis,
    pub onback: Callback<MouseEvent>,
    pub onstep: Callback<MouseEvent>,
    pub onplay: Callback<MouseEvent>,
    pub onpause: Callback<MouseEvent>,
    pub onrun: Callback<MouseEvent>,
    pub onreset: Callback<MouseEvent>,
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let ControlsProps {
        playing,
        at_end,
        at_start,
        ..
    } = *props;
    html! {
        <nav class="controls" aria-label="Timeline">
            <button id="back" title="Show the previous step (Left arrow; Home: the first step)"
                disabled={at_start} aria-label="Step back" aria-keyshortcuts="ArrowLeft Home"
                onclick={props.onback.clone()}>{ "Step back" }</button>
            <button id="step" title="Show the next step (Right arrow)" disabled={at_end}
                aria-label="Step forward" aria-keyshortcuts="ArrowRight"
                onclick={props.onstep.clone()}>{ "Step" }</button>
            <button id="play" title="Show one step every 400 ms (Space)" disabled={playing || at_end}
                aria-label="Play" aria-keyshortcuts="Space"
                onclick={props.onplay.clone()}>{ "Play" }</button>
            <button id="pause" title="Stop playing (Space)" disabled={!playing}
                aria-label="Pause" aria-keyshortcuts="Space"
                onclick={props.onpause.clone()}>{ "Pause" }</button>
            <button id="run" title="Show everything that happens in the next 60 s of virtual time"
                aria-label="Run 60 seconds of virtual time"
                onclick={props.onrun.clone()}>{ "Run" }</button>
            <button id="reset" class="secondary" title="Start again with a fresh cluster"
                aria-label="Reset the cluster"
                onclick={props.onreset.clone()}>{ "Reset" }</button>
            <span id="clock" class="clock" title="virtual time since the cluster started"
                aria-label="Virtual time" aria-live="off">
                <span class="virtual">{ virtual_time(props.clock) }</span>
                <span class="wall">{ format!("{} UTC", wall_time(props.clock)) }</span>
            </span>
        </nav>
    }
}

/// What a key pressed outside the editor and the prompt does: Left steps back, Right steps on,
/// Space plays or pauses. `None` for other keys, with a modifier held, or when the key belongs to
/// the focused element (`typing`: a text field, a menu; `on_button`: Space clicks a button).
pub fn key_action(key: &str, modified: bool, typing: bool, on_button: bool) -> Option<Action> {
    if modified || typing {
        return None;
    }
    match key {
        "ArrowLeft" => Some(Action::StepBack),
        "ArrowRight" => Some(Action::Step),
        "Home" => Some(Action::Select(0)),
        " " | "Spacebar" if !on_button => Some(Action::TogglePlay),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn arrows_step_and_space_plays_outside_text_fields() {
        assert_eq!(
            key_action("ArrowLeft", false, false, false),
            Some(Action::StepBack)
        );
        assert_eq!(
            key_action("ArrowRight", false, false, true),
            Some(Action::Step)
        );
        assert_eq!(
            key_action(" ", false, false, false),
            Some(Action::TogglePlay)
        );
        assert_eq!(
            key_action(" ", false, false, true),
            None,
            "Space clicks the button"
        );
        assert_eq!(
            key_action("ArrowLeft", false, true, false),
            None,
            "typing moves the caret"
        );
        assert_eq!(
            key_action("ArrowLeft", true, false, false),
            None,
            "Alt+Left goes back"
        );
        assert_eq!(
            key_action("Home", false, false, false),
            Some(Action::Select(0)),
            "Home goes to the first step"
        );
        assert_eq!(key_action("Home", false, true, false), None);
        assert_eq!(key_action("a", false, false, false), None);
    }
}
