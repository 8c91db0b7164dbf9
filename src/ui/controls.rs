//! Step, Play, Pause, Run, Reset and the virtual clock.

use yew::prelude::*;

use super::format::{virtual_time, wall_time};
use crate::sim::Millis;

#[derive(PartialEq, Properties)]
pub struct ControlsProps {
    pub playing: bool,
    /// Nothing left to show and nothing scheduled.
    pub at_end: bool,
    /// The virtual time of the step on screen.
    pub clock: Millis,
    pub onstep: Callback<MouseEvent>,
    pub onplay: Callback<MouseEvent>,
    pub onpause: Callback<MouseEvent>,
    pub onrun: Callback<MouseEvent>,
    pub onreset: Callback<MouseEvent>,
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let ControlsProps {
        playing, at_end, ..
    } = *props;
    html! {
        <nav class="controls" aria-label="timeline">
            <button id="step" title="Show the next step" disabled={at_end}
                onclick={props.onstep.clone()}>{ "Step" }</button>
            <button id="play" title="Show one step every 400 ms" disabled={playing || at_end}
                onclick={props.onplay.clone()}>{ "Play" }</button>
            <button id="pause" title="Stop playing" disabled={!playing}
                onclick={props.onpause.clone()}>{ "Pause" }</button>
            <button id="run" title="Show everything that happens in the next 60 s of virtual time"
                onclick={props.onrun.clone()}>{ "Run" }</button>
            <button id="reset" class="secondary" title="Start again with a fresh cluster"
                onclick={props.onreset.clone()}>{ "Reset" }</button>
            <span id="clock" class="clock" title="virtual time since the cluster started">
                <span class="virtual">{ virtual_time(props.clock) }</span>
                <span class="wall">{ format!("{} UTC", wall_time(props.clock)) }</span>
            </span>
        </nav>
    }
}
