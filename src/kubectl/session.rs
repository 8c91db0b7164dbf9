//! kubectl's own part of a command, before and after the requests its command sends:
//!
//! 1. cobra finds the command and pflag checks its flags ([`super::cli`]): an unknown command or
//!    flag ends the run there, with kubectl's message and exit code 1;
//! 2. the manifest of `-f` is read and decoded (client side, before any request);
//! 3. discovery: kubectl maps resource names and kinds to REST paths with the API groups and
//!    resources the server lists. It keeps them in its disk cache
//!    (`~/.kube/cache/discovery/<host>/`, fresh for 6 hours: cli-runtime config_flags.go
//!    `ToDiscoveryClient`), so the first command of a session sends `GET /api` and `GET /apis`
//!    (aggregated discovery, client-go discovery_client.go) and later ones read the cache. A name
//!    the cached data does not know makes kubectl drop the cache and ask again
//!    (restmapper.DeferredDiscoveryRESTMapper) before it answers `the server doesn't have a
//!    resource type`;
//! 4. OpenAPI v3: before sending an object (`apply`, `create -f`) kubectl checks that the server
//!    validates fields itself (resource.QueryParamVerifierV3: `GET /openapi/v3`, then the
//!    group/version's document, which its HTTP cache keeps since its URL carries a hash);
//!    `kubectl explain` reads the same documents;
//! 5. the command itself runs ([`super::run_outcome`]); each request line it sends is traced with
//!    its headers (Content-Type), and the status of the last answer is traced with the one line
//!    kubectl printed for it.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{args, cli, manifest, Outcome};
use crate::apiserver::discovery::{self, AGGREGATED_ACCEPT};
use crate::apiserver::resources::{self, ResourceInfo};
use crate::apiserver::ApiServer;
use crate::client::Ctx;
use crate::sim::{Actor, Millis, Rng, Trace, TraceEntry};

/// The kubeconfig's server: the API server as kubectl reaches it.
pub const SERVER_URL: &str = "https://127.0.0.1:6443";

/// Where kubectl keeps discovery for that server (`computeDiscoverCacheDir`: the host with `:`
/// turned into `_`).
pub const DISCOVERY_CACHE_DIR: &str = "~/.kube/cache/discovery/127.0.0.1_6443";

/// How long cached discovery stays fresh (6 hours).
const DISCOVERY_TTL: Millis = 6 * 60 * 60 * 1000;

/// What kubectl keeps between commands: its discovery cache and its HTTP cache of OpenAPI v3
/// documents (both on disk in real life, so they outlive each kubectl process).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KubectlState {
    /// When discovery was last written to the disk cache (virtual time), if ever.
    discovery_written_at: Option<Millis>,
    /// Whether the OpenAPI v3 index has been fetched (later fetches revalidate it: 304).
    openapi_index_cached: bool,
    /// OpenAPI v3 documents in the HTTP cache, by path (`api/v1`).
    openapi_documents: BTreeSet<String>,
}

/// The parts of the cluster a kubectl command talks to.
pub struct Wiring<'a> {
    pub now: Millis,
    pub api: &'a mut ApiServer,
    pub trace: &'a mut Trace,
    pub rng: &'a mut Rng,
}

/// What kubectl does on its own before the command's requests.
#[derive(Debug, Default)]
struct Plan {
    /// The resource names and kinds the command maps (`pods`, `deployment.apps`, `Pod v1`).
    names: Vec<String>,
    /// Manifest objects as (apiVersion, kind, name).
    kinds: Vec<(String, String, String)>,
    /// Whether the command needs the REST mapping (and so discovery).
    maps: bool,
    /// Whether discovery is read fresh from the server (`api-resources`, `api-versions`).
    fresh_discovery: bool,
    /// Whether kubectl fetches `/version`.
    version: bool,
    /// Whether the OpenAPI v3 documents of the mapped group/versions are read.
    openapi: bool,
}

/// Run one kubectl command line against the cluster, with kubectl's own steps traced.
pub fn run(
    state: &mut KubectlState,
    wiring: Wiring,
    line: &str,
    stdin: Option<&str>,
    read_file: &dyn Fn(&str) -> Option<String>,
) -> Outcome {
    let Wiring {
        now,
        api,
        trace,
        rng,
    } = wiring;
    let words = match args::words(line) {
        Ok(w) => strip_kubectl(w),
        Err(_) => return delegate(now, api, trace, rng, line, stdin, read_file),
    };
    let path = match command_of(&words) {
        Ok(Some(path)) => path,
        Ok(None) => return delegate(now, api, trace, rng, line, stdin, read_file),
        Err(outcome) => return *outcome,
    };
    if let Err(e) = cli::check_flags(&path, &words) {
        let mut out = Outcome::default();
        out.fail(format!(
            "error: {e}\nSee '{} --help' for usage.",
            cli::command_path(&path)
        ));
        return out;
    }
    let parsed = args::Args::parse(&words).unwrap_or_default();
    if let Err(e) = check_directives(&path, &parsed) {
        let mut out = Outcome::default();
        out.fail(e);
        return out;
    }
    let plan = plan(&path, &parsed, stdin, read_file);
    let mut steps = Steps {
        state,
        api,
        trace,
        now,
    };
    steps.client_side(&plan);
    let start = steps.trace.len();
    let mut scratch = Trace::default();
    let outcome = {
        let mut ctx = Ctx::new(now, Actor::Kubectl, steps.api, &mut scratch, rng);
        super::run_outcome(line, stdin, read_file, &mut ctx)
    };
    replay(&scratch, steps.trace, &path, &parsed);
    answer(steps.trace, start, now, &outcome);
    let mut outcome = outcome;
    if parsed.has("record") && cli::kind_of(&path, "record").is_some() {
        // pflag warns about a deprecated flag while parsing, before the command runs.
        outcome.out.insert_str(0, RECORD_DEPRECATED);
    }
    outcome
}

/// What pflag prints when `--record` is used (cli-runtime record_flags.go marks it deprecated).
const RECORD_DEPRECATED: &str =
    "Flag --record has been deprecated, --record will be removed in the future\n";

/// The command line without a leading `kubectl`.
fn strip_kubectl(words: Vec<String>) -> Vec<String> {
    match words.split_first() {
        Some((first, rest)) if first == "kubectl" => rest.to_vec(),
        _ => words,
    }
}

/// The command a line names; `Ok(None)` for a line with no command word (kubectl's help);
/// `Err` with kubectl's answer for an unknown command.
fn command_of(words: &[String]) -> Result<Option<Vec<&'static str>>, Box<Outcome>> {
    let first = cli::positionals(&[], words);
    let Some(typed) = first.first() else {
        return Ok(None);
    };
    let Some((path, _)) = cli::resolve_command(&first) else {
        let mut out = Outcome::default();
        out.fail(format!("error: {}", cli::unknown_command(typed)));
        return Err(Box::new(out));
    };
    let again = cli::positionals(&path, words);
    Ok(Some(
        cli::resolve_command(&again).map(|(p, _)| p).unwrap_or(path),
    ))
}

/// The values of `--dry-run` and `--validate`, checked as kubectl's `Complete` does before any
/// request (cmdutil.GetDryRunStrategy, cmdutil.GetValidationDirective).
fn check_directives(path: &[&str], parsed: &args::Args) -> Result<(), String> {
    if cli::kind_of(path, "dry-run").is_some() {
        if let Some(v) = parsed.flag("dry-run") {
            if !matches!(v, "client" | "server" | "none") {
                return Err(format!(
                    "error: Invalid dry-run value ({v}). Must be \"none\", \"server\", or \"client\"."
                ));
            }
        }
    }
    if cli::kind_of(path, "validate").is_some() {
        if let Some(v) = parsed.flag("validate") {
            let boolean = matches!(
                v,
                "1" | "t"
                    | "T"
                    | "true"
                    | "TRUE"
                    | "True"
                    | "0"
                    | "f"
                    | "F"
                    | "false"
                    | "FALSE"
                    | "False"
            );
            if !boolean && !matches!(v, "strict" | "warn" | "ignore") {
                return Err(format!("error: invalid - validate option \"{v}\"; must be one of: strict (or true), warn, ignore (or false)"));
            }
        }
    }
    Ok(())
}

/// Run the command without kubectl's own steps (a line that is not a command).
fn delegate(
    now: Millis,
    api: &mut ApiServer,
    trace: &mut Trace,
    rng: &mut Rng,
    line: &str,
    stdin: Option<&str>,
    read_file: &dyn Fn(&str) -> Option<String>,
) -> Outcome {
    let mut ctx = Ctx::new(now, Actor::Kubectl, api, trace, rng);
    super::run_outcome(line, stdin, read_file, &mut ctx)
}

/// The commands that find their objects through the resource builder (and so need the REST
/// mapping), with where their resource arguments start.
fn maps_resources(path: &[&str]) -> bool {
    matches!(
        path,
        ["get" | "describe" | "delete" | "label" | "annotate" | "patch" | "scale" | "apply"]
            | ["explain" | "cluster-info" | "rollout" | "logs" | "exec" | "wait" | "edit"]
            | ["replace" | "expose" | "autoscale" | "cordon" | "uncordon" | "drain" | "taint"]
            | ["attach" | "port-forward" | "debug" | "events"]
            | ["set", "image" | "resources"]
            | ["rollout", _]
            | ["create"]
    )
}

/// The resource words of a command (`pods,svc`, `deployment/web`, `pod.spec` for explain).
fn resource_words(path: &[&str], parsed: &args::Args) -> Vec<String> {
    let rest: Vec<&String> = parsed.positional.iter().skip(path.len()).collect();
    let types = |w: &str| -> Vec<String> {
        match w.split_once('/') {
            Some((kind, _)) => vec![kind.to_string()],
            None => w
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        }
    };
    match path {
        ["explain"] => rest
            .first()
            .map(|w| vec![w.split('.').next().unwrap_or_default().to_string()])
            .unwrap_or_default(),
        ["cluster-info"] => vec!["services".into()],
        ["logs" | "exec" | "attach" | "port-forward"] => match rest.first() {
            Some(w) if w.contains('/') => types(w),
            _ => vec!["pods".into()],
        },
        ["label" | "annotate"] | ["set", "image"] => {
            let resources: Vec<&&String> = rest
                .iter()
                .take_while(|w| !(w.contains('=') || w.ends_with('-')))
                .collect();
            match resources.first() {
                Some(first) if !first.contains('/') => types(first),
                _ => resources.iter().flat_map(|w| types(w)).collect(),
            }
        }
        _ => {
            if rest.iter().any(|w| w.contains('/')) {
                rest.iter().flat_map(|w| types(w)).collect()
            } else {
                rest.first().map(|w| types(w)).unwrap_or_default()
            }
        }
    }
}

/// Read the manifests of `-f` as kubectl's builder does, for their kinds.
fn manifest_kinds(
    parsed: &args::Args,
    stdin: Option<&str>,
    read_file: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for file in parsed.all("filename") {
        let (source, text) = if file == "-" {
            ("STDIN".to_string(), stdin.map(str::to_string))
        } else {
            (file.clone(), read_file(&file))
        };
        let Some(text) = text else { continue };
        let Ok(docs) = manifest::parse(&text, &source) else {
            continue;
        };
        for doc in docs {
            let s = |p: &str| {
                doc.pointer(p)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            out.push((s("/apiVersion"), s("/kind"), s("/metadata/name")));
        }
    }
    out
}

/// What kubectl does on its own for `path`.
fn plan(
    path: &[&str],
    parsed: &args::Args,
    stdin: Option<&str>,
    read_file: &dyn Fn(&str) -> Option<String>,
) -> Plan {
    let mut plan = Plan::default();
    match path {
        ["api-resources"] => plan.fresh_discovery = !parsed.bool_flag("cached", false),
        ["api-versions"] => plan.fresh_discovery = true,
        ["version"] => plan.version = !parsed.bool_flag("client", false),
        _ => {}
    }
    if parsed.has("filename")
        && matches!(
            path,
            ["apply"
                | "create"
                | "delete"
                | "get"
                | "describe"
                | "label"
                | "annotate"
                | "patch"
                | "scale"]
                | ["set", "image"]
        )
    {
        plan.kinds = manifest_kinds(parsed, stdin, read_file);
        plan.maps = !plan.kinds.is_empty();
        let validate = parsed.flag("validate").unwrap_or("strict");
        plan.openapi = matches!(path, ["apply" | "create"])
            && !matches!(validate, "false" | "ignore")
            && parsed.flag("dry-run") != Some("client");
    } else if maps_resources(path) && path != ["create"] {
        plan.names = resource_words(path, parsed);
        plan.maps = !plan.names.is_empty() || path == ["cluster-info"];
        plan.openapi = path == ["explain"];
    }
    plan
}

/// kubectl's own steps, traced into the cluster's trace.
struct Steps<'a, 'b> {
    state: &'a mut KubectlState,
    api: &'b mut ApiServer,
    trace: &'b mut Trace,
    now: Millis,
}

impl Steps<'_, '_> {
    fn note(&mut self, action: &str, object: &str, detail: String) {
        let revision = self.api.etcd().revision();
        self.trace.push(TraceEntry {
            at: self.now,
            from: Actor::Kubectl,
            to: Actor::Kubectl,
            action: action.to_string(),
            object: object.to_string(),
            detail,
            revision,
        });
    }

    fn get(&mut self, path: &str, header: &str) -> u16 {
        let resp = self.api.serve_non_resource(
            path,
            header,
            "kubernetes-admin",
            self.now,
            self.trace,
            &Actor::Kubectl,
        );
        resp.code
    }

    fn client_side(&mut self, plan: &Plan) {
        if !plan.kinds.is_empty() {
            let objects: Vec<String> = plan
                .kinds
                .iter()
                .map(|(_, kind, name)| format!("{kind}/{name}"))
                .collect();
            self.note(
                "read manifest",
                "",
                format!(
                    "decoded {} object(s) from YAML to JSON: {}",
                    objects.len(),
                    objects.join(", ")
                ),
            );
        }
        if plan.version {
            self.get("/version", "Accept: application/json, */*");
        }
        if plan.fresh_discovery {
            self.note(
                "discovery",
                "",
                format!("invalidate the cache in {DISCOVERY_CACHE_DIR}: this command always asks the server"),
            );
            self.fetch_discovery();
        }
        if plan.maps {
            let fetched = self.ensure_discovery();
            self.map_all(plan, fetched);
        }
        if plan.openapi {
            self.openapi(plan);
        }
    }

    /// Use the disk cache if fresh, else fetch; true when discovery was fetched now.
    fn ensure_discovery(&mut self) -> bool {
        let fresh = self
            .state
            .discovery_written_at
            .is_some_and(|at| self.now.saturating_sub(at) < DISCOVERY_TTL);
        if fresh {
            self.note(
                "discovery",
                "",
                format!("read from the disk cache {DISCOVERY_CACHE_DIR}/servergroups.json and its group/version files (fresh for 6h)"),
            );
            false
        } else {
            self.fetch_discovery();
            true
        }
    }

    fn fetch_discovery(&mut self) {
        let header = format!("Accept: {AGGREGATED_ACCEPT}");
        self.get("/api", &header);
        self.get("/apis", &header);
        self.state.discovery_written_at = Some(self.now);
        self.note(
            "discovery",
            "",
            format!("write {DISCOVERY_CACHE_DIR}/servergroups.json and one serverresources.json per group/version"),
        );
    }

    /// Map every name and kind; an unknown one makes kubectl refetch stale cached data once.
    fn map_all(&mut self, plan: &Plan, fetched: bool) {
        let mut refetched = fetched;
        for name in &plan.names {
            let found = resources::for_kubectl(name);
            if found.is_none() && !refetched {
                self.note("RESTMapper", name, format!("no resource \"{name}\" in the cached discovery: invalidate the cache and ask again"));
                self.fetch_discovery();
                refetched = true;
            }
            match resources::for_kubectl(name) {
                Some(info) => self.note("RESTMapper", name, mapping_text(info)),
                None => self.note(
                    "RESTMapper",
                    name,
                    format!("the server doesn't have a resource type \"{name}\""),
                ),
            }
        }
        for (api_version, kind, name) in &plan.kinds {
            let found = resources::by_kind(api_version, kind);
            if found.is_none() && !refetched && !kind.is_empty() {
                self.note("RESTMapper", kind, format!("no kind \"{kind}\" in version \"{api_version}\" in the cached discovery: invalidate the cache and ask again"));
                self.fetch_discovery();
                refetched = true;
            }
            match resources::by_kind(api_version, kind) {
                Some(info) => {
                    self.note("RESTMapper", &format!("{kind}/{name}"), mapping_text(info))
                }
                None => self.note(
                    "RESTMapper",
                    &format!("{kind}/{name}"),
                    format!("no matches for kind \"{kind}\" in version \"{api_version}\""),
                ),
            }
        }
    }

    /// `GET /openapi/v3` (revalidated after the first time) and each group/version's document
    /// (from the HTTP cache once fetched).
    fn openapi(&mut self, plan: &Plan) {
        let mut gvs: Vec<(String, String)> = Vec::new();
        let infos: Vec<&ResourceInfo> = plan
            .names
            .iter()
            .filter_map(|n| resources::for_kubectl(n))
            .chain(
                plan.kinds
                    .iter()
                    .filter_map(|(v, k, _)| resources::by_kind(v, k)),
            )
            .collect();
        for info in infos {
            let gv = (info.group.to_string(), info.version.to_string());
            if !gvs.contains(&gv) {
                gvs.push(gv);
            }
        }
        if gvs.is_empty() {
            return;
        }
        let header = if self.state.openapi_index_cached {
            format!(
                "Accept: application/json · If-None-Match: \"{}\"",
                discovery::openapi_index_etag()
            )
        } else {
            "Accept: application/json".to_string()
        };
        self.get("/openapi/v3", &header);
        self.state.openapi_index_cached = true;
        for (group, version) in gvs {
            let path = discovery::openapi_path(&group, &version);
            if self.state.openapi_documents.contains(&path) {
                self.note(
                    "OpenAPI v3",
                    &path,
                    format!("{} from the HTTP cache (~/.kube/cache/http): the hash in its URL has not changed", discovery::openapi_url(&group, &version)),
                );
            } else {
                self.get(
                    &discovery::openapi_url(&group, &version),
                    "Accept: application/json",
                );
                self.state.openapi_documents.insert(path);
            }
        }
        if !plan.kinds.is_empty() {
            self.note(
                "field validation",
                "",
                "the server validates fields itself (the PATCH operations accept fieldValidation): no client-side schema check".into(),
            );
        }
    }
}

/// How a RESTMapping reads in the trace.
fn mapping_text(info: &ResourceInfo) -> String {
    let scope = if info.namespaced {
        "namespaced"
    } else {
        "cluster-scoped"
    };
    format!(
        "{} {} → resource {} ({scope}), {}",
        info.api_version(),
        info.kind,
        info.qualified_plural(),
        info.collection_path(info.namespaced.then_some("{namespace}"))
    )
}

/// The Content-Type kubectl sends with a request body, by command.
fn content_type(method: &str, path: &[&str], parsed: &args::Args) -> &'static str {
    if method != "PATCH" {
        return "application/json";
    }
    match path {
        ["apply"] if parsed.bool_flag("server-side", false) => "application/apply-patch+yaml",
        ["label" | "annotate" | "scale"] => "application/merge-patch+json",
        ["patch"] => match parsed.flag("type").unwrap_or("strategic") {
            "merge" => "application/merge-patch+json",
            "json" => "application/json-patch+json",
            _ => "application/strategic-merge-patch+json",
        },
        _ => "application/strategic-merge-patch+json",
    }
}

/// Copy the command's trace into the cluster's, adding kubectl's request headers to each
/// request line it sent with a body.
fn replay(scratch: &Trace, trace: &mut Trace, path: &[&str], parsed: &args::Args) {
    for entry in scratch.entries() {
        let mut entry = entry.clone();
        if entry.from == Actor::Kubectl && entry.to == Actor::ApiServer {
            let method = entry
                .action
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_string();
            if matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
                entry.detail = format!(
                    "Content-Type: {} · body: {}",
                    content_type(&method, path, parsed),
                    entry.detail
                );
            }
        }
        trace.push(entry);
    }
}

/// The last status kubectl received and the line it printed for it.
fn answer(trace: &mut Trace, start: usize, now: Millis, outcome: &Outcome) {
    let status = trace.entries()[start.min(trace.len())..]
        .iter()
        .rev()
        .find(|e| {
            e.from == Actor::ApiServer
                && e.to == Actor::Kubectl
                && e.action.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .map(|e| e.action.clone());
    let first_line = outcome.out.lines().next().unwrap_or_default().to_string();
    let revision = trace.entries().last().map(|e| e.revision).unwrap_or(0);
    let detail = match status {
        Some(s) => format!("{s} → {first_line}"),
        None => first_line,
    };
    trace.push(TraceEntry {
        at: now,
        from: Actor::Kubectl,
        to: Actor::Kubectl,
        action: format!("exit {}", outcome.exit_code),
        object: String::new(),
        detail,
        revision,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        args::words(s).unwrap()
    }

    #[test]
    fn resource_words_per_command() {
        let p = args::Args::parse(&w("label pods web app=x")).unwrap();
        assert_eq!(resource_words(&["label"], &p), vec!["pods"]);
        let p = args::Args::parse(&w("get pods,svc -o wide")).unwrap();
        assert_eq!(resource_words(&["get"], &p), vec!["pods", "svc"]);
        let p = args::Args::parse(&w("get pod/a deploy/b")).unwrap();
        assert_eq!(resource_words(&["get"], &p), vec!["pod", "deploy"]);
        let p = args::Args::parse(&w("explain pods.spec.containers")).unwrap();
        assert_eq!(resource_words(&["explain"], &p), vec!["pods"]);
        let p = args::Args::parse(&w("set image deployment/web web=nginx:1.28")).unwrap();
        assert_eq!(resource_words(&["set", "image"], &p), vec!["deployment"]);
    }

    #[test]
    fn unknown_commands_answer_before_anything_else() {
        let err = command_of(&w("gat pods")).unwrap_err();
        assert_eq!(err.exit_code, 1);
        assert_eq!(
            err.out,
            "error: unknown command \"gat\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tset\n\twait\n"
        );
        assert_eq!(command_of(&w("-n x")).unwrap(), None);
    }

    #[test]
    fn patch_content_types() {
        let p = args::Args::parse(&w("patch pod x -p {} --type merge")).unwrap();
        assert_eq!(
            content_type("PATCH", &["patch"], &p),
            "application/merge-patch+json"
        );
        let p = args::Args::parse(&w("apply -f x")).unwrap();
        assert_eq!(
            content_type("PATCH", &["apply"], &p),
            "application/strategic-merge-patch+json"
        );
        assert_eq!(content_type("POST", &["apply"], &p), "application/json");
    }
}
