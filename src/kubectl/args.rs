//! The command line as kubectl's cobra/pflag parse it: words (with shell quoting), the command
//! path, positional arguments and flags (`-o wide`, `-owide`, `--output=wide`, `--wait=false`).

use std::collections::BTreeMap;

use super::cli;

/// Split a command line into words as a POSIX shell would (quotes and backslashes), dropping a
/// here-document operator (`<<'YAML'`), whose body arrives as standard input.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unexpected EOF while looking for matching `''".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => {
                                return Err("unexpected EOF while looking for matching `\"'".into())
                            }
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unexpected EOF while looking for matching `\"'".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    // `<<'YAML'` or `<< EOF`: the here-document operator and its word.
    if let Some(i) = out.iter().position(|w| w.starts_with("<<")) {
        let takes_next = out[i] == "<<" || out[i] == "<<-";
        out.truncate(i);
        let _ = takes_next;
    }
    Ok(out)
}

/// Flags that take no value (booleans; `--flag=false` still works).
const BOOL_FLAGS: &[&str] = &[
    "A",
    "all-namespaces",
    "show-labels",
    "force",
    "wait",
    "server-side",
    "watch",
    "w",
    "no-headers",
    "all",
    "recursive",
    "R",
    "overwrite",
    "ignore-not-found",
    "show-managed-fields",
    "force-conflicts",
    "local",
    "previous",
    "p",
    "follow",
    "f-follow",
    "stdin",
    "i",
    "tty",
    "t",
    "help",
    "h",
    "watch-only",
    "include-uninitialized",
    "quiet",
    "q",
    "list",
    // kubectl logs (logs.go NewCmdLogs: every BoolVar besides follow and previous).
    "all-pods",
    "all-containers",
    "timestamps",
    "ignore-errors",
    "insecure-skip-tls-verify-backend",
    "prefix",
];

/// Short flags and their long names (`-p` is `--patch` for `kubectl patch`, `--previous` for logs;
/// `-f` is `--follow` for logs, `--filename` elsewhere).
fn long_name<'a>(short: &'a str, command: &str) -> &'a str {
    match short {
        "p" if command == "patch" => "patch",
        "f" if command == "logs" => "follow",
        "f" => "filename",
        "o" => "output",
        "n" => "namespace",
        "l" => "selector",
        "A" => "all-namespaces",
        "w" => "watch",
        "R" => "recursive",
        "c" => "container",
        "i" => "stdin",
        "t" => "tty",
        "p" => "previous",
        "h" => "help",
        "q" => "quiet",
        other => other,
    }
}

/// A parsed command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    /// Positional words (the command path first: `get`, `pods`, `nginx`).
    pub positional: Vec<String>,
    /// Flags by long name; repeated flags keep every value.
    pub flags: BTreeMap<String, Vec<String>>,
    /// Words after `--` (the command of `kubectl exec`).
    pub after_dashes: Vec<String>,
}

impl Args {
    /// Parse a command line (without `kubectl`). Which flags take a value comes from the
    /// command's flag table ([`super::cli`]), falling back to [`BOOL_FLAGS`] for commands whose
    /// table podlab does not have. A bare `--dry-run` means `--dry-run=client`, as kubectl's
    /// `GetDryRunStrategy` reads its `NoOptDefVal`.
    pub fn parse(words: &[String]) -> Result<Args, String> {
        let path = command_path_of(words);
        let mut args = Args::default();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            i += 1;
            if w == "--" {
                args.after_dashes = words[i..].to_vec();
                break;
            }
            let pairs: Vec<(String, Option<String>)> = if let Some(long) = w.strip_prefix("--") {
                match long.split_once('=') {
                    Some((n, v)) => vec![(n.to_string(), Some(v.to_string()))],
                    None => vec![(long.to_string(), None)],
                }
            } else if let Some(short) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
                shorthand_cluster(&path, short, args.positional.first())
            } else {
                args.positional.push(w.clone());
                continue;
            };
            let last = pairs.len().saturating_sub(1);
            for (k, (name, inline)) in pairs.into_iter().enumerate() {
                let value = match inline {
                    Some(v) => v,
                    None => match bare_value(&path, &name) {
                        Some(v) => v,
                        None if k == last => match words.get(i) {
                            Some(v) => {
                                i += 1;
                                v.clone()
                            }
                            None => return Err(format!("flag needs an argument: {w}")),
                        },
                        None => "true".to_string(),
                    },
                };
                let value = if name == "dry-run" {
                    normalize_dry_run(value)
                } else {
                    value
                };
                args.flags.entry(name).or_default().push(value);
            }
        }
        Ok(args)
    }

    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.flags.get(name).cloned().unwrap_or_default()
    }

    /// A boolean flag: absent → `default`.
    pub fn bool_flag(&self, name: &str, default: bool) -> bool {
        match self.flag(name) {
            Some(v) => v == "true" || v.is_empty(),
            None => default,
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.flags.contains_key(name)
    }
}

/// The command path a command line names (`["create", "namespace"]`), as cobra finds it.
fn command_path_of(words: &[String]) -> Vec<&'static str> {
    let first = cli::positionals(&[], words);
    let Some((path, _)) = cli::resolve_command(&first) else {
        return Vec::new();
    };
    let again = cli::positionals(&path, words);
    cli::resolve_command(&again).map(|(p, _)| p).unwrap_or(path)
}

/// The value a flag given without one takes: `true` for booleans, the `NoOptDefVal` of flags
/// that have one; `None` when the flag needs a value.
fn bare_value(path: &[&str], name: &str) -> Option<String> {
    match cli::kind_of(path, name) {
        Some(cli::Kind::Bool) => Some("true".into()),
        Some(cli::Kind::Optional(default)) => Some(default.into()),
        Some(_) => None,
        None if name == "patch" => None,
        None if BOOL_FLAGS.contains(&name) => Some("true".into()),
        None => None,
    }
}

/// kubectl's `GetDryRunStrategy`: the bare flag (`unchanged`) and `true` mean client, `false`
/// means none.
fn normalize_dry_run(value: String) -> String {
    match value.as_str() {
        "unchanged" | "true" => "client".into(),
        "false" => "none".into(),
        _ => value,
    }
}

/// A shorthand cluster (`-owide`, `-o=wide`, `-Aowide`, `-it`) as (long name, inline value)
/// pairs; the last flag of the cluster may take the next word as its value.
fn shorthand_cluster(
    path: &[&str],
    short: &str,
    command: Option<&String>,
) -> Vec<(String, Option<String>)> {
    let command = command.map(String::as_str).unwrap_or_default();
    let chars: Vec<char> = short.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        let name = cli::long_of_short(path, c)
            .map(str::to_string)
            .unwrap_or_else(|| long_name(&c.to_string(), command).to_string());
        let rest: String = chars[k + 1..].iter().collect();
        let is_bool = bare_value(path, &name).is_some();
        if let Some(v) = rest.strip_prefix('=') {
            out.push((name, Some(v.to_string())));
            return out;
        }
        if is_bool && !rest.is_empty() {
            out.push((name, None));
            k += 1;
            continue;
        }
        out.push((name, (!rest.is_empty()).then_some(rest)));
        return out;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s).unwrap()
    }

    #[test]
    fn quoting_and_heredocs() {
        assert_eq!(
            w("kubectl apply -f - <<'YAML'"),
            vec!["kubectl", "apply", "-f", "-"]
        );
        assert_eq!(
            w("get pod web -o jsonpath='{.spec.containers[0].image}'"),
            vec![
                "get",
                "pod",
                "web",
                "-o",
                "jsonpath={.spec.containers[0].image}"
            ]
        );
        assert_eq!(w(r#"a "b c" d\ e"#), vec!["a", "b c", "d e"]);
        assert!(words("a 'b").is_err());
    }

    #[test]
    fn flags_in_every_form() {
        let a = Args::parse(&w(
            "get pods -owide --show-labels -n kube-system --wait=false -l app=web",
        ))
        .unwrap();
        assert_eq!(a.positional, vec!["get", "pods"]);
        assert_eq!(a.flag("output"), Some("wide"));
        assert_eq!(a.flag("namespace"), Some("kube-system"));
        assert!(a.bool_flag("show-labels", false));
        assert!(!a.bool_flag("wait", true));
        assert_eq!(a.flag("selector"), Some("app=web"));
    }

    /// kubectl logs' bool flags (logs.go: all-pods, all-containers, follow/-f, timestamps,
    /// previous/-p, ignore-errors, insecure-skip-tls-verify-backend, prefix) take no value, so
    /// they may come last or before the pod's name.
    #[test]
    fn logs_booleans_never_take_a_value() {
        let a = Args::parse(&w("logs web --all-containers")).unwrap();
        assert_eq!(a.positional, vec!["logs", "web"]);
        assert!(a.bool_flag("all-containers", false));
        let a = Args::parse(&w(
            "logs --timestamps --prefix --ignore-errors --all-pods web -f -p",
        ))
        .unwrap();
        assert_eq!(a.positional, vec!["logs", "web"]);
        for flag in [
            "timestamps",
            "prefix",
            "ignore-errors",
            "all-pods",
            "follow",
            "previous",
        ] {
            assert!(a.bool_flag(flag, false), "{flag}");
        }
        let a = Args::parse(&w(
            "logs web --timestamps=false --insecure-skip-tls-verify-backend",
        ))
        .unwrap();
        assert!(!a.bool_flag("timestamps", true));
        assert!(a.bool_flag("insecure-skip-tls-verify-backend", false));
        // -f still names the manifest file elsewhere.
        let a = Args::parse(&w("apply -f pod.yaml")).unwrap();
        assert_eq!(a.flag("filename"), Some("pod.yaml"));
    }
}
