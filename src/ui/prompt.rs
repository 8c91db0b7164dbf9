//! A one-line kubectl prompt: type `kubectl get pods -o wide`, press Enter. Up and Down walk
//! through the lines already run, as in a shell.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(PartialEq, Properties)]
pub struct PromptProps {
    /// Enter was pressed on this line.
    pub onsubmit: Callback<String>,
}

#[function_component(Prompt)]
pub fn prompt(props: &PromptProps) -> Html {
    let history = use_mut_ref(History::default);
    let onkeydown = {
        let onsubmit = props.onsubmit.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            on_key(&e, &input, &history, &onsubmit);
        })
    };
    html! {
        <label class="prompt">
            <span class="prompt-sign">{ "$" }</span>
            <input
                id="kubectl"
                type="text"
                spellcheck="false"
                autocomplete="off"
                placeholder="kubectl get pods -o wide"
                aria-label="kubectl command"
                {onkeydown}
            />
        </label>
    }
}

fn on_key(
    e: &KeyboardEvent,
    input: &HtmlInputElement,
    history: &Rc<RefCell<History>>,
    onsubmit: &Callback<String>,
) {
    let Ok(mut history) = history.try_borrow_mut() else {
        return;
    };
    match e.key().as_str() {
        "Enter" => {
            let line = input.value();
            history.push(&line);
            input.set_value("");
            onsubmit.emit(line);
        }
        "ArrowUp" => {
            e.prevent_default();
            if let Some(line) = history.older() {
                input.set_value(&line);
            }
        }
        "ArrowDown" => {
            e.prevent_default();
            input.set_value(&history.newer().unwrap_or_default());
        }
        _ => {}
    }
}

/// The lines run so far, and where Up/Down have got to (`None`: at the empty new line).
#[derive(Debug, Default)]
struct History {
    lines: Vec<String>,
    position: Option<usize>,
}

impl History {
    fn push(&mut self, line: &str) {
        let line = line.trim();
        if !line.is_empty() && self.lines.last().map(String::as_str) != Some(line) {
            self.lines.push(line.to_string());
        }
        self.position = None;
    }

    /// One line further back, stopping at the oldest.
    fn older(&mut self) -> Option<String> {
        let position = match self.position {
            None => self.lines.len().checked_sub(1)?,
            Some(p) => p.saturating_sub(1),
        };
        self.position = Some(position);
        self.lines.get(position).cloned()
    }

    /// One line forward; `None` past the newest (back to an empty line).
    fn newer(&mut self) -> Option<String> {
        let next = self.position? + 1;
        if next < self.lines.len() {
            self.position = Some(next);
            self.lines.get(next).cloned()
        } else {
            self.position = None;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn history_walks_back_and_forth() {
        let mut h = History::default();
        assert_eq!(h.older(), None);
        h.push("kubectl get pods");
        h.push("kubectl get svc");
        h.push("kubectl get svc");
        h.push("   ");
        assert_eq!(h.older().as_deref(), Some("kubectl get svc"));
        assert_eq!(h.older().as_deref(), Some("kubectl get pods"));
        assert_eq!(h.older().as_deref(), Some("kubectl get pods"));
        assert_eq!(h.newer().as_deref(), Some("kubectl get svc"));
        assert_eq!(h.newer(), None);
        assert_eq!(h.newer(), None);
    }
}
