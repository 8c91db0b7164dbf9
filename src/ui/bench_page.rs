//! The scheduler benchmark in the browser: `index.html?bench=PODSxNODES` (e.g.
//! `?bench=10000x1000`, or several node counts: `?bench=10000x1000,5000`) runs
//! [`scheduler_benchmark`](crate::scheduler::bench::scheduler_benchmark) in the page's own
//! WebAssembly build instead of starting the app, and writes one line per run into
//! `<pre id="bench">`, ending with `done` (scripts/bench-browser.py reads it from headless
//! Chromium).
//!
//! Each run starts from a timer rather than from the page's start, so the page finishes loading
//! first (a driver waiting for the load event is not held for the whole benchmark) and the text
//! written so far can be read between runs. A run itself blocks the page until it ends.

use gloo_timers::callback::Timeout;
use web_sys::Element;

use crate::scheduler::bench::{requested, result_line, scheduler_benchmark};

/// How long after the page starts (and between runs) the next run begins, in milliseconds.
const PAUSE_MS: u32 = 100;

/// Run what `query` asks for into `<pre id="bench">`; false when it asks for no benchmark.
pub fn run_if_requested(query: &str) -> bool {
    let Some(request) = requested(query) else {
        return false;
    };
    let Some(pre) = bench_element() else {
        return true;
    };
    match request {
        Ok((pods, nodes)) => run_next(pre, pods, nodes, String::new()),
        Err(message) => pre.set_text_content(Some(&format!("{message}\ndone\n"))),
    }
    true
}

/// A new `<pre id="bench">` at the end of the body.
fn bench_element() -> Option<Element> {
    let document = web_sys::window()?.document()?;
    let pre = document.create_element("pre").ok()?;
    pre.set_id("bench");
    document.body()?.append_child(&pre).ok()?;
    Some(pre)
}

/// After a pause, run the benchmark for the first of `nodes`, write `out` with its line, and go
/// on with the rest; `done` ends the text once none is left.
fn run_next(pre: Element, pods: usize, mut nodes: Vec<usize>, mut out: String) {
    if nodes.is_empty() {
        out.push_str("done\n");
        pre.set_text_content(Some(&out));
        return;
    }
    let n = nodes.remove(0);
    Timeout::new(PAUSE_MS, move || {
        let result = scheduler_benchmark(pods, n, 1);
        out.push_str(&result_line(&result, "wasm"));
        out.push('\n');
        pre.set_text_content(Some(&out));
        run_next(pre, pods, nodes, out);
    })
    .forget();
}
