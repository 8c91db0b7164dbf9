//! What a container runs: its image's entrypoint and command, or the pod's `command`/`args`
//! (the Docker/OCI rules of `kubelet/kuberuntime` makeContainerCommand: `command` replaces the
//! image's ENTRYPOINT, `args` its CMD). podlab does not execute anything: it plans what the main
//! process will print, how long it runs and how it exits. It understands the small `sh -c`
//! scripts of tutorials (echo, printf, sleep, exit, true/false, date, hostname, `;`, `&&`, `||`,
//! `&`, `while`/`until` loops), `sleep`, `tail -f /dev/null`, and the default processes of the
//! images it knows (busybox's `sh` exits at once without a terminal; nginx serves until stopped).
//! Anything else is taken for a long-running application that prints nothing.

use crate::sim::Millis;

/// What one command of a script costs (fork and exec).
const COMMAND_MS: Millis = 1;
/// From StartContainer to the main process running its first instruction (runc starting the
/// process, the dynamic loader).
pub const PROCESS_START_MS: Millis = 20;

/// Which stream a line went to (`kubectl logs` shows both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A piece of printed text: literal, or `$(date)` expanded when it is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Date,
    /// nginx's error-log date, `2026/11/21 14:56:42`.
    NginxDate,
}

/// A line the process prints, `at` milliseconds after it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: Millis,
    pub stream: Stream,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Print(Stream, Vec<Piece>),
    Wait(Millis),
    /// A command that changes the container's file system (`touch`, `rm`, `echo … > f`),
    /// replayed on the container's files when its time comes.
    Change(Vec<String>),
}

/// How a straight run of operations ends.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tail {
    /// The script goes on; the last command's exit status.
    Next(i32),
    /// `exit N`.
    Exit(i32),
    /// `break` out of the innermost loop, with the status so far.
    Break(i32),
    /// The process blocks for ever (`sleep infinity`, a server).
    Forever,
    /// A loop that never ends, repeating these operations.
    Repeat(Vec<Op>),
}

/// A straight run of operations and how it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Plan {
    ops: Vec<Op>,
    tail: Tail,
}

impl Plan {
    fn status(status: i32) -> Plan {
        Plan {
            ops: Vec::new(),
            tail: Tail::Next(status),
        }
    }

    fn finished(&self) -> bool {
        !matches!(self.tail, Tail::Next(_))
    }

    /// Run `next` after this plan (if this one goes on).
    fn then(mut self, next: Plan) -> Plan {
        if self.finished() {
            return self;
        }
        self.ops.extend(next.ops);
        self.tail = next.tail;
        self
    }
}

/// The main process of a container, as podlab plans it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The command line the runtime starts (entrypoint and command, joined).
    pub argv: Vec<String>,
    ops: Vec<Op>,
    tail: Tail,
    /// Whether the process ends on SIGTERM (the image's stop signal). A shell or `sleep` running
    /// as PID 1 has no handler and ignores it, so only the grace period's SIGKILL ends it.
    pub stops_on_sigterm: bool,
    /// The files the container starts with (its mounted volumes and `/etc/hostname`).
    pub files: std::collections::BTreeMap<String, String>,
    /// The process environment the kubelet built (empty when unknown); exec'd processes get it.
    pub vars: Vec<(String, String)>,
    /// Where the kubelet reads the termination message from when the process ends.
    pub termination: TerminationMessage,
    /// The process outgrows its memory limit: its planned end is the kernel's OOM kill.
    pub oom_killed: bool,
    /// A loop waiting on the cluster network (`until nslookup myservice…; do …; done`, the
    /// init containers page's example): its condition is run while the container runs.
    pub poll: Option<Poll>,
}

/// The condition of a shell loop that waits on the cluster network, run again while the
/// container runs; the script ends (exit 0) once it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    /// `sh -c CONDITION`.
    pub argv: Vec<String>,
    /// `until` (ends when the condition succeeds) or `while` (ends when it fails).
    pub until: bool,
}

impl Poll {
    /// A script that is a loop on a network lookup or request: `until nslookup …; do …; done`
    /// (or `while`), alone or first.
    pub fn of_script(script: &str, image: &str) -> Option<Poll> {
        let trimmed = script.trim();
        let (until, rest) = match trimmed.split_once(' ') {
            Some(("until", rest)) => (true, rest),
            Some(("while", rest)) => (false, rest),
            _ => return None,
        };
        let (condition, body) = rest.split_once("; do ")?;
        body.contains("done")
            .then_some(())
            .filter(|_| {
                let program = condition.split_whitespace().next().unwrap_or_default();
                crate::network::image_has_client(image, base_name(program))
            })
            .map(|_| Poll {
                argv: vec!["sh".into(), "-c".into(), condition.trim().to_string()],
                until,
            })
    }

    /// The condition's exit status. busybox 1.28's nslookup (the tag the docs' init container
    /// examples pin) exits 1 when it cannot resolve the name (see [`nslookup_uses_resolver`]);
    /// the newer nslookup podlab models exits 0 whatever it found, so an nslookup without an
    /// answer (`Name:`) counts as failed.
    pub fn exit_code(&self, out: &ExecOutput) -> i32 {
        let condition = self.argv.get(2).map(String::as_str).unwrap_or_default();
        let lookup = condition.split_whitespace().next() == Some("nslookup");
        if lookup && out.exit_code == 0 && !out.stdout.contains("Name:") {
            1
        } else {
            out.exit_code
        }
    }

    /// Whether the loop is over, given the condition's exit code.
    pub fn ends(&self, exit_code: i32) -> bool {
        (exit_code == 0) == self.until
    }
}

/// A container's `terminationMessagePath` and `terminationMessagePolicy`, which the kubelet
/// follows when the container ends (kuberuntime_container.go getTerminationMessage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminationMessage {
    pub path: String,
    /// `FallbackToLogsOnError`: an empty message of a failed container is its logs' tail.
    pub fallback_to_logs_on_error: bool,
}

impl Default for TerminationMessage {
    /// The API server's defaults (SetDefaults_Container): `/dev/termination-log`, `File`.
    fn default() -> Self {
        TerminationMessage {
            path: "/dev/termination-log".into(),
            fallback_to_logs_on_error: false,
        }
    }
}

/// The most the kubelet reads of a termination message file
/// (kubecontainer.MaxContainerTerminationMessageLength, 4 KiB).
pub const MAX_TERMINATION_MESSAGE_BYTES: usize = 4 * 1024;
/// What `FallbackToLogsOnError` takes of the logs: the last 80 lines, at most 2 KiB
/// (MaxContainerTerminationMessageLogLines / MaxContainerTerminationMessageLogLength).
pub const MAX_TERMINATION_LOG_LINES: usize = 80;
pub const MAX_TERMINATION_LOG_BYTES: usize = 2 * 1024;
/// How long `stress --vm` takes to touch more memory than its cgroup allows and be OOM-killed.
const OOM_KILL_AFTER_MS: Millis = 250;

/// The `Entrypoint` and `Cmd` of the images podlab knows, by repository name.
fn image_defaults(image: &str) -> (Vec<&'static str>, Vec<&'static str>) {
    match repository(image).as_str() {
        "busybox" => (vec![], vec!["sh"]),
        "alpine" | "ubuntu" | "debian" => (vec![], vec!["/bin/sh"]),
        "nginx" => (
            vec!["/docker-entrypoint.sh"],
            vec!["nginx", "-g", "daemon off;"],
        ),
        "httpd" => (vec![], vec!["httpd-foreground"]),
        "redis" => (vec!["docker-entrypoint.sh"], vec!["redis-server"]),
        // Istio's proxy image: pilot-agent, which starts Envoy.
        "proxyv2" => (vec!["/usr/local/bin/pilot-agent"], vec![]),
        _ => (vec![], vec![]),
    }
}

/// `docker.io/library/nginx:1.27` → `nginx`.
fn repository(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or_default();
    let last = without_digest.rsplit('/').next().unwrap_or_default();
    last.split(':').next().unwrap_or_default().to_string()
}

/// Whether an image ships a busybox-like userland where an unknown command is "not found".
fn has_small_userland(image: &str) -> bool {
    matches!(repository(image).as_str(), "busybox" | "alpine")
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Program {
    /// The process a container runs: `command` replaces the image's entrypoint, `args` its
    /// command; `hostname` is the pod's name (what `$HOSTNAME` and `hostname` print); `cpus` the
    /// node's CPU count (nginx starts one worker per CPU).
    pub fn for_container(
        command: &[String],
        args: &[String],
        image: &str,
        hostname: &str,
        cpus: u32,
    ) -> Program {
        let setup = Setup {
            hostname: hostname.to_string(),
            cpus,
            vars: Vec::new(),
            files: initial_files(hostname),
        };
        Program::with_setup(command, args, image, &setup)
    }

    /// The process a container runs, with the environment the kubelet built for it and the
    /// files it starts with (mounted volumes): `$(VAR)` in `command`/`args` expands from the
    /// environment (kubecontainer.ExpandContainerCommandAndArgs), and the commands of the script
    /// that read or change files (`cat`, `ls`, `printenv`, `touch`, `rm`) run on a copy of them.
    pub fn with_setup(command: &[String], args: &[String], image: &str, setup: &Setup) -> Program {
        let expand = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|a| expand_kubelet_refs(a, &setup.vars))
                .collect()
        };
        let (command, args) = (expand(command), expand(args));
        let (command, args) = (command.as_slice(), args.as_slice());
        let hostname = setup.hostname.as_str();
        let cpus = setup.cpus;
        let (entrypoint, cmd) = image_defaults(image);
        let argv: Vec<String> = match (command.is_empty(), args.is_empty()) {
            (false, _) => command.iter().chain(args).cloned().collect(),
            (true, false) => strings(&entrypoint)
                .into_iter()
                .chain(args.iter().cloned())
                .collect(),
            (true, true) => strings(&entrypoint)
                .into_iter()
                .chain(strings(&cmd))
                .collect(),
        };
        let env = Env {
            hostname: hostname.to_string(),
            small_userland: has_small_userland(image),
            cpus,
            vars: setup.vars.clone(),
            image: image.to_string(),
            scratch: std::cell::RefCell::new(setup.files.clone()),
        };
        let (plan, stops_on_sigterm) = plan_argv(&argv, &env);
        // agnhost is a Go program: the Go runtime's SIGTERM handler exits it even as PID 1.
        let stops_on_sigterm = stops_on_sigterm || repository(image) == "agnhost";
        let mut ops = vec![Op::Wait(PROCESS_START_MS)];
        ops.extend(plan.ops);
        let poll = match argv.as_slice() {
            [sh, c, script, ..] if base_name(sh).ends_with("sh") && c == "-c" => {
                Poll::of_script(script, image)
            }
            _ => None,
        };
        Program {
            argv,
            ops,
            tail: plan.tail,
            stops_on_sigterm,
            files: setup.files.clone(),
            vars: setup.vars.clone(),
            termination: TerminationMessage::default(),
            oom_killed: false,
            poll,
        }
    }

    /// The container spec's limits on this process: its memory limit (a process allocating more
    /// is killed by the kernel's OOM killer, exit code 137, which containerd reports as
    /// `OOMKilled`) and where its termination message is read from.
    pub fn limited_by(mut self, container: &serde_json::Value) -> Program {
        let text = |p: &str| container.pointer(p).and_then(|v| v.as_str());
        if let Some(path) = text("/terminationMessagePath") {
            self.termination.path = path.to_string();
        }
        self.termination.fallback_to_logs_on_error =
            text("/terminationMessagePolicy") == Some("FallbackToLogsOnError");
        let limit = text("/resources/limits/memory")
            .and_then(crate::quantity::parse_units)
            .and_then(|l| u64::try_from(l).ok());
        let wanted = stress_vm_bytes(&self.argv);
        if let (Some(limit), Some(wanted)) = (limit, wanted) {
            if wanted > limit {
                self.ops.push(Op::Wait(OOM_KILL_AFTER_MS));
                self.tail = Tail::Exit(137);
                self.oom_killed = true;
            }
        }
        self
    }

    /// How long an exec'd command runs before it exits (None: it never does), for the exec
    /// probe's `timeoutSeconds`.
    pub fn exec_duration(argv: &[String], image: &str) -> Option<Millis> {
        let program = Program::for_container(argv, &[], image, "exec", 1);
        program
            .exit()
            .map(|(after, _)| after.saturating_sub(PROCESS_START_MS))
    }

    /// The file system changes the process makes, each with when (after it started); changes
    /// inside a loop that repeats for ever are not replayed.
    pub fn file_changes(&self) -> Vec<(Millis, Vec<String>)> {
        let mut at: Millis = 0;
        let mut out = Vec::new();
        for op in &self.ops {
            match op {
                Op::Wait(ms) => at = at.saturating_add(*ms),
                Op::Change(argv) => out.push((at, argv.clone())),
                Op::Print(..) => {}
            }
        }
        out
    }

    /// When the process exits on its own, after it started, and with which code; None when it
    /// runs until stopped.
    pub fn exit(&self) -> Option<(Millis, i32)> {
        let code = match self.tail {
            Tail::Next(c) | Tail::Exit(c) | Tail::Break(c) => c,
            Tail::Forever | Tail::Repeat(_) => return None,
        };
        Some((duration(&self.ops), code))
    }

    /// What the process printed in its first `elapsed` milliseconds, keeping the last `limit`
    /// lines (the kubelet rotates container logs). `started` is the wall-clock instant it started
    /// at, for `$(date)`.
    pub fn output(&self, elapsed: Millis, started: Millis, limit: usize) -> Vec<LogLine> {
        let mut lines = Vec::new();
        let prefix_end = emit(&self.ops, 0, elapsed, started, &mut lines);
        if let Tail::Repeat(body) = &self.tail {
            let period = duration(body).max(COMMAND_MS);
            let printed_per_round = body
                .iter()
                .filter(|op| matches!(op, Op::Print(..)))
                .count()
                .max(1);
            if elapsed >= prefix_end {
                let rounds = (elapsed - prefix_end) / period + 1;
                let wanted = (limit / printed_per_round + 1) as Millis;
                let first = rounds.saturating_sub(wanted);
                for round in first..rounds {
                    emit(
                        body,
                        prefix_end + round * period,
                        elapsed,
                        started,
                        &mut lines,
                    );
                }
            }
        }
        let drop = lines.len().saturating_sub(limit);
        lines.drain(..drop);
        lines
    }
}

/// How long a run of operations takes.
fn duration(ops: &[Op]) -> Millis {
    ops.iter().fold(0, |total: Millis, op| match op {
        Op::Wait(ms) => total.saturating_add(*ms),
        Op::Print(..) | Op::Change(_) => total,
    })
}

/// Append the lines `ops` print by `elapsed`, starting at `start`; return when they end.
fn emit(
    ops: &[Op],
    start: Millis,
    elapsed: Millis,
    started: Millis,
    out: &mut Vec<LogLine>,
) -> Millis {
    let mut at = start;
    for op in ops {
        match op {
            Op::Wait(ms) => at = at.saturating_add(*ms),
            Op::Print(stream, pieces) if at <= elapsed => out.push(LogLine {
                at,
                stream: *stream,
                text: render(pieces, started + at),
            }),
            Op::Print(..) | Op::Change(_) => {}
        }
    }
    at
}

fn render(pieces: &[Piece], at: Millis) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.clone(),
            Piece::Date => busybox_date(at),
            Piece::NginxDate => crate::sim::wall_clock(at)
                .strftime("%Y/%m/%d %H:%M:%S")
                .to_string(),
        })
        .collect()
}

/// `date` as busybox prints it in a container (UTC): `Sat Nov 21 14:56:41 UTC 2026`.
pub fn busybox_date(at: Millis) -> String {
    crate::sim::wall_clock(at)
        .strftime("%a %b %e %H:%M:%S UTC %Y")
        .to_string()
}

/// What a container's main process starts with: the pod's hostname, the node's CPU count
/// (nginx starts one worker per CPU), the environment the kubelet built (in order) and the
/// container's files (mounted volumes, `/etc/hostname`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setup {
    pub hostname: String,
    pub cpus: u32,
    pub vars: Vec<(String, String)>,
    pub files: std::collections::BTreeMap<String, String>,
}

/// `$(VAR)` references in a container's command and args, expanded from its environment as
/// expansion.MappingFuncFor does: `$$` is a literal `$`, an unknown `$(NAME)` stays as written.
pub fn expand_kubelet_refs(input: &str, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = input;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(end) => {
                    let name = &inner[..end];
                    match vars.iter().rev().find(|(k, _)| k == name) {
                        Some((_, v)) => out.push_str(v),
                        None => out.push_str(&format!("$({name})")),
                    }
                    rest = &inner[end + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = inner;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

struct Env {
    hostname: String,
    small_userland: bool,
    cpus: u32,
    /// The process's environment (`$NAME` expands from it).
    vars: Vec<(String, String)>,
    image: String,
    /// The file system as the script has changed it so far (the planner's copy).
    scratch: std::cell::RefCell<std::collections::BTreeMap<String, String>>,
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The plan of a whole command line, and whether the process stops on SIGTERM.
fn plan_argv(argv: &[String], env: &Env) -> (Plan, bool) {
    let Some(program) = argv.first() else {
        // No command at all: the runtime would refuse it; treat it as an idle process.
        return (
            Plan {
                ops: Vec::new(),
                tail: Tail::Forever,
            },
            false,
        );
    };
    let name = base_name(program);
    match name {
        "sh" | "bash" | "ash" | "dash" => match argv.get(1).map(String::as_str) {
            Some("-c") => match argv.get(2) {
                Some(script) => (plan_script(script, env), false),
                None => (
                    print_err(&format!("{name}: -c requires an argument"), 2),
                    false,
                ),
            },
            // An interactive shell without a terminal reads an empty stdin and exits.
            _ => (
                Plan {
                    ops: vec![Op::Wait(COMMAND_MS)],
                    tail: Tail::Next(0),
                },
                false,
            ),
        },
        "docker-entrypoint.sh" if argv.get(1).is_some_and(|a| a == "nginx") => {
            (nginx(true, env), true)
        }
        "nginx" => (nginx(false, env), true),
        "perl" if perl_pi_digits(argv).is_some() => (perl_pi(perl_pi_digits(argv)), false),
        // proxyv2's entrypoint: `pilot-agent istio-iptables …` in istio-init; otherwise the
        // agent and its Envoy, serving until SIGTERM (a Go program: it handles the signal).
        "pilot-agent" if argv.get(1).is_some_and(|a| a == "istio-iptables") => {
            (istio_iptables(), false)
        }
        "pilot-agent" => (
            Plan {
                ops: Vec::new(),
                tail: Tail::Forever,
            },
            true,
        ),
        "stress" => (stress(argv), false),
        _ => {
            let words: Vec<Vec<Piece>> =
                argv.iter().map(|a| vec![Piece::Text(a.clone())]).collect();
            let plan = simple_command(&words, env, true);
            (plan, false)
        }
    }
}

/// `pilot-agent istio-iptables` of the `istio-init` container: it writes the pod's nat rules (outbound TCP
/// to Envoy's 15001, inbound to 15006), prints them as iptables-restore reads them, and exits.
fn istio_iptables() -> Plan {
    let rules = [
        "* nat",
        "-N ISTIO_INBOUND",
        "-N ISTIO_REDIRECT",
        "-N ISTIO_IN_REDIRECT",
        "-N ISTIO_OUTPUT",
        "-A ISTIO_INBOUND -p tcp --dport 15090 -j RETURN",
        "-A ISTIO_INBOUND -p tcp --dport 15021 -j RETURN",
        "-A ISTIO_INBOUND -p tcp --dport 15020 -j RETURN",
        "-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT",
        "-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006",
        "-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001",
        "-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN",
        "-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN",
        "-A ISTIO_OUTPUT -j ISTIO_REDIRECT",
        "-A PREROUTING -p tcp -j ISTIO_INBOUND",
        "-A OUTPUT -p tcp -j ISTIO_OUTPUT",
        "COMMIT",
    ];
    let mut ops = vec![Op::Wait(COMMAND_MS)];
    ops.extend(
        rules
            .iter()
            .map(|l| Op::Print(Stream::Stdout, vec![Piece::Text(l.to_string())])),
    );
    Plan {
        ops,
        tail: Tail::Next(0),
    }
}

/// The workers `stress` (the `polinux/stress` image of the "Assign Memory Resources" task)
/// starts, by kind: `--cpu`/`-c`, `--io`/`-i`, `--vm`/`-m`, `--hdd`/`-d`.
fn stress_workers(argv: &[String], long: &str, short: &str) -> u64 {
    argv.windows(2)
        .find(|w| w[0] == long || w[0] == short)
        .and_then(|w| w[1].parse().ok())
        .unwrap_or(0)
}

/// `stress --vm N --vm-bytes B`: what its vm workers allocate in all (B defaults to 256M; the
/// suffixes b, k, m, g are powers of 1024 as stress's atoll_b reads them).
fn stress_vm_bytes(argv: &[String]) -> Option<u64> {
    if argv.first().map(|p| base_name(p)) != Some("stress") {
        return None;
    }
    let workers = stress_workers(argv, "--vm", "-m");
    if workers == 0 {
        return None;
    }
    let bytes = argv
        .windows(2)
        .find(|w| w[0] == "--vm-bytes")
        .map_or(Some(256 << 20), |w| stress_size(&w[1]))?;
    Some(bytes.saturating_mul(workers))
}

fn stress_size(text: &str) -> Option<u64> {
    let (num, factor) = match text.char_indices().last() {
        Some((i, 'b' | 'B')) => (&text[..i], 1),
        Some((i, 'k' | 'K')) => (&text[..i], 1 << 10),
        Some((i, 'm' | 'M')) => (&text[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    num.parse::<u64>().ok().map(|n| n.saturating_mul(factor))
}

/// `stress`: it announces its workers (`stress: info: [1] dispatching hogs: …`) and keeps them
/// busy until stopped.
fn stress(argv: &[String]) -> Plan {
    let count = |long, short| stress_workers(argv, long, short);
    let line = format!(
        "stress: info: [1] dispatching hogs: {} cpu, {} io, {} vm, {} hdd",
        count("--cpu", "-c"),
        count("--io", "-i"),
        count("--vm", "-m"),
        count("--hdd", "-d")
    );
    Plan {
        ops: vec![
            Op::Wait(COMMAND_MS),
            Op::Print(Stream::Stdout, vec![Piece::Text(line)]),
        ],
        tail: Tail::Forever,
    }
}

/// The documentation's Job example, `perl -Mbignum=bpi -wle 'print bpi(2000)'`: the number of
/// digits asked of Math::BigFloat's bpi, when the command is that one-liner.
fn perl_pi_digits(argv: &[String]) -> Option<usize> {
    if !argv.iter().any(|a| a == "-Mbignum=bpi") {
        return None;
    }
    let script = argv.last()?.trim();
    let inner = script.strip_prefix("print bpi(")?.strip_suffix(')')?;
    inner
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=10_000).contains(n))
}

/// perl computing pi to `digits` significant digits (bpi rounds the last one), printed with the
/// newline `-l` adds, after the few seconds the computation takes.
fn perl_pi(digits: Option<usize>) -> Plan {
    let digits = digits.unwrap_or(1);
    Plan {
        ops: vec![
            Op::Wait(PERL_PI_MS),
            Op::Print(Stream::Stdout, vec![Piece::Text(pi_to(digits))]),
        ],
        tail: Tail::Exit(0),
    }
}

/// How long perl takes to compute 2000 digits of pi on a small node.
const PERL_PI_MS: Millis = 4_000;

/// Pi to `n` significant digits, rounded half up: `3.14` for 3.
fn pi_to(n: usize) -> String {
    let mut d = pi_digits(n + 5);
    let round_up = d.get(n).is_some_and(|&next| next >= 5);
    d.truncate(n);
    if round_up {
        for digit in d.iter_mut().rev() {
            if *digit == 9 {
                *digit = 0;
            } else {
                *digit += 1;
                break;
            }
        }
    }
    let text: String = d.iter().map(|x| char::from(b'0' + *x)).collect();
    match text.split_at_checked(1) {
        Some((int, frac)) if !frac.is_empty() => format!("{int}.{frac}"),
        _ => text,
    }
}

/// The first `n` decimal digits of pi (3, 1, 4, 1, 5, ...), by Rabinowitz and Wagon's spigot.
fn pi_digits(n: usize) -> Vec<u8> {
    let len = n * 10 / 3 + 2;
    let mut a = vec![2u64; len];
    let mut out: Vec<u8> = Vec::with_capacity(n + 1);
    let mut predigits: Vec<u8> = Vec::new();
    for _ in 0..=n {
        let mut carry = 0u64;
        for i in (0..len).rev() {
            let x = a[i] * 10 + carry * (i as u64 + 1);
            let denominator = 2 * i as u64 + 1;
            a[i] = x % denominator;
            carry = x / denominator;
        }
        a[0] = carry % 10;
        let q = (carry / 10) as u8;
        match q {
            9 => predigits.push(9),
            10 => {
                for p in predigits.iter_mut() {
                    *p = if *p == 9 { 0 } else { *p + 1 };
                }
                out.append(&mut predigits);
                predigits.push(0);
            }
            _ => {
                out.append(&mut predigits);
                predigits.push(q);
            }
        }
    }
    out.append(&mut predigits);
    out.truncate(n);
    out
}

fn print_err(text: &str, status: i32) -> Plan {
    Plan {
        ops: vec![Op::Print(
            Stream::Stderr,
            vec![Piece::Text(text.to_string())],
        )],
        tail: Tail::Exit(status),
    }
}

/// What nginx:1.27 prints as it starts (the image's entrypoint scripts, then the master's
/// notices), then it serves until it is stopped.
fn nginx(with_entrypoint: bool, env: &Env) -> Plan {
    let mut ops = Vec::new();
    let mut say = |stream: Stream, pieces: Vec<Piece>| ops.push(Op::Print(stream, pieces));
    if with_entrypoint {
        for line in [
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
            "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
            "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
        ] {
            say(Stream::Stdout, vec![Piece::Text(line.into())]);
        }
    }
    let mut notices: Vec<String> = [
        "using the \"epoll\" event method",
        "nginx/1.27.5",
        "built by gcc 12.2.0 (Debian 12.2.0-14)",
        "OS: Linux 6.1.0",
        "getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        "start worker processes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    notices.extend((0..env.cpus.clamp(1, 64)).map(|i| format!("start worker process {}", 29 + i)));
    for notice in notices {
        ops.push(Op::Print(
            Stream::Stderr,
            vec![
                Piece::NginxDate,
                Piece::Text(format!(" [notice] 1#1: {notice}")),
            ],
        ));
    }
    Plan {
        ops,
        tail: Tail::Forever,
    }
}

// ---- the shell -------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(Vec<Piece>),
    /// `;`, newline, `&&`, `||`, `|`, `&`.
    Op(&'static str),
}

/// Split a script into words and operators as sh does (quotes, backslashes, `$VAR`, `$(cmd)`).
fn tokenize(script: &str, env: &Env) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word: Vec<Piece> = Vec::new();
    let mut text = String::new();
    let mut in_word = false;
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    let flush =
        |word: &mut Vec<Piece>, text: &mut String, in_word: &mut bool, tokens: &mut Vec<Token>| {
            if !text.is_empty() {
                word.push(Piece::Text(std::mem::take(text)));
            }
            if *in_word {
                tokens.push(Token::Word(std::mem::take(word)));
            }
            *in_word = false;
        };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    text.push(chars[i]);
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`'))
                    {
                        i += 1;
                        text.push(chars[i]);
                    } else if chars[i] == '$' {
                        i = expand(&chars, i, env, &mut word, &mut text);
                        continue;
                    } else {
                        text.push(chars[i]);
                    }
                    i += 1;
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = next {
                    if n != '\n' {
                        text.push(n);
                    }
                    i += 1;
                }
            }
            '$' => {
                in_word = true;
                i = expand(&chars, i, env, &mut word, &mut text);
                continue;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ';' | '\n' => {
                flush(&mut word, &mut text, &mut in_word, &mut tokens);
                tokens.push(Token::Op(";"));
            }
            '&' | '|' => {
                flush(&mut word, &mut text, &mut in_word, &mut tokens);
                let op = match (c, next) {
                    ('&', Some('&')) => "&&",
                    ('|', Some('|')) => "||",
                    ('&', _) => "&",
                    _ => "|",
                };
                if op.len() == 2 {
                    i += 1;
                }
                tokens.push(Token::Op(op));
            }
            c if c.is_whitespace() => flush(&mut word, &mut text, &mut in_word, &mut tokens),
            c => {
                in_word = true;
                text.push(c);
            }
        }
        i += 1;
    }
    flush(&mut word, &mut text, &mut in_word, &mut tokens);
    tokens
}

/// Expand the `$…` at `chars[i]`; return the index after it.
fn expand(chars: &[char], i: usize, env: &Env, word: &mut Vec<Piece>, text: &mut String) -> usize {
    let rest: String = chars[i..].iter().collect();
    let mut push_piece = |piece: Piece, text: &mut String| {
        if !text.is_empty() {
            word.push(Piece::Text(std::mem::take(text)));
        }
        word.push(piece);
    };
    if let Some(inner) = rest.strip_prefix("$(") {
        let Some(end) = inner.find(')') else {
            text.push('$');
            return i + 1;
        };
        match inner[..end].trim() {
            "date" => push_piece(Piece::Date, text),
            "hostname" => text.push_str(&env.hostname),
            // `$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)`: the file's
            // content without its trailing newlines, as command substitution strips them.
            other => {
                if let Some(path) = other.strip_prefix("cat ") {
                    if let Some(content) = env.scratch.borrow().get(path.trim()) {
                        text.push_str(content.trim_end_matches('\n'));
                    }
                }
            }
        }
        return i + 2 + inner[..end].chars().count() + 1;
    }
    let braced = rest.starts_with("${");
    let name_start = if braced { 2 } else { 1 };
    let name: String = rest
        .chars()
        .skip(name_start)
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || (*c == '?' && !braced))
        .collect();
    if name.is_empty() {
        text.push('$');
        return i + 1;
    }
    let consumed = name_start
        + name.chars().count()
        + usize::from(braced && rest.chars().nth(name_start + name.chars().count()) == Some('}'));
    match (
        name.as_str(),
        env.vars.iter().rev().find(|(k, _)| *k == name),
    ) {
        (_, Some((_, v))) => text.push_str(v),
        ("HOSTNAME", None) => text.push_str(&env.hostname),
        ("HOME", None) => text.push('/'),
        ("?", None) => text.push('0'),
        _ => {}
    }
    i + consumed
}

/// A parsed command list: and-or lists separated by `;` or `&`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Simple(Vec<Vec<Piece>>),
    Loop {
        until: bool,
        cond: Vec<AndOr>,
        body: Vec<AndOr>,
    },
    Pipe(Vec<Node>),
    Background(Box<Node>),
    /// `if COND; then A; [elif …] else B; fi` (an `elif` is an `if` in the else branch).
    If {
        cond: Vec<AndOr>,
        then: Vec<AndOr>,
        otherwise: Vec<AndOr>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AndOr {
    first: Node,
    rest: Vec<(&'static str, Node)>,
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// How many loops enclose the current position (bounded, so no script can exhaust the
    /// stack).
    depth: usize,
}

/// The deepest loop nesting podlab follows; deeper `while`s are read as plain words.
const MAX_NESTING: usize = 16;

fn word_text(word: &[Piece]) -> Option<String> {
    match word {
        [Piece::Text(t)] => Some(t.clone()),
        _ => None,
    }
}

impl Parser {
    fn peek_keyword(&self) -> Option<String> {
        match self.tokens.get(self.pos) {
            Some(Token::Word(w)) => word_text(w),
            _ => None,
        }
    }

    fn skip_separators(&mut self) {
        while matches!(self.tokens.get(self.pos), Some(Token::Op(";"))) {
            self.pos += 1;
        }
    }

    /// A list up to one of `stop` keywords (or the end).
    fn list(&mut self, stop: &[&str]) -> Vec<AndOr> {
        let mut out = Vec::new();
        loop {
            self.skip_separators();
            if self.pos >= self.tokens.len()
                || self
                    .peek_keyword()
                    .is_some_and(|k| stop.contains(&k.as_str()))
            {
                return out;
            }
            let Some(mut item) = self.and_or(stop) else {
                return out;
            };
            if matches!(self.tokens.get(self.pos), Some(Token::Op("&"))) {
                self.pos += 1;
                item = AndOr {
                    first: Node::Background(Box::new(Node::Pipe(vec![item.first]))),
                    rest: item.rest,
                };
            }
            out.push(item);
        }
    }

    fn and_or(&mut self, stop: &[&str]) -> Option<AndOr> {
        let first = self.pipeline(stop)?;
        let mut rest = Vec::new();
        while let Some(Token::Op(op @ ("&&" | "||"))) = self.tokens.get(self.pos) {
            let op = *op;
            self.pos += 1;
            self.skip_separators();
            match self.pipeline(stop) {
                Some(node) => rest.push((op, node)),
                None => break,
            }
        }
        Some(AndOr { first, rest })
    }

    fn pipeline(&mut self, stop: &[&str]) -> Option<Node> {
        let mut parts = vec![self.command(stop)?];
        while matches!(self.tokens.get(self.pos), Some(Token::Op("|"))) {
            self.pos += 1;
            match self.command(stop) {
                Some(node) => parts.push(node),
                None => break,
            }
        }
        Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::Pipe(parts)
        })
    }

    fn command(&mut self, stop: &[&str]) -> Option<Node> {
        let keyword = self.peek_keyword();
        if let Some(k @ ("while" | "until")) =
            keyword.as_deref().filter(|_| self.depth < MAX_NESTING)
        {
            let until = k == "until";
            self.pos += 1;
            self.depth += 1;
            let cond = self.list(&["do"]);
            self.expect("do");
            let body = self.list(&["done"]);
            self.expect("done");
            self.depth -= 1;
            return Some(Node::Loop { until, cond, body });
        }
        if keyword.as_deref() == Some("if") && self.depth < MAX_NESTING {
            self.pos += 1;
            self.depth += 1;
            let node = self.if_rest();
            self.depth -= 1;
            return Some(node);
        }
        let mut words = Vec::new();
        while let Some(Token::Word(w)) = self.tokens.get(self.pos) {
            if words.is_empty() && word_text(w).is_some_and(|t| stop.contains(&t.as_str())) {
                break;
            }
            words.push(w.clone());
            self.pos += 1;
        }
        (!words.is_empty()).then_some(Node::Simple(words))
    }

    /// After `if` (or `elif`): the condition, the `then` branch, and what follows.
    fn if_rest(&mut self) -> Node {
        let cond = self.list(&["then"]);
        self.expect("then");
        let then = self.list(&["elif", "else", "fi"]);
        let otherwise = match self.peek_keyword().as_deref() {
            Some("elif") => {
                self.pos += 1;
                let nested = self.if_rest();
                return Node::If {
                    cond,
                    then,
                    otherwise: vec![AndOr {
                        first: nested,
                        rest: Vec::new(),
                    }],
                };
            }
            Some("else") => {
                self.pos += 1;
                let list = self.list(&["fi"]);
                self.expect("fi");
                list
            }
            _ => {
                self.expect("fi");
                Vec::new()
            }
        };
        Node::If {
            cond,
            then,
            otherwise,
        }
    }

    fn expect(&mut self, keyword: &str) {
        if self.peek_keyword().as_deref() == Some(keyword) {
            self.pos += 1;
        }
    }
}

fn plan_script(script: &str, env: &Env) -> Plan {
    let mut parser = Parser {
        tokens: tokenize(script, env),
        pos: 0,
        depth: 0,
    };
    let mut plan = run_list(&parser.list(&[]), env);
    if let Tail::Break(status) = plan.tail {
        plan.tail = Tail::Next(status);
    }
    plan
}

fn run_list(list: &[AndOr], env: &Env) -> Plan {
    let mut plan = Plan::status(0);
    for item in list {
        if plan.finished() {
            break;
        }
        plan = plan.then(run_and_or(item, env));
    }
    plan
}

fn run_and_or(item: &AndOr, env: &Env) -> Plan {
    let mut plan = run_node(&item.first, env);
    for (op, node) in &item.rest {
        let Tail::Next(status) = plan.tail else { break };
        let runs = if *op == "&&" {
            status == 0
        } else {
            status != 0
        };
        if runs {
            plan = plan.then(run_node(node, env));
        }
    }
    plan
}

fn run_node(node: &Node, env: &Env) -> Plan {
    match node {
        Node::Simple(words) => simple_command(words, env, false),
        Node::Background(inner) => {
            // The shell does not wait for it; what it prints is not modelled.
            let _ = inner;
            Plan::status(0)
        }
        Node::Pipe(parts) => {
            // Only the last command's output reaches the log; each runs in its own process.
            let mut plan = Plan::status(0);
            for (i, part) in parts.iter().enumerate() {
                let mut p = run_node(part, env);
                if i + 1 < parts.len() {
                    p.ops
                        .retain(|op| !matches!(op, Op::Print(Stream::Stdout, _)));
                    if matches!(p.tail, Tail::Exit(_)) {
                        p.tail = Tail::Next(0);
                    }
                }
                plan = plan.then(p);
            }
            plan
        }
        Node::Loop { until, cond, body } => run_loop(*until, cond, body, env),
        Node::If {
            cond,
            then,
            otherwise,
        } => {
            let test = run_list(cond, env);
            let Tail::Next(status) = test.tail else {
                return test;
            };
            let branch = if status == 0 { then } else { otherwise };
            Plan {
                ops: test.ops,
                tail: Tail::Next(0),
            }
            .then(run_list(branch, env))
        }
    }
}

/// `while COND; do BODY; done`: the condition's status is known in advance, so the loop either
/// never runs its body, stops at an `exit` or `break`, or repeats for ever.
fn run_loop(until: bool, cond: &[AndOr], body: &[AndOr], env: &Env) -> Plan {
    let test = run_list(cond, env);
    let Tail::Next(status) = test.tail else {
        return test;
    };
    let enters = (status == 0) != until;
    if !enters {
        return Plan {
            ops: test.ops,
            tail: Tail::Next(0),
        };
    }
    let round = Plan {
        ops: test.ops.clone(),
        tail: Tail::Next(0),
    }
    .then(run_list(body, env));
    match round.tail {
        Tail::Next(_) => {
            let mut ops = round.ops;
            if duration(&ops) == 0 {
                ops.push(Op::Wait(COMMAND_MS));
            }
            Plan {
                ops: Vec::new(),
                tail: Tail::Repeat(ops),
            }
        }
        Tail::Break(status) => Plan {
            ops: round.ops,
            tail: Tail::Next(status),
        },
        _ => round,
    }
}

fn words_text(words: &[Vec<Piece>]) -> Vec<String> {
    words.iter().map(|w| render_static(w)).collect()
}

fn render_static(word: &[Piece]) -> String {
    word.iter()
        .map(|p| {
            if let Piece::Text(t) = p {
                t.clone()
            } else {
                String::new()
            }
        })
        .collect()
}

/// Join words with spaces, keeping `$(date)` pieces.
fn joined(words: &[Vec<Piece>]) -> Vec<Piece> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(Piece::Text(" ".into()));
        }
        out.extend(w.iter().cloned());
    }
    out
}

/// `sleep` durations: seconds, with an optional s/m/h/d suffix; `infinity`.
fn sleep_ms(arg: &str) -> Option<Option<Millis>> {
    if arg == "infinity" || arg == "inf" {
        return Some(None);
    }
    let (num, unit) = match arg.char_indices().last() {
        Some((i, 's')) => (&arg[..i], 1_000.0),
        Some((i, 'm')) => (&arg[..i], 60_000.0),
        Some((i, 'h')) => (&arg[..i], 3_600_000.0),
        Some((i, 'd')) => (&arg[..i], 86_400_000.0),
        _ => (arg, 1_000.0),
    };
    let secs: f64 = num
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s >= 0.0)?;
    Some(Some((secs * unit).round().min(1e15) as Millis))
}

/// Lines of `printf FORMAT ARGS…`: `\n` and `%s`/`%d` (arguments consumed in order).
fn printf_lines(args: &[String]) -> Vec<String> {
    let Some(format) = args.first() else {
        return Vec::new();
    };
    let mut rest = args[1..].iter();
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('\\', Some('n')) => {
                chars.next();
                out.push('\n');
            }
            ('\\', Some('t')) => {
                chars.next();
                out.push('\t');
            }
            ('%', Some('s' | 'd' | 'i')) => {
                chars.next();
                out.push_str(rest.next().map(String::as_str).unwrap_or_default());
            }
            ('%', Some('%')) => {
                chars.next();
                out.push('%');
            }
            (c, _) => out.push(c),
        }
    }
    let mut lines: Vec<String> = out.split('\n').map(str::to_string).collect();
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

fn simple_command(words: &[Vec<Piece>], env: &Env, exec_form: bool) -> Plan {
    let texts = words_text(words);
    let Some(name) = texts.first().map(|n| base_name(n).to_string()) else {
        return Plan::status(0);
    };
    let args = &texts[1..];
    if reads_or_changes_files(&name, &texts) {
        return run_on_scratch(&texts, env);
    }
    let print = |pieces: Vec<Piece>| Op::Print(Stream::Stdout, pieces);
    let mut ops = vec![Op::Wait(COMMAND_MS)];
    let tail = match name.as_str() {
        "echo" if words.iter().flatten().all(|p| matches!(p, Piece::Text(_))) => {
            ops.extend(
                lines_of(&echo_output(args))
                    .into_iter()
                    .map(|l| print(vec![Piece::Text(l)])),
            );
            Tail::Next(0)
        }
        "echo" => {
            let skip = args
                .iter()
                .take_while(|a| matches!(a.as_str(), "-n" | "-e" | "-E" | "-ne" | "-en"))
                .count();
            ops.push(print(joined(&words[1 + skip..])));
            Tail::Next(0)
        }
        "printf" => {
            ops.extend(
                printf_lines(args)
                    .into_iter()
                    .map(|l| print(vec![Piece::Text(l)])),
            );
            Tail::Next(0)
        }
        "date" => {
            ops.push(print(vec![Piece::Date]));
            Tail::Next(0)
        }
        "hostname" => {
            ops.push(print(vec![Piece::Text(env.hostname.clone())]));
            Tail::Next(0)
        }
        "sleep" => match args.first().map(|a| sleep_ms(a)) {
            Some(Some(Some(ms))) => {
                ops.push(Op::Wait(ms));
                Tail::Next(0)
            }
            Some(Some(None)) => Tail::Forever,
            Some(None) => {
                let arg = args.first().cloned().unwrap_or_default();
                ops.push(Op::Print(
                    Stream::Stderr,
                    vec![Piece::Text(format!("sleep: invalid number '{arg}'"))],
                ));
                Tail::Next(1)
            }
            None => {
                ops.push(Op::Print(
                    Stream::Stderr,
                    vec![Piece::Text(
                        "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.".into(),
                    )],
                ));
                Tail::Next(1)
            }
        },
        "exit" => Tail::Exit(
            args.first()
                .and_then(|a| a.parse::<i64>().ok())
                .map_or(0, |c| (c & 0xff) as i32),
        ),
        "break" => Tail::Break(0),
        "true" | ":" | "wait" | "cd" | "export" | "set" | "trap" | "cat" => Tail::Next(0),
        "false" => Tail::Next(1),
        "tail" if args.iter().any(|a| a == "-f" || a == "-F") => Tail::Forever,
        "nginx" => return nginx(false, env),
        // A lookup or request through the cluster network: planned as failing; a loop waiting on
        // it is polled while the container runs (see [`Poll`]).
        "nslookup" | "wget" | "curl" if crate::network::image_has_client(&env.image, &name) => {
            Tail::Next(1)
        }
        _ if exec_form || !env.small_userland => Tail::Forever,
        other => {
            ops.push(Op::Print(
                Stream::Stderr,
                vec![Piece::Text(format!("sh: {other}: not found"))],
            ));
            Tail::Next(127)
        }
    };
    Plan { ops, tail }
}

/// Whether a command of the main process reads or changes the container's files or
/// environment, so that it runs through the same interpreter as `kubectl exec` does.
fn reads_or_changes_files(name: &str, argv: &[String]) -> bool {
    let redirected = argv.iter().skip(1).any(|a| a.starts_with('>'));
    let with_operands = argv.len() > 1;
    redirected
        || matches!(
            name,
            "ls" | "env" | "printenv" | "touch" | "rm" | "mkdir" | "test" | "[" | "pwd"
        )
        || (name == "cat" && with_operands)
}

/// Commands whose effect on the file system is replayed on the container's files.
fn changes_files(name: &str, argv: &[String]) -> bool {
    matches!(name, "touch" | "rm" | "mkdir") || argv.iter().skip(1).any(|a| a.starts_with('>'))
}

/// Run one command of the main process on the planner's copy of the files: what it prints
/// becomes log lines, and a change to the files is kept to be replayed on the container's.
fn run_on_scratch(argv: &[String], env: &Env) -> Plan {
    let mut files = env.scratch.borrow_mut();
    let mut ctx = ExecContext {
        hostname: &env.hostname,
        image: &env.image,
        vars: env.vars.clone(),
        files: &mut files,
        now: 0,
        network: None,
    };
    let mut out = ExecOutput::default();
    let code = run_builtin(argv, &mut ctx, &mut out);
    let mut ops = vec![Op::Wait(COMMAND_MS)];
    let name = argv.first().map(|n| base_name(n)).unwrap_or_default();
    if changes_files(name, argv) {
        ops.push(Op::Change(argv.to_vec()));
    }
    for (stream, text) in [(Stream::Stdout, &out.stdout), (Stream::Stderr, &out.stderr)] {
        ops.extend(
            lines_of(text)
                .into_iter()
                .map(|l| Op::Print(stream, vec![Piece::Text(l)])),
        );
    }
    Plan {
        ops,
        tail: Tail::Next(code),
    }
}

/// The lines of printed text (a last line without its newline counts as a line).
fn lines_of(text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n').map(str::to_string).collect()
}

/// What busybox `echo [-neE] ARGS…` writes: the arguments joined by spaces, with `-e` the
/// backslash escapes interpreted (`\c` stops the output), a newline unless `-n`.
fn echo_output(args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = false;
    let mut skip = 0;
    for a in args {
        let flags = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')));
        let Some(flags) = flags else { break };
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        skip += 1;
    }
    let text = args.get(skip..).unwrap_or_default().join(" ");
    let mut out = String::new();
    if escapes {
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some('c') => return out,
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        }
    } else {
        out = text;
    }
    if newline {
        out.push('\n');
    }
    out
}

// ---- commands run with `kubectl exec` ------------------------------------------------------

/// What an exec'd command sees: the container's hostname, environment and file system, and the
/// wall clock (for `date`).
pub struct ExecContext<'a> {
    pub hostname: &'a str,
    pub image: &'a str,
    /// The process environment, in the order the runtime sets it (`env` prints it so).
    pub vars: Vec<(String, String)>,
    /// The container's writable layer: path → content.
    pub files: &'a mut std::collections::BTreeMap<String, String>,
    /// Virtual time, for `date`.
    pub now: Millis,
    /// The cluster network, for `wget`, `curl` and `nslookup` (see [`crate::network`]).
    pub network: Option<&'a std::cell::RefCell<crate::network::Network>>,
}

/// What an exec'd command did (CRI ExecSync's answer): its output streams and exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// Why the runtime could not start the command (runc's `exec failed`): the program is not in
/// the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecStartError {
    pub program: String,
}

/// The directories every image podlab knows has at its root (`ls /`).
const ROOT_DIRS: &[&str] = &[
    "bin", "dev", "etc", "home", "lib", "proc", "root", "sys", "tmp", "usr", "var",
];

/// The files a container starts with: what the kubelet and the runtime mount into it.
pub fn initial_files(hostname: &str) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    files.insert("/etc/hostname".into(), format!("{hostname}\n"));
    files.insert("/dev/termination-log".into(), String::new());
    for d in ROOT_DIRS {
        files.insert(format!("/{d}/"), String::new());
    }
    files
}

/// Run `argv` in a running container as the runtime's exec does (runc starts the program with
/// the container's environment and file system). A program the image lacks is a start error;
/// the rest is the program's own output and exit code.
pub fn exec_in_container(
    argv: &[String],
    ctx: &mut ExecContext,
) -> Result<ExecOutput, ExecStartError> {
    let Some(program) = argv.first() else {
        return Err(ExecStartError {
            program: String::new(),
        });
    };
    let mut out = ExecOutput::default();
    let name = base_name(program);
    if !is_known_program(name) && !crate::network::image_has_client(ctx.image, name) {
        return Err(ExecStartError {
            program: program.clone(),
        });
    }
    out.exit_code = run_builtin(argv, ctx, &mut out);
    Ok(out)
}

/// The programs podlab's images have (busybox applets; nginx's Debian has the same names).
fn is_known_program(name: &str) -> bool {
    matches!(
        name,
        "sh" | "ash"
            | "bash"
            | "echo"
            | "printf"
            | "cat"
            | "ls"
            | "touch"
            | "rm"
            | "mkdir"
            | "env"
            | "printenv"
            | "hostname"
            | "date"
            | "sleep"
            | "true"
            | "false"
            | "pwd"
            | "test"
            | "["
    )
}

/// Where a command's standard output goes: the stream, or a file (`> f`, `>> f`).
fn split_redirect(argv: &[String]) -> (Vec<String>, Option<(String, bool)>) {
    let mut words = Vec::new();
    let mut target = None;
    let mut i = 0;
    while i < argv.len() {
        let w = &argv[i];
        i += 1;
        let (append, rest) = if let Some(r) = w.strip_prefix(">>") {
            (true, r)
        } else if let Some(r) = w.strip_prefix('>') {
            (false, r)
        } else {
            words.push(w.clone());
            continue;
        };
        let file = if rest.is_empty() {
            let next = argv.get(i).cloned().unwrap_or_default();
            i += 1;
            next
        } else {
            rest.to_string()
        };
        target = Some((file, append));
    }
    (words, target)
}

/// An absolute path (relative ones are from `/`, the working directory).
fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

fn is_dir(files: &std::collections::BTreeMap<String, String>, path: &str) -> bool {
    let dir = format!("{}/", path.trim_end_matches('/'));
    dir == "/" || files.keys().any(|k| k.starts_with(&dir))
}

/// One command (a builtin of the shell or a program); returns its exit code.
fn run_builtin(argv: &[String], ctx: &mut ExecContext, out: &mut ExecOutput) -> i32 {
    let (argv, redirect) = split_redirect(argv);
    let mut stdout = String::new();
    let code = run_program(&argv, ctx, &mut stdout, &mut out.stderr);
    match redirect {
        Some((file, append)) => {
            let path = absolute(&file);
            let entry = ctx.files.entry(path).or_default();
            if !append {
                entry.clear();
            }
            entry.push_str(&stdout);
        }
        None => out.stdout.push_str(&stdout),
    }
    code
}

fn run_program(argv: &[String], ctx: &mut ExecContext, out: &mut String, err: &mut String) -> i32 {
    let Some(name) = argv.first().map(|p| base_name(p).to_string()) else {
        return 0;
    };
    let args = argv.get(1..).unwrap_or_default();
    let small = has_small_userland(ctx.image);
    match name.as_str() {
        "sh" | "ash" | "bash" => match args {
            [flag, script, ..] if flag == "-c" => run_script(script, ctx, out, err),
            [flag] if flag == "-c" => {
                err.push_str(&format!("{name}: -c requires an argument\n"));
                2
            }
            // No terminal and an empty stdin: the shell reads nothing and exits.
            _ => 0,
        },
        "echo" => {
            out.push_str(&echo_output(args));
            0
        }
        "printf" => {
            for line in printf_lines(args) {
                out.push_str(&line);
                out.push('\n');
            }
            0
        }
        "hostname" => {
            out.push_str(ctx.hostname);
            out.push('\n');
            0
        }
        "date" => {
            out.push_str(&busybox_date(ctx.now));
            out.push('\n');
            0
        }
        "pwd" => {
            out.push_str("/\n");
            0
        }
        "env" | "printenv" => print_env(args, ctx, out),
        "cat" => cat(args, ctx, out, err, small),
        "ls" => ls(args, ctx, out, err, small),
        "touch" => {
            for file in args.iter().filter(|a| !a.starts_with('-')) {
                ctx.files.entry(absolute(file)).or_default();
            }
            0
        }
        "mkdir" => {
            for dir in args.iter().filter(|a| !a.starts_with('-')) {
                ctx.files.insert(
                    format!("{}/", absolute(dir).trim_end_matches('/')),
                    String::new(),
                );
            }
            0
        }
        "rm" => rm(args, ctx, err, small),
        "test" | "[" => {
            let args: Vec<&str> = args
                .iter()
                .map(String::as_str)
                .filter(|a| *a != "]")
                .collect();
            match args.as_slice() {
                ["-f" | "-e", path] => i32::from(!ctx.files.contains_key(&absolute(path))),
                ["-d", path] => i32::from(!is_dir(ctx.files, &absolute(path))),
                ["-z", s] => i32::from(!s.is_empty()),
                ["-n", s] => i32::from(s.is_empty()),
                [a, "=" | "==", b] => i32::from(a != b),
                [a, "!=", b] => i32::from(a == b),
                [s] => i32::from(s.is_empty()),
                [] => 1,
                _ => 2,
            }
        }
        "sleep" | "true" | ":" => 0,
        "false" => 1,
        // `pilot-agent request POST drain` (the injected sidecar's preStop): the agent starts
        // draining Envoy's listeners and answers at once.
        "pilot-agent" if repository(ctx.image) == "proxyv2" => 0,
        "wget" | "curl" | "nslookup" if crate::network::image_has_client(ctx.image, &name) => {
            network_client(&name, args, ctx, out, err)
        }
        other => {
            err.push_str(&format!("sh: {other}: not found\n"));
            127
        }
    }
}

/// `wget`, `curl`, `nslookup`: a request through the cluster network (see
/// [`crate::network`]); a file the client saves lands in the container's files. A request to
/// `localhost` is answered inside the pod ([`serve_on_loopback`]); busybox before 1.29 has the
/// nslookup that asks the libc resolver ([`nslookup_uses_resolver`]).
fn network_client(
    name: &str,
    args: &[String],
    ctx: &mut ExecContext,
    out: &mut String,
    err: &mut String,
) -> i32 {
    use crate::network::client;
    let ran = if matches!(name, "wget" | "curl") && client::targets_loopback(name, args) {
        client::on_loopback(name, args, |url| serve_on_loopback(url, ctx))
    } else if name == "nslookup" && nslookup_uses_resolver(ctx.image) {
        let (hostname, now) = (ctx.hostname, ctx.now);
        ctx.network
            .and_then(|network| {
                crate::network::with(network, |net| {
                    let from = client::client_in(net, hostname);
                    client::nslookup_with_resolver(args, net, &from, now)
                })
            })
            .unwrap_or_default()
    } else {
        crate::network::run_client_program(ctx.network, name, args, ctx.hostname, ctx.now)
    };
    out.push_str(&ran.stdout);
    err.push_str(&ran.stderr);
    if let Some((file, content)) = ran.wrote {
        ctx.files.insert(absolute(&file), content);
    }
    ran.exit_code
}

/// Whether an image's `nslookup` is busybox's before 1.29 (busybox:1.28, the tag the docs pin
/// for DNS checks), which resolves through libc and so honours resolv.conf's search path and
/// `ndots`; 1.29 brought busybox's own DNS client (the one [`crate::network::client::nslookup`]
/// models).
fn nslookup_uses_resolver(image: &str) -> bool {
    if repository(image) != "busybox" {
        return false;
    }
    let last = image.split('@').next().unwrap_or_default();
    let tag = last.rsplit('/').next().and_then(|n| n.split_once(':'));
    let Some((_, tag)) = tag else {
        return false;
    };
    let number = |s: &str| -> Option<u32> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    let mut parts = tag.split('.');
    match (parts.next().and_then(number), parts.next().and_then(number)) {
        (Some(major), Some(minor)) => (major, minor) < (1, 29),
        _ => false,
    }
}

/// The image whose server a container of `image` runs: registry.k8s.io/nginx-slim (the
/// StatefulSet tutorial's image) is a build of nginx and serves as nginx does.
fn server_image(image: &str) -> &str {
    if repository(image) == "nginx-slim" {
        "nginx"
    } else {
        image
    }
}

/// The document root of an image's HTTP server (nginx's default.conf, httpd's DocumentRoot).
fn document_root(image: &str) -> Option<&'static str> {
    match repository(server_image(image)).as_str() {
        "nginx" => Some("/usr/share/nginx/html"),
        "httpd" => Some("/usr/local/apache2/htdocs"),
        _ => None,
    }
}

/// A request to the pod's own loopback: the exec'd container answers if its server listens on
/// the port (from its files under the document root, as the tutorial's `index.html` written
/// into the container; else the image's own page); another container of the pod answers with
/// its image's page; nothing listening is a refused connection.
fn serve_on_loopback(
    url: &crate::network::http::Url,
    ctx: &ExecContext,
) -> Result<crate::network::http::Response, crate::network::traffic::Failure> {
    use crate::kubelet::cri::{listener, Listener};
    use crate::network::http;
    if listener(server_image(ctx.image), url.port) == Some(Listener::Http) {
        let path = url.path.split('?').next().unwrap_or("/");
        let file = match document_root(ctx.image) {
            Some(root) if path.ends_with('/') => Some(format!("{root}{path}index.html")),
            Some(root) => Some(format!("{root}{path}")),
            None => None,
        };
        if let Some(body) = file.and_then(|f| ctx.files.get(&f)) {
            return Ok(http::Response {
                status: 200,
                body: body.clone(),
            });
        }
        return Ok(http::serve(server_image(ctx.image), path));
    }
    let other = ctx.network.and_then(|network| {
        crate::network::with(network, |net| {
            net.pods
                .values()
                .find(|p| p.name == ctx.hostname)
                .and_then(|p| p.listening.get(&url.port).cloned())
        })
        .flatten()
    });
    match other {
        Some(image) => Ok(http::serve(&image, &url.path)),
        None => Err(crate::network::traffic::Failure::Refused),
    }
}

/// `env` / `printenv [NAME]`.
fn print_env(args: &[String], ctx: &ExecContext, out: &mut String) -> i32 {
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    match names.is_empty() {
        false => {
            let mut code = 0;
            for name in names {
                match ctx.vars.iter().rev().find(|(k, _)| k == name) {
                    Some((_, v)) => {
                        out.push_str(v);
                        out.push('\n');
                    }
                    None => code = 1,
                }
            }
            code
        }
        true => {
            for (k, v) in &ctx.vars {
                out.push_str(&format!("{k}={v}\n"));
            }
            0
        }
    }
}

/// busybox and coreutils word a missing file differently.
fn cat(args: &[String], ctx: &ExecContext, out: &mut String, err: &mut String, small: bool) -> i32 {
    let mut code = 0;
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        let path = absolute(file);
        match ctx.files.get(&path) {
            Some(content) => out.push_str(content),
            None if is_dir(ctx.files, &path) => {
                err.push_str("cat: read error: Is a directory\n");
                code = 1;
            }
            None if small => {
                err.push_str(&format!(
                    "cat: can't open '{file}': No such file or directory\n"
                ));
                code = 1;
            }
            None => {
                err.push_str(&format!("cat: {file}: No such file or directory\n"));
                code = 1;
            }
        }
    }
    code
}

/// `ls [DIR|FILE]…`: one name a line (stdout is no terminal), sorted.
fn ls(args: &[String], ctx: &ExecContext, out: &mut String, err: &mut String, small: bool) -> i32 {
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let targets: Vec<String> = if paths.is_empty() {
        vec!["/".into()]
    } else {
        paths.iter().map(|p| p.to_string()).collect()
    };
    let mut code = 0;
    for target in targets {
        let path = absolute(&target);
        if ctx.files.contains_key(&path) {
            out.push_str(&format!("{target}\n"));
            continue;
        }
        if !is_dir(ctx.files, &path) {
            if small {
                err.push_str(&format!("ls: {target}: No such file or directory\n"));
                code = 1;
            } else {
                err.push_str(&format!(
                    "ls: cannot access '{target}': No such file or directory\n"
                ));
                code = 2;
            }
            continue;
        }
        let dir = format!("{}/", path.trim_end_matches('/'));
        let mut names: Vec<&str> = ctx
            .files
            .keys()
            .filter_map(|k| k.strip_prefix(&dir))
            .filter_map(|rest| rest.split('/').next())
            .filter(|n| !n.is_empty())
            .collect();
        names.dedup();
        for n in names {
            out.push_str(n);
            out.push('\n');
        }
    }
    code
}

fn rm(args: &[String], ctx: &mut ExecContext, err: &mut String, small: bool) -> i32 {
    let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
    let mut code = 0;
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        if ctx.files.remove(&absolute(file)).is_none() && !force {
            let text = if small {
                format!("rm: can't remove '{file}': No such file or directory\n")
            } else {
                format!("rm: cannot remove '{file}': No such file or directory\n")
            };
            err.push_str(&text);
            code = 1;
        }
    }
    code
}

/// `sh -c SCRIPT`: the script parsed as the main process's is, run command by command with
/// `;`, `&&`, `||` and pipes (only the last command of a pipe writes to stdout). Loops and
/// background jobs are not run.
fn run_script(script: &str, ctx: &mut ExecContext, out: &mut String, err: &mut String) -> i32 {
    let env = Env {
        hostname: ctx.hostname.to_string(),
        small_userland: has_small_userland(ctx.image),
        cpus: 1,
        vars: ctx.vars.clone(),
        image: ctx.image.to_string(),
        scratch: std::cell::RefCell::new(ctx.files.clone()),
    };
    let mut parser = Parser {
        tokens: tokenize(script, &env),
        pos: 0,
        depth: 0,
    };
    let list = parser.list(&[]);
    match run_script_list(&list, ctx, out, err) {
        Flow::Exit(code) | Flow::Status(code) => code,
    }
}

/// Run a command list in an exec'd shell: and-or lists, one after another.
fn run_script_list(
    list: &[AndOr],
    ctx: &mut ExecContext,
    out: &mut String,
    err: &mut String,
) -> Flow {
    let mut status = 0;
    for item in list {
        match run_script_node(&item.first, ctx, out, err) {
            Flow::Exit(code) => return Flow::Exit(code),
            Flow::Status(s) => status = s,
        }
        for (op, node) in &item.rest {
            let runs = if *op == "&&" {
                status == 0
            } else {
                status != 0
            };
            if runs {
                match run_script_node(node, ctx, out, err) {
                    Flow::Exit(code) => return Flow::Exit(code),
                    Flow::Status(s) => status = s,
                }
            }
        }
    }
    Flow::Status(status)
}

enum Flow {
    Status(i32),
    Exit(i32),
}

fn run_script_node(node: &Node, ctx: &mut ExecContext, out: &mut String, err: &mut String) -> Flow {
    match node {
        Node::Simple(words) => {
            let argv: Vec<String> = words.iter().map(|w| render(w, ctx.now)).collect();
            if argv.first().is_some_and(|w| w == "exit") {
                let code = argv
                    .get(1)
                    .and_then(|a| a.parse::<i64>().ok())
                    .map_or(0, |c| (c & 0xff) as i32);
                return Flow::Exit(code);
            }
            let mut result = ExecOutput::default();
            let code = run_builtin(&argv, ctx, &mut result);
            out.push_str(&result.stdout);
            err.push_str(&result.stderr);
            Flow::Status(code)
        }
        Node::Pipe(parts) => {
            let mut status = 0;
            for (i, part) in parts.iter().enumerate() {
                let mut piped = String::new();
                let target = if i + 1 == parts.len() {
                    &mut *out
                } else {
                    &mut piped
                };
                let (Flow::Status(s) | Flow::Exit(s)) = run_script_node(part, ctx, target, err);
                status = s;
            }
            Flow::Status(status)
        }
        Node::If {
            cond,
            then,
            otherwise,
        } => {
            let status = match run_script_list(cond, ctx, out, err) {
                Flow::Exit(code) => return Flow::Exit(code),
                Flow::Status(s) => s,
            };
            let branch = if status == 0 { then } else { otherwise };
            run_script_list(branch, ctx, out, err)
        }
        Node::Loop { .. } | Node::Background(_) => Flow::Status(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Program {
        let argv = ["sh".to_string(), "-c".to_string(), script.to_string()];
        Program::for_container(&argv, &[], "busybox:1.36", "pod", 2)
    }

    fn texts(p: &Program, elapsed: Millis) -> Vec<String> {
        p.output(elapsed, 0, 1000)
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn case_k01_echo_then_sleep() {
        let p = sh("echo hello; sleep 3600");
        assert_eq!(
            texts(&p, 10),
            Vec::<String>::new(),
            "the process is not running yet"
        );
        assert_eq!(texts(&p, 100), ["hello"]);
        assert_eq!(p.exit(), Some((3_600_022, 0)));
        assert!(!p.stops_on_sigterm, "sh as PID 1 ignores SIGTERM");
    }

    #[test]
    fn case_k02_echo_then_exit_1() {
        let p = sh("echo starting; exit 1");
        assert_eq!(texts(&p, 100), ["starting"]);
        assert_eq!(p.exit(), Some((22, 1)));
    }

    #[test]
    fn and_or_lists_follow_exit_statuses() {
        assert_eq!(texts(&sh("false && echo no || echo yes"), 100), ["yes"]);
        assert_eq!(sh("true && exit 3; echo never").exit(), Some((22, 3)));
        assert_eq!(sh("nosuch").exit(), Some((21, 127)));
        assert_eq!(texts(&sh("nosuch"), 100), ["sh: nosuch: not found"]);
    }

    #[test]
    fn loops_repeat_for_ever() {
        let p = sh("while true; do echo tick; sleep 2; done");
        assert_eq!(p.exit(), None);
        assert_eq!(texts(&p, 4_500).len(), 3);
        assert_eq!(
            p.output(10_000_000, 0, 5).len(),
            5,
            "logs keep the last lines"
        );
        assert_eq!(
            sh("while true; do echo once; break; done; exit 4").exit(),
            Some((24, 4))
        );
    }

    #[test]
    fn image_defaults_and_exec_form() {
        let busybox = Program::for_container(&[], &[], "busybox:1.36", "p", 2);
        assert_eq!(busybox.argv, ["sh"]);
        assert_eq!(
            busybox.exit(),
            Some((21, 0)),
            "sh without a terminal exits at once"
        );
        let nginx = Program::for_container(&[], &[], "nginx:1.27", "p", 2);
        assert_eq!(nginx.exit(), None);
        assert!(nginx.stops_on_sigterm);
        assert!(texts(&nginx, 100)
            .first()
            .is_some_and(|l| l.starts_with("/docker-entrypoint.sh:")));
        let sleeper =
            Program::for_container(&["sleep".into(), "30".into()], &[], "busybox:1.36", "p", 2);
        assert_eq!(sleeper.exit(), Some((30_021, 0)));
        let args_only =
            Program::for_container(&[], &["echo".into(), "hi".into()], "busybox", "p", 2);
        assert_eq!(args_only.argv, ["echo", "hi"]);
    }

    #[test]
    fn odd_scripts_do_not_break_the_planner() {
        for script in [
            "",
            "$(",
            "${",
            "'unterminated",
            "&& ||",
            "while",
            "do done",
            "| |",
            "exit 300",
        ] {
            let _ = sh(script).output(10_000, 0, 10);
        }
        let deep = "while true; do ".repeat(10_000);
        assert_eq!(sh(&deep).exit(), None);
        assert_eq!(
            sh("exit 300").exit(),
            Some((21, 44)),
            "exit codes wrap at 256"
        );
    }

    #[test]
    fn expansions() {
        let p = sh("echo \"$HOSTNAME says $(date)\"; echo 'a  b' \"c\"");
        let lines = p.output(100, 0, 10);
        assert_eq!(lines[0].text, "pod says Sat Nov 21 14:00:00 UTC 2026");
        assert_eq!(lines[1].text, "a  b c");
    }

    fn exec(argv: &[&str], files: &mut std::collections::BTreeMap<String, String>) -> ExecOutput {
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        let mut ctx = ExecContext {
            hostname: "web",
            image: "busybox:1.36",
            vars: vec![
                ("PATH".into(), "/bin".into()),
                ("GREETING".into(), "hi".into()),
            ],
            files,
            now: 0,
            network: None,
        };
        exec_in_container(&argv, &mut ctx).unwrap()
    }

    #[test]
    fn exec_touch_cat_rm_and_exit_codes() {
        let mut files = initial_files("web");
        assert_eq!(exec(&["touch", "/tmp/healthy"], &mut files).exit_code, 0);
        assert_eq!(exec(&["ls", "/tmp"], &mut files).stdout, "healthy\n");
        assert_eq!(exec(&["rm", "/tmp/healthy"], &mut files).exit_code, 0);
        let missing = exec(&["cat", "/tmp/healthy"], &mut files);
        assert_eq!(
            (missing.stderr.as_str(), missing.exit_code),
            (
                "cat: can't open '/tmp/healthy': No such file or directory\n",
                1
            )
        );
        let script = exec(
            &["sh", "-c", "echo $GREETING > /tmp/x; cat /tmp/x; exit 3"],
            &mut files,
        );
        assert_eq!((script.stdout.as_str(), script.exit_code), ("hi\n", 3));
        assert_eq!(exec(&["hostname"], &mut files).stdout, "web\n");
        assert_eq!(exec(&["printenv", "GREETING"], &mut files).stdout, "hi\n");
        assert_eq!(
            exec(&["sh", "-c", "nosuch || echo ok"], &mut files).stdout,
            "ok\n"
        );
        let argv = vec!["foo".to_string()];
        let mut ctx = ExecContext {
            hostname: "web",
            image: "busybox",
            vars: Vec::new(),
            files: &mut files,
            now: 0,
            network: None,
        };
        assert_eq!(
            exec_in_container(&argv, &mut ctx),
            Err(ExecStartError {
                program: "foo".into()
            })
        );
    }

    #[test]
    fn perl_prints_pi_to_the_digits_asked() {
        assert_eq!(pi_to(3), "3.14");
        assert_eq!(pi_to(6), "3.14159");
        // Rounded: the 50th digit after the point is 0 with 5 next.
        assert_eq!(
            pi_to(51),
            "3.14159265358979323846264338327950288419716939937511"
        );
        let argv: Vec<String> = ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(perl_pi_digits(&argv), Some(2000));
        let long = pi_to(2000);
        assert_eq!(long.len(), 2001);
        // How the documentation's Job page shows `kubectl logs` of the pi Job ending.
        assert!(long.ends_with("75739624138908658326459958133904780275901"));
    }

    #[test]
    fn stress_over_its_memory_limit_is_oom_killed() {
        let argv: Vec<String> = [
            "stress",
            "--vm",
            "1",
            "--vm-bytes",
            "250M",
            "--vm-hang",
            "1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let limited = |limit: &str| {
            Program::for_container(&argv, &[], "polinux/stress", "p", 1)
                .limited_by(&serde_json::json!({"resources": {"limits": {"memory": limit}}}))
        };
        let over = limited("100Mi");
        assert!(over.oom_killed);
        assert_eq!(over.exit().map(|(_, code)| code), Some(137));
        assert_eq!(
            texts(&over, 1_000),
            ["stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd"]
        );
        let within = limited("300Mi");
        assert!(!within.oom_killed && within.exit().is_none());
        assert_eq!(stress_size("2g"), Some(2 << 30));
    }

    #[test]
    fn termination_message_settings_come_from_the_spec() {
        let p = sh("exit 1").limited_by(&serde_json::json!({
            "terminationMessagePath": "/tmp/why",
            "terminationMessagePolicy": "FallbackToLogsOnError"
        }));
        assert_eq!(p.termination.path, "/tmp/why");
        assert!(p.termination.fallback_to_logs_on_error);
        assert_eq!(sh("true").termination, TerminationMessage::default());
    }

    #[test]
    fn a_loop_on_nslookup_is_polled() {
        let script = "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done";
        let poll = Poll::of_script(script, "busybox:1.28").expect("a network wait");
        assert!(poll.until);
        assert_eq!(
            poll.argv[2],
            "nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local"
        );
        let answer = |stdout: &str| ExecOutput {
            stdout: stdout.into(),
            ..ExecOutput::default()
        };
        assert!(!poll.ends(poll.exit_code(&answer("** server can't find x: NXDOMAIN\n"))));
        assert!(poll.ends(poll.exit_code(&answer("Name:\tx\nAddress: 10.96.0.20\n"))));
        assert_eq!(
            Poll::of_script("until false; do sleep 1; done", "busybox"),
            None
        );
        assert_eq!(Poll::of_script("echo hi", "busybox"), None);
        let waiting = sh(script);
        assert_eq!(
            texts(&waiting, 3_000),
            ["waiting for myservice", "waiting for myservice"]
        );
    }

    #[test]
    fn exec_durations_for_probe_timeouts() {
        let argv = |s: &[&str]| s.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Program::exec_duration(&argv(&["sh", "-c", "sleep 5"]), "busybox"),
            Some(5_001)
        );
        assert_eq!(
            Program::exec_duration(&argv(&["cat", "/tmp/healthy"]), "busybox"),
            Some(1)
        );
    }

    #[test]
    fn command_substitution_reads_files() {
        let mut files = initial_files("web");
        let out = exec(&["sh", "-c", "echo host=$(cat /etc/hostname)"], &mut files);
        assert_eq!(out.stdout, "host=web\n");
    }

    /// busybox before 1.29 has the resolver-backed nslookup; 1.29 and later, and untagged
    /// busybox (latest), have busybox's own DNS client.
    #[test]
    fn busybox_1_28_nslookup_asks_the_resolver() {
        for image in [
            "busybox:1.28",
            "busybox:1.28.4",
            "docker.io/library/busybox:1.27.2",
        ] {
            assert!(nslookup_uses_resolver(image), "{image}");
        }
        for image in [
            "busybox:1.36",
            "busybox:1.29",
            "busybox",
            "alpine:3.8",
            "busybox:latest",
        ] {
            assert!(!nslookup_uses_resolver(image), "{image}");
        }
    }

    /// The StatefulSet tutorial: nginx-slim has curl, and `curl http://localhost/` reaches the
    /// container's own nginx, which serves the index.html written into it; nothing listens on
    /// another port (curl's exit 7).
    #[test]
    fn curl_localhost_in_nginx_slim_serves_the_written_index() {
        let mut files = initial_files("web-0");
        files.insert("/usr/share/nginx/html/index.html".into(), "web-0\n".into());
        let mut ctx = ExecContext {
            hostname: "web-0",
            image: "registry.k8s.io/nginx-slim:0.21",
            vars: Vec::new(),
            files: &mut files,
            now: 0,
            network: None,
        };
        let argv = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let out = exec_in_container(&argv(&["curl", "-s", "http://localhost/"]), &mut ctx)
            .unwrap_or_else(|e| panic!("curl starts: {}", e.program));
        assert_eq!((out.stdout.as_str(), out.exit_code), ("web-0\n", 0));
        let refused = exec_in_container(&argv(&["curl", "-sS", "localhost:8080"]), &mut ctx)
            .unwrap_or_else(|e| panic!("curl starts: {}", e.program));
        assert_eq!(refused.exit_code, 7);
        assert_eq!(
            refused.stderr,
            "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\n"
        );
    }
}
