//! The native command line: `podlab run FILE [--seed N]` prints a scenario's transcript.

use std::path::{Path, PathBuf};

const USAGE: &str = "usage: podlab run FILE [--seed N] [--trace]\n\nRuns a scenario script against a simulated Kubernetes v1.36 cluster and prints its transcript.";

/// Entry point; returns the process exit code.
pub fn main(args: Vec<String>) -> i32 {
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            0
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

fn run(args: &[String]) -> i32 {
    let mut file = None;
    let mut seed = 1u64;
    let mut trace = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--trace" => trace = true,
            "--seed" => match it.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => {
                    eprintln!("podlab: --seed takes a whole number");
                    return 2;
                }
            },
            other if file.is_none() => file = Some(PathBuf::from(other)),
            other => {
                eprintln!("podlab: unexpected argument {other}");
                return 2;
            }
        }
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
        return 2;
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("podlab: {}: {e}", file.display());
            return 1;
        }
    };
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let read = move |p: &str| std::fs::read_to_string(dir.join(p)).ok();
    match super::run_cluster(&text, seed, &read) {
        Ok((transcript, cluster)) => {
            print!("{transcript}");
            if trace {
                for e in cluster.trace() {
                    eprintln!(
                        "{:>8} {:<22} -> {:<22} {:<40} {} {}",
                        e.at,
                        e.from.label(),
                        e.to.label(),
                        e.action,
                        e.object,
                        e.detail.lines().next().unwrap_or_default()
                    );
                }
            }
            0
        }
        Err(e) => {
            eprintln!("podlab: {e}");
            1
        }
    }
}
