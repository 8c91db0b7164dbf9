//! Scenario scripts (the format of ../shared/fidelity/README.md) run headless against a simulated
//! cluster, printing the transcript a real cluster would print: `$ ` + each command's first line,
//! what it printed, and `[exit N]` when it failed.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

use crate::cluster::{Cluster, CommandOutput, Preset};
use crate::kubelet::NodeConfig;
use crate::sim::Millis;

/// One command of a script: its first line, and the body of its here-document if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub line: String,
    pub stdin: Option<String>,
}

/// The here-document word a line ends with (`<<'YAML'`, `<<EOF`, `<<-"END"`).
fn heredoc_word(line: &str) -> Option<String> {
    let at = line.rfind("<<")?;
    let word = line[at + 2..].trim_start_matches('-').trim();
    let word = word.trim_matches(|c| c == '\'' || c == '"');
    (!word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then(|| word.to_string())
}

/// Split a script into commands, as scenario.py's `parse` does.
pub fn parse(text: &str) -> Vec<Command> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cmds = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        i += 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut stdin = None;
        if let Some(end) = heredoc_word(line) {
            let mut body = String::new();
            while i < lines.len() {
                let l = lines[i];
                i += 1;
                if l.trim() == end {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            stdin = Some(body);
        }
        cmds.push(Command {
            line: line.trim().to_string(),
            stdin,
        });
    }
    cmds
}

/// `podlab node add NAME --ip IP --pod-cidr CIDR --image IMAGE...`.
fn node_add(words: &[&str]) -> Result<NodeConfig, String> {
    let name = words
        .first()
        .ok_or("podlab node add: a node name is required")?;
    let mut cfg = NodeConfig::worker(name, "", "", "", "2", "4Gi");
    cfg.zone = None;
    cfg.can_pull = false;
    let mut it = words[1..].iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("podlab node add: {flag} needs a value"))?
            .to_string();
        match *flag {
            "--ip" => cfg.internal_ip = value,
            "--pod-cidr" => cfg.pod_cidr = value,
            "--image" => cfg.images.push(value),
            "--cpu" => cfg.cpu = value,
            "--memory" => cfg.memory = value,
            "--zone" => cfg.zone = Some(value),
            other => return Err(format!("podlab node add: unknown flag {other}")),
        }
    }
    if cfg.internal_ip.is_empty() || cfg.pod_cidr.is_empty() {
        return Err("podlab node add: --ip and --pod-cidr are required".into());
    }
    Ok(cfg)
}

/// `timeout`'s DURATION: a number of seconds with an optional s/m/h/d suffix.
fn timeout_limit(arg: &str) -> Result<Millis, String> {
    let (number, unit) = match arg.char_indices().last() {
        Some((i, 's')) => (&arg[..i], 1_000.0),
        Some((i, 'm')) => (&arg[..i], 60_000.0),
        Some((i, 'h')) => (&arg[..i], 3_600_000.0),
        Some((i, 'd')) => (&arg[..i], 86_400_000.0),
        _ => (arg, 1_000.0),
    };
    match number.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok((n * unit).round() as Millis),
        _ => Err(format!("timeout: invalid time interval '{arg}'")),
    }
}

/// The command `timeout` runs: the line from `kubectl` on.
fn kubectl_part(line: &str) -> &str {
    line.find("kubectl").map_or(line, |at| &line[at..])
}

/// Add what a command printed, and `[exit N]` when it failed.
fn push_output(transcript: &mut Vec<String>, out: &CommandOutput) {
    let text = out.text.trim_end_matches('\n');
    if !text.is_empty() {
        transcript.push(text.to_string());
    }
    if out.exit_code != 0 {
        transcript.push(format!("[exit {}]", out.exit_code));
    }
}

/// Run a script and return its transcript. `read_file` resolves `-f FILE` (relative to the
/// script's folder); `seed` makes random choices repeatable.
pub fn run(
    text: &str,
    seed: u64,
    read_file: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    run_cluster(text, seed, read_file).map(|(transcript, _)| transcript)
}

/// Like [`run`], also handing back the cluster (for its trace).
pub fn run_cluster(
    text: &str,
    seed: u64,
    read_file: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, Cluster), String> {
    let cmds = parse(text);
    let empty = cmds
        .iter()
        .find(|c| c.line.starts_with("podlab"))
        .is_some_and(|c| {
            c.line.split_whitespace().collect::<Vec<_>>() == ["podlab", "cluster", "empty"]
        });
    let mut cluster = Cluster::new(
        if empty {
            Preset::Empty
        } else {
            Preset::Default
        },
        seed,
    );
    let mut transcript: Vec<String> = Vec::new();
    for cmd in &cmds {
        let words: Vec<&str> = cmd.line.split_whitespace().collect();
        match words.as_slice() {
            ["podlab", "cluster", "empty"] => {}
            ["podlab", "node", "add", rest @ ..] => {
                // The node joins before the scenario goes on, as a node that was already there.
                cluster.add_node(node_add(rest)?);
                cluster.advance(100);
            }
            ["podlab", "node", verb @ ("stop" | "start" | "disconnect" | "reconnect"), name] => {
                // The node's kubelet stops or starts, or its network is cut or restored.
                match *verb {
                    "stop" => cluster.stop_kubelet(name),
                    "disconnect" => cluster.disconnect_node(name),
                    _ => cluster.start_kubelet(name),
                }?;
            }
            ["podlab", "traffic", "start", rest @ ..] => {
                // Steady requests from a pod, sent by the network fabric as time passes.
                cluster.start_traffic(rest)?;
            }
            ["podlab", "traffic", "stop"] => cluster.stop_traffic(),
            ["podlab", "traffic", "report"] => {
                transcript.push(format!("$ {}", cmd.line));
                transcript.push(
                    crate::network::fabric::report(cluster.network())
                        .trim_end()
                        .to_string(),
                );
            }
            ["podlab", "mesh", "enable"] => {
                // The mesh's control plane starts; pods labelled sidecar.istio.io/inject=true
                // get a sidecar (see crate::mesh).
                cluster.enable_mesh();
            }
            ["podlab", ..] => return Err(format!("unknown podlab directive: {}", cmd.line)),
            ["sleep", secs] => {
                let secs: f64 = secs
                    .parse()
                    .map_err(|_| format!("sleep: invalid time interval '{secs}'"))?;
                transcript.push(format!("$ {}", cmd.line));
                cluster.advance((secs * 1000.0).round() as u64);
            }
            ["timeout", limit, "kubectl", ..] => {
                transcript.push(format!("$ {}", cmd.line));
                let limit = timeout_limit(limit)?;
                let command = kubectl_part(&cmd.line);
                let out = cluster.kubectl_for(command, cmd.stdin.as_deref(), read_file, limit);
                push_output(&mut transcript, &out);
            }
            ["istioctl", "proxy-config" | "pc", "endpoints" | "endpoint" | "ep", rest @ ..] => {
                // The endpoint table of a pod's mesh sidecar (see crate::mesh::istioctl).
                transcript.push(format!("$ {}", cmd.line));
                let out = crate::mesh::istioctl::proxy_config_endpoints(cluster.network(), rest);
                push_output(&mut transcript, &out);
            }
            ["kubectl", ..] => {
                transcript.push(format!("$ {}", cmd.line));
                let out = cluster.kubectl_with_files(&cmd.line, cmd.stdin.as_deref(), read_file);
                push_output(&mut transcript, &out);
            }
            // Only podlab's own scenarios read etcd directly (an operator's view, see etcd::etcdctl).
            ["etcdctl", ..] | [_, "etcdctl", ..] => {
                transcript.push(format!("$ {}", cmd.line));
                push_output(&mut transcript, &cluster.etcdctl(&cmd.line));
            }
            _ => {
                transcript.push(format!("$ {}", cmd.line));
                let program = words.first().copied().unwrap_or_default();
                transcript.push(format!("bash: line 1: {program}: command not found"));
                transcript.push("[exit 127]".into());
            }
        }
    }
    Ok((transcript.join("\n") + "\n", cluster))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_heredocs_and_skips_comments() {
        let cmds = parse(
            "# c\npodlab cluster empty\n\nkubectl apply -f - <<'YAML'\na: 1\nYAML\nsleep 3\n",
        );
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[1].stdin.as_deref(), Some("a: 1\n"));
        assert_eq!(cmds[2].line, "sleep 3");
    }
}
