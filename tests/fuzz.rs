//! A fuzz harness that runs on stable Rust: it mutates seed inputs (manifests and kubectl command
//! lines, the shared fidelity cases' among them) and feeds them through the decode → validate →
//! apply path and the kubectl command parser of a live simulated cluster. Any panic is a failure;
//! the input that caused it is written to target/fuzz-crashes/ to be replayed.
//!
//! `cargo test --test fuzz` runs a fixed number of inputs; scripts/test.sh runs it for a bounded
//! time with `FUZZ_SECONDS=N` (in release mode). `FUZZ_SEED` picks the mutation stream.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use podlab::sim::Rng;
use podlab::{Cluster, Preset};

/// A Pod with resource requests, beside the page's manifest, so that quantities are mutated too.
const SEED_WITH_REQUESTS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: sized
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo hi; sleep 5\"]
    resources:
      requests:
        cpu: 100m
        memory: 64Mi
";

const SEED_COMMANDS: &[&str] = &[
    "kubectl get pods -o wide",
    "kubectl get pod nginx -o yaml",
    "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
    "kubectl describe pod nginx",
    "kubectl delete pod nginx --grace-period=0 --force",
    "kubectl get events --field-selector reason=FailedScheduling",
    "kubectl get svc,endpoints -A --show-labels",
    "kubectl patch pod nginx --type=merge -p '{\"metadata\":{\"labels\":{\"a\":\"b\"}}}'",
    "kubectl get pods -l 'app in (nginx, web),!canary'",
    "kubectl apply -f - --dry-run=server --validate=warn",
];

/// Tokens that YAML, JSON and kubectl give meaning to.
const DICTIONARY: &[&str] = &[
    ":",
    ": ",
    "- ",
    "\n",
    "\n  ",
    "\n    - ",
    "{",
    "}",
    "[",
    "]",
    "'",
    "\"",
    ",",
    "#",
    "---",
    "...",
    "null",
    "~",
    "&a ",
    "*a",
    "!!str ",
    "<<: *a",
    "|",
    ">-",
    "\t",
    "\u{0}",
    "é",
    "💥",
    "apiVersion: v1",
    "kind: Pod",
    "kind: Service",
    "kind: List",
    "items:",
    "metadata:",
    "name: ",
    "namespace: ",
    "spec:",
    "containers:",
    "- name: x",
    "image: ",
    "ports:",
    "containerPort: ",
    "99999",
    "-1",
    "0",
    "1e400",
    "0x1F",
    "1.5",
    "true",
    "\"80\"",
    "restartPolicy: ",
    "nodeName: ",
    "nodeSelector:",
    "tolerations:",
    "volumes:",
    "volumeMounts:",
    "resources:",
    "limits:",
    "cpu: ",
    "memory: ",
    "1Gi",
    "100m",
    "-o",
    "-n",
    "--",
    "=",
    "-f",
    "-",
    "yaml",
    "json",
    "jsonpath={",
    "{.",
    "[*]",
    "[?(@.",
    "--all-namespaces",
    "--grace-period=",
    "-l",
    "--field-selector",
    "<<'YAML'",
    "\\",
    "$(",
    "`",
];

fn mutate(input: &str, rng: &mut Rng) -> String {
    let mut bytes = input.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        let at = if bytes.is_empty() {
            0
        } else {
            rng.below(bytes.len() as u64 + 1) as usize
        };
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let end = (at + 1 + rng.below(16) as usize).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            1 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
            2 => {
                let tok = DICTIONARY[rng.below(DICTIONARY.len() as u64) as usize];
                bytes.splice(at..at, tok.bytes());
            }
            3 if !bytes.is_empty() => {
                // Splice a piece of the input into another place.
                let from = rng.below(bytes.len() as u64) as usize;
                let piece: Vec<u8> =
                    bytes[from..(from + 1 + rng.below(40) as usize).min(bytes.len())].to_vec();
                bytes.splice(at..at, piece);
            }
            4 => {
                let n = 1 + rng.below(200) as usize;
                bytes.splice(at..at, std::iter::repeat_n(b'a', n));
            }
            _ => bytes.insert(at.min(bytes.len()), rng.below(128) as u8),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Manifests and command lines of the shared fidelity cases, when ../shared is beside the repo.
fn shared_seeds() -> (Vec<String>, Vec<String>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fidelity/cases");
    let (mut manifests, mut commands) = (Vec::new(), Vec::new());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (manifests, commands);
    };
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            manifests.push(text);
            continue;
        }
        if entry.path().extension().is_none_or(|e| e != "sh") {
            continue;
        }
        for cmd in podlab::scenario::parse(&text) {
            if cmd.line.starts_with("kubectl") {
                commands.push(cmd.line.clone());
            }
            if let Some(body) = cmd.stdin {
                manifests.push(body);
            }
        }
    }
    manifests.sort();
    commands.sort();
    (manifests, commands)
}

fn report(kind: &str, input: &str, stdin: Option<&str>) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{kind}-{}.txt", input.len()));
    let _ = std::fs::write(
        &path,
        format!("{input}\n--- stdin ---\n{}", stdin.unwrap_or_default()),
    );
    format!(
        "panic on a {kind} input, saved to {}:\n{input}\n{}",
        path.display(),
        stdin.unwrap_or_default()
    )
}

#[test]
fn no_input_panics_the_cluster() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let budget = Duration::from_secs(seconds);
    let min_inputs = if seconds == 0 { 400 } else { 0 };
    let (mut manifests, mut commands) = shared_seeds();
    manifests.push(podlab::examples::NGINX_POD_AND_SERVICE.to_string());
    manifests.push(SEED_WITH_REQUESTS.to_string());
    commands.extend(SEED_COMMANDS.iter().map(|s| s.to_string()));
    let mut rng = Rng::seeded(seed);
    let started = Instant::now();
    let mut cluster = Cluster::new(Preset::Default, seed);
    let mut inputs = 0u64;
    while inputs < min_inputs || started.elapsed() < budget {
        inputs += 1;
        if inputs.is_multiple_of(50) {
            // A fresh cluster now and then, so that state does not only pile up.
            cluster = Cluster::new(
                if rng.below(2) == 0 {
                    Preset::Default
                } else {
                    Preset::Empty
                },
                rng.below(1000),
            );
        }
        let outcome = if rng.below(2) == 0 {
            let base = &manifests[rng.below(manifests.len() as u64) as usize];
            let manifest = mutate(base, &mut rng);
            let verb = if rng.below(3) == 0 { "create" } else { "apply" };
            let line = format!("kubectl {verb} -f -");
            catch_unwind(AssertUnwindSafe(|| {
                cluster.kubectl(&line, Some(&manifest));
                cluster.advance(rng.below(3000));
            }))
            .map_err(|_| report("manifest", &line, Some(&manifest)))
        } else {
            let base = &commands[rng.below(commands.len() as u64) as usize];
            let line = mutate(base, &mut rng);
            let stdin = mutate(podlab::examples::NGINX_POD_AND_SERVICE, &mut rng);
            catch_unwind(AssertUnwindSafe(|| {
                cluster.kubectl(&line, Some(&stdin));
            }))
            .map_err(|_| report("command", &line, Some(&stdin)))
        };
        if let Err(message) = outcome {
            panic!("{message}");
        }
    }
    eprintln!(
        "fuzz: {inputs} inputs in {:.1}s without a panic (seed {seed})",
        started.elapsed().as_secs_f64()
    );
}
