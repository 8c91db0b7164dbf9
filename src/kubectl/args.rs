//! The command line as kubectl's cobra/pflag parse it: words (with shell quoting), the command
//! path, positional arguments and flags (`-o wide`, `-owide`, `--output=wide`, `--wait=false`).

use std::collections::BTreeMap;

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
];

/// Short flags and their long names (`-p` is `--patch` for `kubectl patch`, `--previous` for logs).
fn long_name<'a>(short: &'a str, command: &str) -> &'a str {
    match short {
        "p" if command == "patch" => "patch",
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
    pub fn parse(words: &[String]) -> Result<Args, String> {
        let mut args = Args::default();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            i += 1;
            if w == "--" {
                args.after_dashes = words[i..].to_vec();
                break;
            }
            let (name, inline) = if let Some(long) = w.strip_prefix("--") {
                match long.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (long.to_string(), None),
                }
            } else if let Some(short) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
                let first: String = short.chars().take(1).collect();
                let rest: String = short.chars().skip(1).collect();
                let rest = rest.strip_prefix('=').map(str::to_string).unwrap_or(rest);
                let command = args
                    .positional
                    .first()
                    .map(String::as_str)
                    .unwrap_or_default();
                (
                    long_name(&first, command).to_string(),
                    (!rest.is_empty()).then_some(rest),
                )
            } else {
                args.positional.push(w.clone());
                continue;
            };
            let value = match inline {
                Some(v) => v,
                None if BOOL_FLAGS.contains(&name.as_str()) && name != "patch" => {
                    "true".to_string()
                }
                None => match words.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(format!("flag needs an argument: {w}")),
                },
            };
            args.flags.entry(name).or_default().push(value);
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
}
