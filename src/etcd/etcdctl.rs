//! `etcdctl` (v3.6) over podlab's store, as an operator with access to the control plane's etcd
//! would run it: `get` (a key, a range, `--prefix`, `--from-key`, `--keys-only`, `--count-only`,
//! `--print-value-only`, `--rev`, `--limit`, `--order`, `--sort-by`), `endpoint status`,
//! `endpoint health`, `member list`, `compaction`, `version`, with the output formats
//! `-w simple|json|fields|table` of etcdctl/ctlv3/command/printer*.go and its exit codes
//! (pkg/cobrautl: 1 for errors, 128 for bad arguments).
//!
//! One difference is deliberate and said in `etcdctl --help`: a real kube-apiserver stores
//! objects as protobuf (`--storage-media-type=application/vnd.kubernetes.protobuf`, binary when
//! printed); podlab's values are the JSON a server started with
//! `--storage-media-type=application/json` would store (with the keys sorted).

use data_encoding::BASE64;
use serde_json::Value;

use super::{Etcd, KeyValue, ReadError};
use crate::apiserver::validation::field::{go_json, go_quote};

/// etcd's default cluster and member IDs (a member named `default` with the default URLs).
pub const CLUSTER_ID: u64 = 14841639068965178418;
pub const MEMBER_ID: u64 = 10276657743932975437;
/// The raft term of a single-member cluster that has elected itself once after starting.
pub const RAFT_TERM: u64 = 2;
/// The etcd of kubeadm v1.36 (constants.DefaultEtcdVersion 3.6.9-0) and its storage version.
pub const VERSION: &str = "3.6.9";
pub const STORAGE_VERSION: &str = "3.6.0";
/// The default backend quota (`--quota-backend-bytes`, 2 GiB).
const QUOTA_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// bbolt's page size; the database grows by whole pages.
const PAGE: u64 = 4096;
/// The endpoint etcdctl talks to without `--endpoints`.
const DEFAULT_ENDPOINT: &str = "127.0.0.1:2379";

/// cobrautl exit codes.
const EXIT_ERROR: i32 = 1;
const EXIT_BAD_FEATURE: i32 = 4;
const EXIT_BAD_ARGS: i32 = 128;

const HELP: &str = "NAME:
\tetcdctl - A simple command line client for etcd3.

USAGE:
\tetcdctl [flags]

VERSION:
\t3.6.9

API VERSION:
\t3.6

COMMANDS podlab models:
\tcompaction\t\tCompacts the event history in etcd
\tendpoint health\t\tChecks the healthiness of endpoints specified in `--endpoints` flag
\tendpoint status\t\tPrints out the status of endpoints specified in `--endpoints` flag
\tget\t\t\tGets the key or a range of keys
\tmember list\t\tLists all members in the cluster
\tversion\t\t\tPrints the version of etcdctl

NOTE: podlab's values are JSON, as a kube-apiserver started with
--storage-media-type=application/json stores them; a default one stores protobuf.";

/// What a command printed (stdout and stderr in order) and its exit code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub text: String,
    pub exit_code: i32,
}

impl Output {
    fn ok(text: String) -> Output {
        Output { text, exit_code: 0 }
    }

    /// cobrautl.ExitWithError: `Error: ` + the error, on stderr.
    fn error(code: i32, message: impl AsRef<str>) -> Output {
        Output {
            text: format!("Error: {}\n", message.as_ref()),
            exit_code: code,
        }
    }
}

/// The output format of `-w`/`--write-out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Simple,
    Json,
    Fields,
    Table,
    Protobuf,
}

/// A parsed command line: the command words and the flags (by long name).
#[derive(Debug, Default)]
struct Line {
    words: Vec<String>,
    flags: Vec<(String, String)>,
}

/// etcdctl's boolean flags (they never take the next word).
const BOOL_FLAGS: &[&str] = &[
    "prefix",
    "from-key",
    "keys-only",
    "count-only",
    "print-value-only",
    "hex",
    "cluster",
    "physical",
    "insecure-skip-tls-verify",
    "insecure-transport",
    "insecure-discovery",
    "debug",
    "keepalive-time",
    "help",
];

/// Every flag podlab accepts (the rest are refused as pflag does).
const VALUE_FLAGS: &[&str] = &[
    "rev",
    "limit",
    "order",
    "sort-by",
    "consistency",
    "write-out",
    "endpoints",
    "cacert",
    "cert",
    "key",
    "user",
    "password",
    "dial-timeout",
    "command-timeout",
    "keepalive-timeout",
    "discovery-srv",
    "discovery-srv-name",
    "min-create-rev",
    "max-create-rev",
    "min-mod-rev",
    "max-mod-rev",
];

impl Line {
    fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn bool_flag(&self, name: &str) -> bool {
        self.flag(name).is_some_and(|v| v != "false")
    }

    fn format(&self) -> Result<Format, Output> {
        match self.flag("write-out").unwrap_or("simple") {
            "simple" => Ok(Format::Simple),
            "json" => Ok(Format::Json),
            "fields" => Ok(Format::Fields),
            "table" => Ok(Format::Table),
            "protobuf" => Ok(Format::Protobuf),
            other => Err(Output::error(
                EXIT_BAD_FEATURE,
                format!("unsupported output format {other}"),
            )),
        }
    }

    fn int_flag(&self, name: &str) -> Result<i64, Output> {
        match self.flag(name) {
            None => Ok(0),
            Some(v) => v.parse().map_err(|_| {
                Output::error(
                    EXIT_ERROR,
                    format!("invalid argument {} for \"--{name}\" flag: strconv.ParseInt: parsing {}: invalid syntax", go_quote(v), go_quote(v)),
                )
            }),
        }
    }
}

/// Split a line as a shell would (single and double quotes, backslashes).
fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => current.extend(chars.next()),
                        Some(other) => current.push(other),
                        None => {
                            return Err(format!("unexpected EOF while looking for matching `{c}'"))
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                current.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// Words into command words and flags, as pflag reads them (`--rev=3`, `--rev 3`, `-w json`).
fn parse(words: &[String]) -> Result<Line, Output> {
    let mut line = Line::default();
    let mut it = words.iter();
    while let Some(word) = it.next() {
        let (name, inline) = if let Some(long) = word.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if let Some(short) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            let (letter, rest) = short.split_at(short.chars().next().map_or(0, char::len_utf8));
            let long = match letter {
                "w" => "write-out",
                "h" => "help",
                "d" => "discovery-srv",
                _ => {
                    return Err(Output::error(
                        EXIT_ERROR,
                        format!("unknown shorthand flag: '{letter}' in {word}"),
                    ))
                }
            };
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            (
                long.to_string(),
                (!rest.is_empty()).then(|| rest.to_string()),
            )
        } else {
            line.words.push(word.clone());
            continue;
        };
        let value = if BOOL_FLAGS.contains(&name.as_str()) {
            inline.unwrap_or_else(|| "true".into())
        } else if VALUE_FLAGS.contains(&name.as_str()) {
            match inline.or_else(|| it.next().cloned()) {
                Some(v) => v,
                None => {
                    return Err(Output::error(
                        EXIT_ERROR,
                        format!("flag needs an argument: {word}"),
                    ))
                }
            }
        } else {
            return Err(Output::error(EXIT_ERROR, format!("unknown flag: --{name}")));
        };
        line.flags.push((name, value));
    }
    Ok(line)
}

/// Run one etcdctl command line (starting with `etcdctl`, possibly after `ETCDCTL_API=3`).
pub fn run(etcd: &mut Etcd, command_line: &str) -> Output {
    let words = match shell_words(command_line) {
        Ok(w) => w,
        Err(e) => return Output::error(EXIT_ERROR, e),
    };
    let words: Vec<String> = words
        .into_iter()
        .skip_while(|w| w.contains('=') && !w.starts_with('-'))
        .collect();
    let words = match words.split_first() {
        Some((first, rest)) if first == "etcdctl" => rest.to_vec(),
        _ => words,
    };
    let line = match parse(&words) {
        Ok(l) => l,
        Err(out) => return out,
    };
    let command: Vec<&str> = line.words.iter().map(String::as_str).collect();
    if line.bool_flag("help") || matches!(command.as_slice(), [] | ["help", ..]) {
        return Output::ok(format!("{HELP}\n"));
    }
    let format = match line.format() {
        Ok(f) => f,
        Err(out) => return out,
    };
    match command.as_slice() {
        ["get", args @ ..] => get(etcd, &line, args, format),
        ["endpoint", "status", ..] => endpoint_status(etcd, &line, format),
        ["endpoint", "health", ..] => endpoint_health(&line, format),
        ["member", "list", ..] => member_list(format),
        ["compaction", args @ ..] => compaction(etcd, &line, args),
        ["version", ..] => Output::ok(format!("etcdctl version: {VERSION}\nAPI version: 3.6\n")),
        [known @ ("put" | "del" | "txn" | "watch" | "lease" | "snapshot" | "defrag" | "alarm" | "auth"
        | "role" | "user" | "move-leader" | "elect" | "lock" | "make-mirror" | "check"
        | "downgrade" | "endpoint" | "member"), ..] => Output::error(
            EXIT_ERROR,
            format!("podlab's etcdctl does not model \"{known}\"; it reads the store the API server writes"),
        ),
        [other, ..] => Output {
            text: format!("Error: unknown command \"{other}\" for \"etcdctl\"\nRun 'etcdctl --help' for usage.\n"),
            exit_code: EXIT_ERROR,
        },
        [] => Output::ok(format!("{HELP}\n")),
    }
}

/// The response header every answer carries.
struct Header {
    revision: i64,
}

impl Header {
    fn json(&self) -> String {
        format!(
            "{{\"cluster_id\":{CLUSTER_ID},\"member_id\":{MEMBER_ID},\"revision\":{},\"raft_term\":{RAFT_TERM}}}",
            self.revision
        )
    }

    fn fields(&self) -> String {
        format!(
            "\"ClusterID\" : {CLUSTER_ID}\n\"MemberID\" : {MEMBER_ID}\n\"Revision\" : {}\n\"RaftTerm\" : {RAFT_TERM}\n",
            self.revision
        )
    }
}

/// The bytes the API server stored for an object: its JSON encoding and a newline, as
/// `json.NewEncoder(w).Encode(obj)` writes it.
pub fn stored_bytes(value: &Value) -> String {
    format!("{}\n", go_json(value))
}

/// Which keys a `get` reads.
enum Range {
    Key(String),
    Between(String, String),
    Prefix(String),
    FromKey(String),
}

impl Range {
    fn contains(&self, key: &str) -> bool {
        match self {
            Range::Key(k) => key == k,
            Range::Between(from, end) => key >= from.as_str() && key < end.as_str(),
            Range::Prefix(p) => key.starts_with(p.as_str()),
            Range::FromKey(from) => key >= from.as_str(),
        }
    }
}

/// getGetOp's argument checks.
fn range_of(line: &Line, args: &[&str]) -> Result<Range, Output> {
    let (prefix, from_key) = (line.bool_flag("prefix"), line.bool_flag("from-key"));
    let Some(key) = args.first() else {
        return Err(Output::error(
            EXIT_BAD_ARGS,
            "get command needs one argument as key and an optional argument as range_end",
        ));
    };
    if prefix && from_key {
        return Err(Output::error(
            EXIT_BAD_ARGS,
            "`--prefix` and `--from-key` cannot be set at the same time, choose one",
        ));
    }
    if line.bool_flag("keys-only") && line.bool_flag("count-only") {
        return Err(Output::error(
            EXIT_BAD_ARGS,
            "`--keys-only` and `--count-only` cannot be set at the same time, choose one",
        ));
    }
    if let Some(end) = args.get(1) {
        if prefix || from_key {
            return Err(Output::error(EXIT_BAD_ARGS, "too many arguments, only accept one argument when `--prefix` or `--from-key` is set"));
        }
        return Ok(Range::Between(key.to_string(), end.to_string()));
    }
    Ok(match (prefix, from_key) {
        (true, _) => Range::Prefix(key.to_string()),
        (_, true) => Range::FromKey(key.to_string()),
        _ => Range::Key(key.to_string()),
    })
}

/// mvcc's errors, as the server sends them.
fn read_error(e: ReadError) -> Output {
    match e {
        ReadError::Compacted { .. } => Output::error(
            EXIT_ERROR,
            "etcdserver: mvcc: required revision has been compacted",
        ),
        ReadError::FutureRevision { .. } => Output::error(
            EXIT_ERROR,
            "etcdserver: mvcc: required revision is a future revision",
        ),
    }
}

/// `--order` and `--sort-by` (a target other than KEY sorts ascending unless told otherwise).
fn sort(kvs: &mut [KeyValue], line: &Line) -> Result<(), Output> {
    let order = line.flag("order").unwrap_or_default().to_ascii_uppercase();
    let target = line
        .flag("sort-by")
        .unwrap_or_default()
        .to_ascii_uppercase();
    if !matches!(order.as_str(), "" | "ASCEND" | "DESCEND") {
        return Err(Output::error(
            EXIT_BAD_FEATURE,
            format!("bad sort order {}", line.flag("order").unwrap_or_default()),
        ));
    }
    match target.as_str() {
        "" | "KEY" => kvs.sort_by(|a, b| a.key.cmp(&b.key)),
        "CREATE" => kvs.sort_by_key(|kv| kv.create_revision),
        "MODIFY" => kvs.sort_by_key(|kv| kv.mod_revision),
        "VALUE" => kvs.sort_by_key(|kv| stored_bytes(&kv.value)),
        "VERSION" => kvs.sort_by_key(|kv| kv.version),
        _ => {
            return Err(Output::error(
                EXIT_BAD_FEATURE,
                format!(
                    "bad sort target {}",
                    line.flag("sort-by").unwrap_or_default()
                ),
            ))
        }
    }
    if order == "DESCEND" {
        kvs.reverse();
    }
    Ok(())
}

/// `etcdctl get`.
fn get(etcd: &Etcd, line: &Line, args: &[&str], format: Format) -> Output {
    let range = match range_of(line, args) {
        Ok(r) => r,
        Err(out) => return out,
    };
    let (rev, limit) = match (line.int_flag("rev"), line.int_flag("limit")) {
        (Ok(r), Ok(l)) => (r, l),
        (Err(out), _) | (_, Err(out)) => return out,
    };
    let at = if rev > 0 { rev } else { etcd.revision() };
    let mut kvs: Vec<KeyValue> = match etcd.range_at("", at) {
        Ok(all) => all
            .into_iter()
            .filter(|kv| range.contains(&kv.key))
            .collect(),
        Err(e) => return read_error(e),
    };
    if let Err(out) = sort(&mut kvs, line) {
        return out;
    }
    let count = kvs.len();
    let more = limit > 0 && count > limit as usize;
    if more {
        kvs.truncate(limit as usize);
    }
    let count_only = line.bool_flag("count-only");
    if count_only && format != Format::Fields {
        return Output::error(
            EXIT_BAD_ARGS,
            "--count-only is only for `--write-out=fields`",
        );
    }
    let value_only = line.bool_flag("print-value-only");
    if value_only && format != Format::Simple {
        return Output::error(
            EXIT_BAD_ARGS,
            "print-value-only is only for `--write-out=simple`",
        );
    }
    let shown = Shown {
        keys_only: line.bool_flag("keys-only"),
        count_only,
        hex: line.bool_flag("hex"),
    };
    let header = Header {
        revision: etcd.revision(),
    };
    match format {
        Format::Simple => Output::ok(simple_get(&kvs, &shown, value_only)),
        Format::Json => Output::ok(json_get(&header, &kvs, &shown, more, count)),
        Format::Fields => Output::ok(fields_get(&header, &kvs, &shown, more, count)),
        Format::Table => Output::error(EXIT_BAD_FEATURE, "table is not supported as output format"),
        Format::Protobuf => Output::error(EXIT_BAD_FEATURE, "podlab does not print protobuf"),
    }
}

/// What the request left out of each key-value (`--keys-only`, `--count-only`) and how it is
/// printed (`--hex`).
struct Shown {
    keys_only: bool,
    count_only: bool,
    hex: bool,
}

impl Shown {
    fn value(&self, kv: &KeyValue) -> String {
        if self.keys_only {
            String::new()
        } else {
            stored_bytes(&kv.value)
        }
    }
}

/// addHexPrefix(hex.EncodeToString(b)): `\x2f\x72…`.
fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("\\x{b:02x}")).collect()
}

/// printKV: the key, then the value, each on a line (`--print-value-only`: the value alone).
fn simple_get(kvs: &[KeyValue], shown: &Shown, value_only: bool) -> String {
    let mut out = String::new();
    for kv in kvs {
        let (key, value) = match shown.hex {
            true => (hex(&kv.key), hex(&shown.value(kv))),
            false => (kv.key.clone(), shown.value(kv)),
        };
        if !value_only {
            out.push_str(&key);
            out.push('\n');
        }
        out.push_str(&value);
        out.push('\n');
    }
    out
}

/// json.Marshal of the RangeResponse: `omitempty` fields, keys and values in base64.
fn json_get(header: &Header, kvs: &[KeyValue], shown: &Shown, more: bool, count: usize) -> String {
    let mut out = format!("{{\"header\":{}", header.json());
    if !kvs.is_empty() && !shown.count_only {
        let items: Vec<String> = kvs
            .iter()
            .map(|kv| {
                let mut item = format!(
                    "{{\"key\":\"{}\",\"create_revision\":{},\"mod_revision\":{},\"version\":{}",
                    BASE64.encode(kv.key.as_bytes()),
                    kv.create_revision,
                    kv.mod_revision,
                    kv.version
                );
                let value = shown.value(kv);
                if !value.is_empty() {
                    item.push_str(&format!(
                        ",\"value\":\"{}\"",
                        BASE64.encode(value.as_bytes())
                    ));
                }
                item.push('}');
                item
            })
            .collect();
        out.push_str(&format!(",\"kvs\":[{}]", items.join(",")));
    }
    if more {
        out.push_str(",\"more\":true");
    }
    if count > 0 {
        out.push_str(&format!(",\"count\":{count}"));
    }
    out.push_str("}\n");
    out
}

/// fieldsPrinter.Get.
fn fields_get(
    header: &Header,
    kvs: &[KeyValue],
    shown: &Shown,
    more: bool,
    count: usize,
) -> String {
    let mut out = header.fields();
    for kv in kvs.iter().filter(|_| !shown.count_only) {
        out.push_str(&format!("\"Key\" : {}\n", go_quote(&kv.key)));
        out.push_str(&format!("\"CreateRevision\" : {}\n", kv.create_revision));
        out.push_str(&format!("\"ModRevision\" : {}\n", kv.mod_revision));
        out.push_str(&format!("\"Version\" : {}\n", kv.version));
        out.push_str(&format!("\"Value\" : {}\n", go_quote(&shown.value(kv))));
        out.push_str("\"Lease\" : 0\n");
    }
    out.push_str(&format!("\"More\" : {more}\n\"Count\" : {count}\n"));
    out
}

/// `etcdctl compaction REV`: history up to REV is forgotten; reads at older revisions fail.
fn compaction(etcd: &mut Etcd, line: &Line, args: &[&str]) -> Output {
    let [rev] = args else {
        return Output::error(EXIT_BAD_ARGS, "compaction command needs 1 argument");
    };
    let Ok(rev) = rev.parse::<i64>() else {
        return Output::error(
            EXIT_ERROR,
            format!(
                "strconv.ParseInt: parsing {}: invalid syntax",
                go_quote(rev)
            ),
        );
    };
    let _physical = line.bool_flag("physical");
    if rev > etcd.revision() {
        return read_error(ReadError::FutureRevision {
            current: etcd.revision(),
        });
    }
    if rev <= etcd.compact_revision() {
        return read_error(ReadError::Compacted {
            compact_revision: etcd.compact_revision(),
        });
    }
    etcd.compact(rev);
    Output::ok(format!("compacted revision {rev}\n"))
}

/// The sizes `endpoint status` reports: the bbolt file (every kept revision, in whole pages, plus
/// the meta and freelist pages) and what the live keys use. A model: real sizes also count
/// leases, raft state and the B+tree's own pages.
struct DbSize {
    size: u64,
    in_use: u64,
}

fn db_size(etcd: &Etcd) -> DbSize {
    let bytes = |kv: &KeyValue| (kv.key.len() + stored_bytes(&kv.value).len()) as u64;
    let pages = |n: u64| n.div_ceil(PAGE) * PAGE + 4 * PAGE;
    let live: u64 = etcd.range("").into_iter().map(bytes).sum();
    let history: u64 = etcd.history_since_compaction().map(|e| bytes(&e.kv)).sum();
    DbSize {
        size: pages(live.max(history)),
        in_use: pages(live),
    }
}

/// go-humanize's Bytes: SI units, one decimal below 10.
fn humanize_bytes(n: u64) -> String {
    if n < 10 {
        return format!("{n} B");
    }
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let exponent = ((n as f64).ln() / 1000f64.ln()).floor() as usize;
    let exponent = exponent.min(units.len() - 1);
    let value = ((n as f64) / 1000f64.powi(exponent as i32) * 10.0 + 0.5).floor() / 10.0;
    let unit = units.get(exponent).copied().unwrap_or("EB");
    if value < 10.0 {
        format!("{value:.1} {unit}")
    } else {
        format!("{value:.0} {unit}")
    }
}

fn endpoint(line: &Line) -> String {
    line.flag("endpoints")
        .and_then(|e| e.split(',').next())
        .filter(|e| !e.is_empty())
        .unwrap_or(DEFAULT_ENDPOINT)
        .to_string()
}

/// `etcdctl endpoint status`: one member, the leader of its own cluster.
fn endpoint_status(etcd: &Etcd, line: &Line, format: Format) -> Output {
    let ep = endpoint(line);
    let sizes = db_size(etcd);
    let revision = etcd.revision();
    let raft_index = revision as u64;
    let percent_free = 100 - sizes.in_use * 100 / sizes.size.max(1);
    let row = vec![
        ep.clone(),
        format!("{MEMBER_ID:x}"),
        VERSION.to_string(),
        STORAGE_VERSION.to_string(),
        humanize_bytes(sizes.size),
        humanize_bytes(sizes.in_use),
        format!("{percent_free}%"),
        humanize_bytes(QUOTA_BYTES),
        "true".into(),
        "false".into(),
        RAFT_TERM.to_string(),
        raft_index.to_string(),
        raft_index.to_string(),
        String::new(),
        String::new(),
        "false".into(),
    ];
    let header = Header { revision };
    match format {
        Format::Simple => Output::ok(format!("{}\n", row.join(", "))),
        Format::Table => Output::ok(table(&STATUS_HEADER, &[row])),
        Format::Json => Output::ok(format!(
            "[{{\"Endpoint\":{},\"Status\":{{\"header\":{},\"version\":\"{VERSION}\",\"dbSize\":{},\"leader\":{MEMBER_ID},\"raftIndex\":{raft_index},\"raftTerm\":{RAFT_TERM},\"raftAppliedIndex\":{raft_index},\"dbSizeInUse\":{},\"storageVersion\":\"{STORAGE_VERSION}\",\"dbSizeQuota\":{QUOTA_BYTES},\"downgradeInfo\":{{}}}}}}]\n",
            go_json(&Value::String(ep)),
            header.json(),
            sizes.size,
            sizes.in_use
        )),
        Format::Fields => Output::ok(format!(
            "{}\"Version\" : \"{VERSION}\"\n\"DBSize\" : {}\n\"Leader\" : {MEMBER_ID}\n\"IsLearner\" : false\n\"RaftIndex\" : {raft_index}\n\"RaftTerm\" : {RAFT_TERM}\n\"RaftAppliedIndex\" : {raft_index}\n\"Errors\" : []\n\"Endpoint\" : {}\n\n",
            header.fields(),
            sizes.size,
            go_quote(&ep)
        )),
        Format::Protobuf => Output::error(EXIT_BAD_FEATURE, "only support simple or json as output format"),
    }
}

const STATUS_HEADER: [&str; 16] = [
    "endpoint",
    "ID",
    "version",
    "storage version",
    "db size",
    "in use",
    "percentage not in use",
    "quota",
    "is leader",
    "is learner",
    "raft term",
    "raft index",
    "raft applied index",
    "errors",
    "downgrade target version",
    "downgrade enabled",
];

/// olekukonko/tablewriter v0.0.5 as etcdctl sets it up: upper-case headers centred, cells aligned
/// right, `+---+` borders, one space of padding.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let titles: Vec<String> = header
        .iter()
        .map(|h| h.replace(['_', '.'], " ").trim().to_ascii_uppercase())
        .collect();
    let widths: Vec<usize> = (0..titles.len())
        .map(|i| {
            let cells = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count());
            cells
                .chain(std::iter::once(titles[i].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let border = format!(
        "+{}+\n",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+")
    );
    let centred = |text: &str, width: usize| {
        let gap = width.saturating_sub(text.chars().count());
        format!("{}{text}{}", " ".repeat(gap / 2), " ".repeat(gap - gap / 2))
    };
    let mut out = border.clone();
    let cells: Vec<String> = titles
        .iter()
        .zip(&widths)
        .map(|(t, w)| format!(" {} ", centred(t, *w)))
        .collect();
    out.push_str(&format!("|{}|\n", cells.join("|")));
    out.push_str(&border);
    for row in rows {
        let cells: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                format!(
                    " {:>w$} ",
                    row.get(i).map(String::as_str).unwrap_or_default(),
                    w = *w
                )
            })
            .collect();
        out.push_str(&format!("|{}|\n", cells.join("|")));
    }
    out.push_str(&border);
    out
}

/// `etcdctl endpoint health` (the time a real probe took varies; podlab's is fixed).
fn endpoint_health(line: &Line, format: Format) -> Output {
    let ep = endpoint(line);
    let took = "1.512ms";
    match format {
        Format::Json => Output::ok(format!(
            "[{{\"endpoint\":{},\"health\":true,\"took\":\"{took}\"}}]\n",
            go_json(&Value::String(ep))
        )),
        Format::Table => Output::ok(table(
            &["endpoint", "health", "took", "error"],
            &[vec![ep, "true".into(), took.into(), String::new()]],
        )),
        _ => Output::ok(format!(
            "{ep} is healthy: successfully committed proposal: took = {took}\n"
        )),
    }
}

/// `etcdctl member list`: kubeadm's single member, named after the control-plane node.
fn member_list(format: Format) -> Output {
    let row = vec![
        format!("{MEMBER_ID:x}"),
        "started".into(),
        "control-plane".into(),
        "https://172.18.0.2:2380".into(),
        "https://172.18.0.2:2379".into(),
        "false".into(),
    ];
    match format {
        Format::Table => Output::ok(table(&["ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"], &[row])),
        Format::Json => Output::ok(format!(
            "{{\"header\":{{\"cluster_id\":{CLUSTER_ID},\"member_id\":{MEMBER_ID},\"raft_term\":{RAFT_TERM}}},\"members\":[{{\"ID\":{MEMBER_ID},\"name\":\"control-plane\",\"peerURLs\":[\"https://172.18.0.2:2380\"],\"clientURLs\":[\"https://172.18.0.2:2379\"]}}]}}\n"
        )),
        _ => Output::ok(format!("{}\n", row.join(", "))),
    }
}

#[cfg(test)]
mod tests;
