//! kubectl's command tree as cobra and pflag see it: which commands exist, which flags each one
//! accepts (its own, plus the global ones every command inherits from `kubectl`), and the errors
//! cobra and pflag give for anything else:
//!
//! - an unknown command: `error: unknown command "gte" for "kubectl"`, followed by cobra's
//!   `Did you mean this?` list (command.go `findSuggestions`: Levenshtein distance ≤ 2, ignoring
//!   case, or a name starting with what was typed), exit 1 (kubectl's `CheckErr` prefixes
//!   `error: `);
//! - an unknown flag: `error: unknown flag: --foo` (pflag flag.go `failf`), then kubectl's
//!   `See 'kubectl get --help' for usage.` (templates/templater.go `FlagErrorFunc`), exit 1;
//! - a flag without its value: `flag needs an argument: --output`, `flag needs an argument: 'o'
//!   in -o`; a value of the wrong type: `invalid argument "x" for "--replicas" flag: ...`.

use std::collections::BTreeSet;

/// Whether a flag takes a value, and of which kind (what pflag checks when parsing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A boolean: `--force`, `--force=false`; never takes the next word.
    Bool,
    /// A string (or string slice/array): takes `=value` or the next word.
    Text,
    /// A string with a default when given bare (pflag `NoOptDefVal`): `--dry-run` means
    /// `--dry-run=unchanged`, `--validate` means `--validate=strict`.
    Optional(&'static str),
    /// An `int32` flag (`--replicas`, `--port`).
    Int32,
    /// An `int` (int64) flag (`--grace-period`).
    Int,
    /// A `time.Duration` flag (`--timeout=30s`).
    Duration,
}

/// One flag: long name, optional one-letter shorthand, kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
}

const fn f(long: &'static str, short: Option<char>, kind: Kind) -> Flag {
    Flag { long, short, kind }
}

use Kind::{Bool, Duration, Int, Int32, Optional, Text};

/// The flags every command inherits from `kubectl` (genericclioptions.ConfigFlags, klog's `-v`,
/// `--warnings-as-errors`, `--match-server-version`, `--kuberc`, the profiling flags).
const GLOBAL: &[Flag] = &[
    f("as", None, Text),
    f("as-group", None, Text),
    f("as-uid", None, Text),
    f("as-user-extra", None, Text),
    f("cache-dir", None, Text),
    f("certificate-authority", None, Text),
    f("client-certificate", None, Text),
    f("client-key", None, Text),
    f("cluster", None, Text),
    f("context", None, Text),
    f("disable-compression", None, Bool),
    f("insecure-skip-tls-verify", None, Bool),
    f("kubeconfig", None, Text),
    f("kuberc", None, Text),
    f("log-flush-frequency", None, Duration),
    f("match-server-version", None, Bool),
    f("namespace", Some('n'), Text),
    f("password", None, Text),
    f("profile", None, Text),
    f("profile-output", None, Text),
    f("request-timeout", None, Text),
    f("server", Some('s'), Text),
    f("tls-server-name", None, Text),
    f("token", None, Text),
    f("user", None, Text),
    f("username", None, Text),
    f("v", Some('v'), Text),
    f("vmodule", None, Text),
    f("warnings-as-errors", None, Bool),
    f("help", Some('h'), Bool),
];

/// genericclioptions.PrintFlags: `-o`, `--template`, and their companions.
const PRINT: &[Flag] = &[
    f("allow-missing-template-keys", None, Bool),
    f("output", Some('o'), Text),
    f("show-managed-fields", None, Bool),
    f("template", None, Text),
];

/// cmdutil.AddFilenameOptionFlags: `-f`, `-k`, `-R`.
const FILENAME: &[Flag] = &[
    f("filename", Some('f'), Text),
    f("kustomize", Some('k'), Text),
    f("recursive", Some('R'), Bool),
];

/// The flags of `create` subcommands that build an object from arguments (create_*.go).
const CREATE_COMMON: &[Flag] = &[
    f("dry-run", None, Optional("unchanged")),
    f("field-manager", None, Text),
    f("save-config", None, Bool),
    f("validate", None, Optional("strict")),
];

/// The flags shared by `label` and `annotate`.
const LABEL_LIKE: &[Flag] = &[
    f("all", None, Bool),
    f("all-namespaces", Some('A'), Bool),
    f("dry-run", None, Optional("unchanged")),
    f("field-manager", None, Text),
    f("field-selector", None, Text),
    f("list", None, Bool),
    f("local", None, Bool),
    f("overwrite", None, Bool),
    f("record", None, Bool),
    f("resource-version", None, Text),
    f("selector", Some('l'), Text),
];

/// A command: its path (`["create", "namespace"]`), aliases, and flag groups. `flags` is `None`
/// for commands whose flags podlab does not check (any flag is let through).
struct Command {
    path: &'static [&'static str],
    aliases: &'static [&'static str],
    flags: Option<&'static [&'static [Flag]]>,
}

const fn cmd(path: &'static [&'static str], flags: &'static [&'static [Flag]]) -> Command {
    Command {
        path,
        aliases: &[],
        flags: Some(flags),
    }
}

const fn unchecked(path: &'static [&'static str]) -> Command {
    Command {
        path,
        aliases: &[],
        flags: None,
    }
}

const fn aliased(
    path: &'static [&'static str],
    aliases: &'static [&'static str],
    flags: &'static [&'static [Flag]],
) -> Command {
    Command {
        path,
        aliases,
        flags: Some(flags),
    }
}

/// Every command kubectl v1.36 has at the top level (the available ones, as `kubectl --help`
/// lists them, plus `help`), and the subcommands podlab models.
const COMMANDS: &[Command] = &[
    unchecked(&["alpha"]),
    cmd(&["annotate"], &[PRINT, FILENAME, LABEL_LIKE]),
    cmd(
        &["api-resources"],
        &[&[
            f("api-group", None, Text),
            f("cached", None, Bool),
            f("categories", None, Text),
            f("namespaced", None, Bool),
            f("no-headers", None, Bool),
            f("output", Some('o'), Text),
            f("sort-by", None, Text),
            f("verbs", None, Text),
        ]],
    ),
    cmd(&["api-versions"], &[]),
    cmd(
        &["apply"],
        &[
            PRINT,
            FILENAME,
            &[
                f("all", None, Bool),
                f("cascade", None, Optional("background")),
                f("dry-run", None, Optional("unchanged")),
                f("field-manager", None, Text),
                f("force", None, Bool),
                f("force-conflicts", None, Bool),
                f("grace-period", None, Int),
                f("openapi-patch", None, Bool),
                f("overwrite", None, Bool),
                f("prune", None, Bool),
                f("prune-allowlist", None, Text),
                f("record", None, Bool),
                f("selector", Some('l'), Text),
                f("server-side", None, Bool),
                f("subresource", None, Text),
                f("timeout", None, Duration),
                f("validate", None, Optional("strict")),
                f("wait", None, Bool),
            ],
        ],
    ),
    unchecked(&["attach"]),
    unchecked(&["auth"]),
    unchecked(&["autoscale"]),
    unchecked(&["certificate"]),
    cmd(&["cluster-info"], &[]),
    unchecked(&["cluster-info", "dump"]),
    unchecked(&["completion"]),
    unchecked(&["config"]),
    unchecked(&["cordon"]),
    unchecked(&["cp"]),
    cmd(
        &["create"],
        &[
            PRINT,
            FILENAME,
            &[
                f("dry-run", None, Optional("unchanged")),
                f("edit", None, Bool),
                f("field-manager", None, Text),
                f("raw", None, Text),
                f("record", None, Bool),
                f("save-config", None, Bool),
                f("selector", Some('l'), Text),
                f("validate", None, Optional("strict")),
                f("windows-line-endings", None, Bool),
            ],
        ],
    ),
    aliased(
        &["create", "configmap"],
        &["cm"],
        &[
            PRINT,
            CREATE_COMMON,
            &[
                f("append-hash", None, Bool),
                f("from-env-file", None, Text),
                f("from-file", None, Text),
                f("from-literal", None, Text),
            ],
        ],
    ),
    aliased(
        &["create", "deployment"],
        &["deploy"],
        &[
            PRINT,
            CREATE_COMMON,
            &[
                f("image", None, Text),
                f("port", None, Int32),
                f("replicas", Some('r'), Int32),
            ],
        ],
    ),
    aliased(&["create", "namespace"], &["ns"], &[PRINT, CREATE_COMMON]),
    cmd(&["create", "secret"], &[]),
    cmd(
        &["create", "secret", "generic"],
        &[
            PRINT,
            CREATE_COMMON,
            &[
                f("append-hash", None, Bool),
                f("from-env-file", None, Text),
                f("from-file", None, Text),
                f("from-literal", None, Text),
                f("type", None, Text),
            ],
        ],
    ),
    aliased(&["create", "service"], &["svc"], &[]),
    cmd(
        &["create", "service", "clusterip"],
        &[
            PRINT,
            CREATE_COMMON,
            &[f("clusterip", None, Text), f("tcp", None, Text)],
        ],
    ),
    unchecked(&["debug"]),
    cmd(
        &["delete"],
        &[
            FILENAME,
            &[
                f("all", None, Bool),
                f("all-namespaces", Some('A'), Bool),
                f("cascade", None, Optional("background")),
                f("dry-run", None, Optional("unchanged")),
                f("field-selector", None, Text),
                f("force", None, Bool),
                f("grace-period", None, Int),
                f("ignore-not-found", None, Bool),
                f("interactive", Some('i'), Bool),
                f("now", None, Bool),
                f("output", Some('o'), Text),
                f("raw", None, Text),
                f("selector", Some('l'), Text),
                f("timeout", None, Duration),
                f("wait", None, Bool),
            ],
        ],
    ),
    cmd(
        &["describe"],
        &[
            FILENAME,
            &[
                f("all-namespaces", Some('A'), Bool),
                f("chunk-size", None, Int),
                f("selector", Some('l'), Text),
                f("show-events", None, Bool),
            ],
        ],
    ),
    unchecked(&["diff"]),
    unchecked(&["drain"]),
    unchecked(&["edit"]),
    unchecked(&["events"]),
    cmd(
        &["exec"],
        &[&[
            f("container", Some('c'), Text),
            f("filename", Some('f'), Text),
            f("pod-running-timeout", None, Duration),
            f("quiet", Some('q'), Bool),
            f("stdin", Some('i'), Bool),
            f("tty", Some('t'), Bool),
        ]],
    ),
    cmd(
        &["explain"],
        &[&[
            f("api-version", None, Text),
            f("output", Some('o'), Text),
            f("recursive", None, Bool),
        ]],
    ),
    unchecked(&["expose"]),
    cmd(
        &["get"],
        &[
            PRINT,
            FILENAME,
            &[
                f("all-namespaces", Some('A'), Bool),
                f("chunk-size", None, Int),
                f("field-selector", None, Text),
                f("ignore-not-found", None, Bool),
                f("label-columns", Some('L'), Text),
                f("no-headers", None, Bool),
                f("output-watch-events", None, Bool),
                f("raw", None, Text),
                f("selector", Some('l'), Text),
                f("server-print", None, Bool),
                f("show-kind", None, Bool),
                f("show-labels", None, Bool),
                f("sort-by", None, Text),
                f("subresource", None, Text),
                f("watch", Some('w'), Bool),
                f("watch-only", None, Bool),
            ],
        ],
    ),
    unchecked(&["help"]),
    unchecked(&["kustomize"]),
    cmd(&["label"], &[PRINT, FILENAME, LABEL_LIKE]),
    unchecked(&["logs"]),
    unchecked(&["options"]),
    cmd(
        &["patch"],
        &[
            PRINT,
            FILENAME,
            &[
                f("dry-run", None, Optional("unchanged")),
                f("field-manager", None, Text),
                f("local", None, Bool),
                f("patch", Some('p'), Text),
                f("patch-file", None, Text),
                f("record", None, Bool),
                f("subresource", None, Text),
                f("type", None, Text),
            ],
        ],
    ),
    unchecked(&["plugin"]),
    unchecked(&["port-forward"]),
    unchecked(&["proxy"]),
    unchecked(&["replace"]),
    unchecked(&["rollout"]),
    cmd(
        &["run"],
        &[
            PRINT,
            FILENAME,
            &[
                f("annotations", None, Text),
                f("attach", None, Bool),
                f("cascade", None, Optional("background")),
                f("command", None, Bool),
                f("dry-run", None, Text),
                f("env", None, Text),
                f("expose", None, Bool),
                f("field-manager", None, Text),
                f("force", None, Bool),
                f("grace-period", None, Int),
                f("image", None, Text),
                f("image-pull-policy", None, Text),
                f("labels", Some('l'), Text),
                f("leave-stdin-open", None, Bool),
                f("override-type", None, Text),
                f("overrides", None, Text),
                f("pod-running-timeout", None, Duration),
                f("port", None, Text),
                f("privileged", None, Bool),
                f("quiet", Some('q'), Bool),
                f("record", None, Bool),
                f("restart", None, Text),
                f("rm", None, Bool),
                f("save-config", None, Bool),
                f("stdin", Some('i'), Bool),
                f("timeout", None, Duration),
                f("tty", Some('t'), Bool),
                f("wait", None, Bool),
            ],
        ],
    ),
    cmd(
        &["scale"],
        &[
            PRINT,
            FILENAME,
            &[
                f("all", None, Bool),
                f("current-replicas", None, Int),
                f("dry-run", None, Optional("unchanged")),
                f("record", None, Bool),
                f("replicas", None, Int),
                f("resource-version", None, Text),
                f("selector", Some('l'), Text),
                f("timeout", None, Duration),
            ],
        ],
    ),
    cmd(&["set"], &[]),
    cmd(
        &["set", "image"],
        &[
            PRINT,
            FILENAME,
            &[
                f("all", None, Bool),
                f("dry-run", None, Optional("unchanged")),
                f("field-manager", None, Text),
                f("local", None, Bool),
                f("record", None, Bool),
                f("selector", Some('l'), Text),
            ],
        ],
    ),
    // set_resources.go NewCmdResources.
    cmd(
        &["set", "resources"],
        &[
            PRINT,
            FILENAME,
            &[
                f("all", None, Bool),
                f("containers", Some('c'), Text),
                f("dry-run", None, Optional("unchanged")),
                f("field-manager", None, Text),
                f("limits", None, Text),
                f("local", None, Bool),
                f("record", None, Bool),
                f("requests", None, Text),
                f("selector", Some('l'), Text),
            ],
        ],
    ),
    unchecked(&["taint"]),
    unchecked(&["top"]),
    unchecked(&["uncordon"]),
    cmd(
        &["version"],
        &[&[f("client", None, Bool), f("output", Some('o'), Text)]],
    ),
    unchecked(&["wait"]),
];

/// The commands kubectl offers in `Did you mean this?` (cobra's available commands; `alpha` has
/// no available subcommand in a default build, so it is left out).
fn suggestible() -> impl Iterator<Item = &'static str> {
    COMMANDS
        .iter()
        .filter(|c| c.path.len() == 1 && c.path[0] != "alpha")
        .map(|c| c.path[0])
}

/// Levenshtein distance, case-insensitive (cobra's `ld(s, t, true)`).
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// cobra's `SuggestionsFor`: commands within distance 2, or starting with what was typed.
pub fn suggestions_for(typed: &str) -> Vec<&'static str> {
    let lower = typed.to_lowercase();
    let mut names: Vec<&'static str> = suggestible().collect();
    names.sort_unstable();
    names
        .into_iter()
        .filter(|name| levenshtein(typed, name) <= 2 || name.starts_with(&lower))
        .collect()
}

/// The error text of an unknown top-level command (without kubectl's `error: ` prefix).
pub fn unknown_command(typed: &str) -> String {
    let mut text = format!("unknown command \"{typed}\" for \"kubectl\"");
    let found = suggestions_for(typed);
    if !found.is_empty() {
        text.push_str("\n\nDid you mean this?\n");
        for s in found {
            text.push('\t');
            text.push_str(s);
            text.push('\n');
        }
    }
    text
}

/// The command a list of positional words names: the longest known path (subcommands and their
/// aliases resolved), and how many words it used. `None` when the first word is no command.
pub fn resolve_command(words: &[String]) -> Option<(Vec<&'static str>, usize)> {
    let mut path: Vec<&'static str> = Vec::new();
    for word in words {
        let next = COMMANDS.iter().find(|c| {
            c.path.len() == path.len() + 1
                && c.path[..path.len()] == path[..]
                && (c.path[path.len()] == word.as_str() || c.aliases.contains(&word.as_str()))
        });
        match next {
            Some(c) => path = c.path.to_vec(),
            None => break,
        }
    }
    if path.is_empty() {
        None
    } else {
        let used = path.len();
        Some((path, used))
    }
}

fn command(path: &[&str]) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.path == path)
}

/// The flags `path` accepts (its own and the global ones), or `None` when podlab does not check
/// that command's flags.
pub fn flags_of(path: &[&str]) -> Option<Vec<Flag>> {
    let groups = command(path)?.flags?;
    let mut all: Vec<Flag> = GLOBAL.to_vec();
    for group in groups {
        for flag in group.iter() {
            if !all.iter().any(|g| g.long == flag.long) {
                all.push(*flag);
            }
        }
    }
    Some(all)
}

/// The kind of the flag `long` for `path`, if the command knows it.
pub fn kind_of(path: &[&str], long: &str) -> Option<Kind> {
    known_flags(path)?
        .find(|fl| fl.long == long)
        .map(|fl| fl.kind)
}

/// The flags known for `path` (only the global ones for the empty path).
fn known_flags(path: &[&str]) -> Option<Box<dyn Iterator<Item = &'static Flag>>> {
    if path.is_empty() {
        return Some(Box::new(GLOBAL.iter()));
    }
    let groups = command(path)?.flags?;
    Some(Box::new(
        groups.iter().flat_map(|g| g.iter()).chain(GLOBAL.iter()),
    ))
}

/// The long name of shorthand `c` for `path`.
pub fn long_of_short(path: &[&str], c: char) -> Option<&'static str> {
    known_flags(path)?
        .find(|fl| fl.short == Some(c))
        .map(|fl| fl.long)
}

/// How pflag names a flag in its value errors: `-r, --replicas` or `--port`.
fn flag_display(flag: &Flag) -> String {
    match flag.short {
        Some(c) => format!("-{c}, --{}", flag.long),
        None => format!("--{}", flag.long),
    }
}

/// pflag's check of a value against the flag's type.
fn check_value(flag: &Flag, value: &str) -> Result<(), String> {
    let bad = |why: String| {
        Err(format!(
            "invalid argument \"{value}\" for \"{}\" flag: {why}",
            flag_display(flag)
        ))
    };
    match flag.kind {
        Bool => match value {
            "1" | "t" | "T" | "true" | "TRUE" | "True" | "0" | "f" | "F" | "false" | "FALSE"
            | "False" => Ok(()),
            _ => bad(format!(
                "strconv.ParseBool: parsing \"{value}\": invalid syntax"
            )),
        },
        Int32 | Int => {
            let limit: i128 = if flag.kind == Int32 { 1 << 31 } else { 1 << 63 };
            match parse_go_int(value) {
                Some(n) if n >= -limit && n < limit => Ok(()),
                Some(_) => bad(format!(
                    "strconv.ParseInt: parsing \"{value}\": value out of range"
                )),
                None => bad(format!(
                    "strconv.ParseInt: parsing \"{value}\": invalid syntax"
                )),
            }
        }
        Duration => {
            if parse_go_duration(value).is_some() {
                Ok(())
            } else {
                bad(format!("time: invalid duration \"{value}\""))
            }
        }
        Text | Optional(_) => Ok(()),
    }
}

/// An integer as Go's `strconv.ParseInt(s, 0, n)` reads it (sign, decimal digits; `0x`, `0o`,
/// `0b` prefixes and `_` separators are accepted too).
fn parse_go_int(s: &str) -> Option<i128> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(b) = lower.strip_prefix("0x") {
        (16, b.to_string())
    } else if let Some(b) = lower.strip_prefix("0o") {
        (8, b.to_string())
    } else if let Some(b) = lower.strip_prefix("0b") {
        (2, b.to_string())
    } else {
        (10, lower.clone())
    };
    let body = body.replace('_', "");
    if body.is_empty() || body.len() > 40 {
        return None;
    }
    let n = i128::from_str_radix(&body, radix).ok()?;
    Some(if neg { -n } else { n })
}

/// A Go duration (`30s`, `1m30s`, `500ms`, `0`) in milliseconds.
pub fn parse_go_duration(s: &str) -> Option<f64> {
    if s == "0" {
        return Some(0.0);
    }
    let mut rest = s.strip_prefix('-').unwrap_or(s);
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest.get(..num_len)?.parse().ok()?;
        rest = rest.get(num_len..)?;
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = rest.get(..unit_len)?;
        let ms = match unit {
            "ns" => 1e-6,
            "us" | "µs" | "μs" => 1e-3,
            "ms" => 1.0,
            "s" => 1e3,
            "m" => 6e4,
            "h" => 3.6e6,
            _ => return None,
        };
        total += number * ms;
        rest = rest.get(unit_len..)?;
    }
    Some(total)
}

/// A flag problem, as pflag words it.
fn unknown_long(name: &str) -> String {
    format!("unknown flag: --{name}")
}

/// Check every flag of a command line against what `path` accepts, as pflag parses it: long
/// flags (`--x`, `--x=v`, `--x v`), shorthand clusters (`-ow`, `-owide`, `-o=wide`), `--`
/// ending the flags. Returns pflag's error text for the first problem.
pub fn check_flags(path: &[&str], words: &[String]) -> Result<(), String> {
    let Some(flags) = flags_of(path) else {
        return Ok(());
    };
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        if word == "--" {
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            let Some(flag) = flags.iter().find(|fl| fl.long == name) else {
                return Err(unknown_long(name));
            };
            match (inline, flag.kind) {
                (Some(v), _) => check_value(flag, v)?,
                (None, Bool | Optional(_)) => {}
                (None, _) => match words.get(i) {
                    Some(v) => {
                        i += 1;
                        check_value(flag, v)?;
                    }
                    None => return Err(format!("flag needs an argument: {word}")),
                },
            }
        } else if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            i += check_shorthands(&flags, shorts, words.get(i))?;
        }
    }
    Ok(())
}

/// A cluster of shorthands (`-ow`, `-owide`, `-o=wide`); returns how many following words it
/// consumed (1 when the last shorthand takes the next word as its value).
fn check_shorthands(flags: &[Flag], shorts: &str, next: Option<&String>) -> Result<usize, String> {
    let chars: Vec<char> = shorts.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        let Some(flag) = flags.iter().find(|fl| fl.short == Some(c)) else {
            return Err(format!("unknown shorthand flag: '{c}' in -{shorts}"));
        };
        let rest: String = chars[k + 1..].iter().collect();
        match flag.kind {
            Bool | Optional(_) => {
                if let Some(v) = rest.strip_prefix('=') {
                    check_value(flag, v)?;
                    return Ok(0);
                }
                k += 1;
            }
            _ => {
                if !rest.is_empty() {
                    check_value(flag, rest.strip_prefix('=').unwrap_or(&rest))?;
                    return Ok(0);
                }
                return match next {
                    Some(v) => check_value(flag, v).map(|_| 1),
                    None => Err(format!("flag needs an argument: '{c}' in -{shorts}")),
                };
            }
        }
    }
    Ok(0)
}

/// The command path words (`kubectl create namespace`) as cobra's `CommandPath` prints them.
pub fn command_path(path: &[&str]) -> String {
    std::iter::once("kubectl")
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The positional words of a command line, skipping flags and their values as pflag would for
/// `path` (used to find the command before its flags are known).
pub fn positionals(path: &[&str], words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        if word == "--" {
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            if long.contains('=') {
                continue;
            }
            let takes_value = match kind_of(path, long) {
                Some(Bool | Optional(_)) => false,
                Some(_) => true,
                None => !BOOL_LIKE.contains(&long),
            };
            if takes_value {
                i += 1;
            }
        } else if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            let c = shorts.chars().next().unwrap_or('-');
            let long = long_of_short(path, c);
            let takes_value = match long.and_then(|l| kind_of(path, l)) {
                Some(Bool | Optional(_)) => false,
                Some(_) => shorts.chars().count() == 1,
                None => shorts.chars().count() == 1 && !BOOL_LIKE_SHORT.contains(&c),
            };
            if takes_value {
                i += 1;
            }
        } else {
            out.push(word.clone());
        }
    }
    out
}

/// Flags known to take no value when the command's table is not known.
const BOOL_LIKE: &[&str] = &[
    "all-namespaces",
    "all",
    "force",
    "wait",
    "watch",
    "previous",
    "follow",
    "stdin",
    "tty",
    "quiet",
    "help",
    "overwrite",
    "recursive",
    "server-side",
    "show-labels",
    "no-headers",
    "ignore-not-found",
    "local",
    "dry-run",
    "validate",
];

const BOOL_LIKE_SHORT: &[char] = &['A', 'w', 'i', 't', 'q', 'h', 'R', 'p'];

/// The names of all top-level commands (for tests and for the help text).
pub fn top_level() -> BTreeSet<&'static str> {
    COMMANDS
        .iter()
        .filter(|c| c.path.len() == 1)
        .map(|c| c.path[0])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn unknown_command_suggests_like_cobra() {
        assert_eq!(
            unknown_command("gat"),
            "unknown command \"gat\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tset\n\twait\n"
        );
        assert_eq!(
            unknown_command("frobnicate"),
            "unknown command \"frobnicate\" for \"kubectl\""
        );
        // A prefix suggests too (cobra suggestByPrefix).
        assert!(suggestions_for("api").contains(&"api-resources"));
        assert!(suggestions_for("descibe").contains(&"describe"));
    }

    #[test]
    fn levenshtein_matches_the_textbook() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("GET", "get"), 0);
        assert_eq!(levenshtein("", "abc"), 3);
    }

    #[test]
    fn commands_and_subcommands_resolve_with_aliases() {
        let words = w("create ns web");
        assert_eq!(
            resolve_command(&words),
            Some((vec!["create", "namespace"], 2))
        );
        let words = w("create secret generic s");
        assert_eq!(
            resolve_command(&words),
            Some((vec!["create", "secret", "generic"], 3))
        );
        assert_eq!(resolve_command(&w("gte pods")), None);
        assert_eq!(resolve_command(&w("get pods")), Some((vec!["get"], 1)));
    }

    #[test]
    fn flags_are_checked_as_pflag_does() {
        assert_eq!(
            check_flags(&["get"], &w("pods --foo")),
            Err("unknown flag: --foo".into())
        );
        assert_eq!(
            check_flags(&["get"], &w("pods -z")),
            Err("unknown shorthand flag: 'z' in -z".into())
        );
        assert_eq!(
            check_flags(&["get"], &w("pods -o")),
            Err("flag needs an argument: 'o' in -o".into())
        );
        assert_eq!(
            check_flags(&["get"], &w("pods --output")),
            Err("flag needs an argument: --output".into())
        );
        assert!(check_flags(&["get"], &w("pods -owide -A --show-labels -n x")).is_ok());
        assert!(check_flags(&["get"], &w("pods -Aowide")).is_ok());
        assert_eq!(
            check_flags(&["create", "deployment"], &w("web --image nginx -r x")),
            Err("invalid argument \"x\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax".into())
        );
        assert_eq!(
            check_flags(&["delete"], &w("pod x --force=maybe")),
            Err("invalid argument \"maybe\" for \"--force\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax".into())
        );
        // Commands podlab does not check let anything through.
        assert!(check_flags(&["logs"], &w("x --whatever")).is_ok());
    }

    #[test]
    fn positionals_skip_flag_values() {
        assert_eq!(
            positionals(&["get"], &w("-n kube-system get pods -o wide")),
            vec!["get", "pods"]
        );
        assert_eq!(
            positionals(&["create", "namespace"], &w("create --dry-run namespace x")),
            vec!["create", "namespace", "x"]
        );
    }

    #[test]
    fn go_durations_and_ints() {
        assert_eq!(parse_go_duration("1m30s"), Some(90_000.0));
        assert_eq!(parse_go_duration("30"), None);
        assert_eq!(parse_go_int("0x10"), Some(16));
        assert_eq!(parse_go_int("1_000"), Some(1000));
        assert_eq!(parse_go_int("abc"), None);
    }
}
