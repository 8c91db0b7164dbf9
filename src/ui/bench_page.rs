//! The scheduler benchmark in the browser: `index.html?bench=PODSxNODES` (e.g.
//! `?bench=10000x1000`, or several node counts: `?bench=10000x1000,5000`) runs
//! [`scheduler_benchmark`](crate::scheduler::bench::scheduler_benchmark) in the page's own
//! WebAssembly build instead of starting the app, and writes one line per run into
//! `<pre id="bench">`, ending with `done` (scripts/bench-browser.py reads it from headless
//! Chromium). The run blocks the page until it ends.

use crate::scheduler::bench::{requested, result_line, scheduler_benchmark};

/// Run what `query` asks for into `<pre id="bench">`; false when it asks for no benchmark.
pub fn run_if_requested(query: &str) -> bool {
    let Some(request) = requested(query) else {
        return false;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return true;
    };
    let Ok(pre) = document.create_element("pre") else {
        return true;
    };
    pre.set_id("bench");
    if let Some(body) = document.body() {
        let _ = body.append_child(&pre);
    }
    let mut out = String::new();
    match request {
        Ok((pods, nodes)) => {
            for n in nodes {
                let r = scheduler_benchmark(pods, n, 1);
                out.push_str(&result_line(&r, "wasm"));
                out.push('\n');
            }
        }
        Err(message) => {
            out.push_str(&message);
            out.push('\n');
        }
    }
    out.push_str("done\n");
    pre.set_text_content(Some(&out));
    true
}
