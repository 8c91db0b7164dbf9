//! Guided tours ([`crate::tours`]): a bar of the tours on offer; once one is started, its step in
//! plain words with a link to the documentation, Back / Next / Exit, and the time-travel cursor
//! moved to the trace entry the step explains, so that the cluster map highlights the component
//! acting. The steps' entries are found in the real trace on screen ([`crate::tours::locate`]).
//! The tour under way and its step are the page's state ([`super::state::Lab::tour`]), so that a
//! share link reopens the tour at the same step.

use web_sys::HtmlElement;
use yew::prelude::*;

use super::state::Revealed;
use super::step_detail::actor_badge;
use crate::examples::TourAt;
use crate::sim::TraceEntry;
use crate::tours::{self, Tour, TOURS};

#[derive(PartialEq, Properties)]
pub struct TourPanelProps {
    /// The entries shown so far.
    pub trace: Revealed,
    pub cursor: Option<usize>,
    /// The tour under way and its step, if any.
    pub tour: Option<TourAt>,
    /// Replay the tour's scenario on a fresh cluster (the tour then starts at its first step);
    /// false when the user declined.
    pub onstart: Callback<&'static Tour, bool>,
    /// Show this step of the tour, or (`None`) leave it.
    pub onstep: Callback<Option<usize>>,
    /// Move the time-travel cursor to this entry.
    pub onselect: Callback<usize>,
}

#[function_component(TourPanel)]
pub fn tour_panel(props: &TourPanelProps) -> Html {
    let progress = props.tour.as_ref().and_then(tours::resume);
    let found = {
        let tour = progress.map(|(tour, _)| tour);
        use_memo(
            (tour.map(|t| t.id), props.trace.clone()),
            move |(_, trace)| {
                tour.map(|t| trace.with(|entries| tours::locate(t, entries)))
                    .unwrap_or_default()
            },
        )
    };
    let target = progress.and_then(|(_, step)| found.get(step).copied().flatten());
    use_cursor_follows_step(
        progress.map(|(tour, step)| (tour.id, step)),
        target,
        &props.onselect,
    );
    let next_button = use_node_ref();
    use_focus_on_start(progress.map(|(tour, _)| tour.id), &next_button);

    let Some((tour, step)) = progress else {
        return menu(&props.onstart);
    };
    let go = |to: Option<usize>| {
        let onstep = props.onstep.clone();
        Callback::from(move |_: MouseEvent| onstep.emit(to))
    };
    let last = tour.steps.len().saturating_sub(1);
    let onback = go(Some(step.saturating_sub(1)));
    let onnext = go(if step < last { Some(step + 1) } else { None });
    let onexit = go(None);
    let onkeydown = {
        let onstep = props.onstep.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                onstep.emit(None);
            }
        })
    };
    let Some(current) = tour.steps.get(step) else {
        return html! {};
    };
    let entry = target.and_then(|i| props.trace.get(i));
    html! {
        <section id="tour" class="panel tour" aria-label={format!("Guided tour: {}", tour.title)}
            {onkeydown}>
            <header class="panel-title">
                <h2>{ tour.title }</h2>
                <span class="hint tour-position">
                    { format!("step {} of {}", step + 1, tour.steps.len()) }
                </span>
            </header>
            <div class="tour-body" aria-live="polite" aria-atomic="true">
                <h3 class="tour-step-title">{ current.title }</h3>
                <p class="tour-text">{ current.text }</p>
                <p class="tour-entry">
                    { entry_line(target, entry.as_ref(), props.cursor) }
                </p>
                <a class="tour-doc" href={current.doc.url} target="_blank" rel="noopener">
                    { format!("Kubernetes docs: {}", current.doc.title) }
                </a>
            </div>
            <div class="tour-buttons">
                <button id="tour-back" class="secondary" type="button" onclick={onback}
                    disabled={step == 0} aria-label="Previous step of the tour">{ "Back" }</button>
                <button id="tour-next" type="button" onclick={onnext} ref={next_button}
                    aria-label={if step < last { "Next step of the tour" } else { "Finish the tour" }}>
                    { if step < last { "Next" } else { "Finish" } }
                </button>
                <button id="tour-exit" class="secondary" type="button" onclick={onexit}
                    aria-label="Exit the tour">{ "Exit" }</button>
            </div>
        </section>
    }
}

/// The tours on offer, one button each.
fn menu(onstart: &Callback<&'static Tour, bool>) -> Html {
    let start = |tour: &'static Tour| {
        let onstart = onstart.clone();
        Callback::from(move |_: MouseEvent| {
            onstart.emit(tour);
        })
    };
    html! {
        <section id="tours" class="panel tours" aria-label="Guided tours">
            <span class="tours-label">{ "Guided tours" }</span>
            { for TOURS.iter().map(|tour| html! {
                <button id={format!("tour-{}", tour.id)} class="secondary" type="button"
                    onclick={start(tour)}
                    title="Starts a fresh cluster with the tour's example and walks through its trace">
                    { tour.title }
                </button>
            }) }
        </section>
    }
}

/// Which trace entry the step explains, as the trace shows it, or why there is none.
fn entry_line(target: Option<usize>, entry: Option<&TraceEntry>, cursor: Option<usize>) -> Html {
    let (Some(index), Some(entry)) = (target, entry) else {
        return html! {
            <span class="hint">
                { "This step has not happened in the cluster on screen: exit and start the tour again." }
            </span>
        };
    };
    let away = cursor != Some(index);
    html! {
        <>
            <span class="tour-step-number">{ format!("Step {} of the trace:", index + 1) }</span>
            { actor_badge(&entry.from, "from") }
            <span class="arrow">{ "→" }</span>
            { actor_badge(&entry.to, "to") }
            <code class="action">{ &entry.action }</code>
            if away {
                <span class="hint">{ " (the trace has moved on since: Next or Back come back to the tour)" }</span>
            }
        </>
    }
}

/// When the tour's step (or the entry found for it) changes, move the cursor to that entry. The
/// user may then step elsewhere: the cursor is moved again only on the tour's next move.
#[hook]
fn use_cursor_follows_step(
    at: Option<(&'static str, usize)>,
    target: Option<usize>,
    onselect: &Callback<usize>,
) {
    let onselect = onselect.clone();
    use_effect_with((at, target), move |(_, target)| {
        if let Some(index) = target {
            onselect.emit(*index);
        }
    });
}

/// Put the keyboard focus on Next when a tour starts, so that Enter walks through it.
#[hook]
fn use_focus_on_start(tour: Option<&'static str>, next: &NodeRef) {
    let next = next.clone();
    use_effect_with(tour, move |tour| {
        if tour.is_some() {
            if let Some(button) = next.cast::<HtmlElement>() {
                let _ = button.focus();
            }
        }
    });
}
