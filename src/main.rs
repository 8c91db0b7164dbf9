//! The `podlab` binary: in the browser the Yew app, natively the command-line runner.

#[cfg(target_arch = "wasm32")]
fn main() {
    podlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(podlab::scenario::cli::main(
        std::env::args().skip(1).collect(),
    ));
}
