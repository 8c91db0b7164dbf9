//! kubectl: parses a command line, talks to the API server as kubectl does (GET, POST, PATCH,
//! DELETE on the REST paths, under the user `kubernetes-admin`), and prints what kubectl prints,
//! with its exit code.

pub mod annotate;
pub mod api_resources;
pub mod api_versions;
pub mod apply;
pub mod args;
pub mod auth;
pub mod builder;
pub mod cli;
pub mod cluster_info;
pub mod create;
pub mod describe;
pub mod errors;
pub mod exec;
pub mod explain;
pub mod get;
pub mod get_flags;
pub mod label;
pub mod logs;
pub mod manifest;
pub mod patch;
pub mod printers;
pub mod rollout;
pub mod run;
pub mod scale;
pub mod session;
pub mod set;
pub mod sort;
pub mod version;

use crate::apiserver::resources::{self, ResourceInfo};
use crate::apiserver::{Impersonation, Request, Response, Verb};
use crate::client::Ctx;
use crate::cluster::CommandOutput;
use args::Args;

/// What a command produced: text, exit code, and objects whose deletion kubectl waits for; and,
/// while it runs, whom its requests act as (`--as`, `--as-group`).
#[derive(Debug, Default)]
pub struct Outcome {
    pub out: String,
    pub exit_code: i32,
    pub wait_for_deletion: Vec<(&'static ResourceInfo, Option<String>, String)>,
    /// The impersonation of the global `--as`/`--as-group` flags, sent with every request.
    pub impersonate: Option<Impersonation>,
    /// An object the command keeps watching after it returns (`rollout status`).
    pub wait_for: Option<rollout::WaitFor>,
}

impl Outcome {
    pub fn print(&mut self, s: impl AsRef<str>) {
        self.out.push_str(s.as_ref());
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    pub fn fail(&mut self, s: impl AsRef<str>) {
        self.print(s);
        self.exit_code = 1;
    }
}

/// The environment a command runs in.
pub struct Env<'a, 'b> {
    pub ctx: &'a mut Ctx<'b>,
    pub stdin: Option<&'a str>,
    pub read_file: &'a dyn Fn(&str) -> Option<String>,
    /// What the command printed so far.
    pub out: Outcome,
}

impl Env<'_, '_> {
    /// Send a request; the server's warnings are printed at once, as kubectl's warning handler
    /// writes them to stderr.
    pub fn send(&mut self, req: Request) -> Response {
        let resp = self.ctx.request(req);
        for w in &resp.warnings {
            self.out.print(format!("Warning: {w}"));
        }
        resp
    }

    pub fn now(&self) -> jiff::Timestamp {
        crate::sim::wall_clock(self.ctx.now)
    }

    pub fn request(&self, verb: Verb, info: &'static ResourceInfo, ns: Option<&str>) -> Request {
        Request::new(verb, info, "kubernetes-admin")
            .namespace(ns)
            .impersonate(self.out.impersonate.clone())
    }
}

/// Run one command line (`kubectl get pods`); `stdin` feeds `-f -`.
pub fn run(
    line: &str,
    stdin: Option<&str>,
    read_file: &dyn Fn(&str) -> Option<String>,
    ctx: &mut Ctx,
) -> CommandOutput {
    let outcome = run_outcome(line, stdin, read_file, ctx);
    CommandOutput {
        text: outcome.out,
        exit_code: outcome.exit_code,
    }
}

/// Like [`run`], also saying what the command waits for.
pub fn run_outcome(
    line: &str,
    stdin: Option<&str>,
    read_file: &dyn Fn(&str) -> Option<String>,
    ctx: &mut Ctx,
) -> Outcome {
    let mut out = Outcome::default();
    let words = match args::words(line) {
        Ok(w) => w,
        Err(e) => {
            out.fail(format!("error: {e}"));
            return out;
        }
    };
    let words: Vec<String> = match words.split_first() {
        Some((first, rest)) if first == "kubectl" => rest.to_vec(),
        _ => words,
    };
    // cobra's ArgsLenAtDash: whether the command line had `--` (exec's command follows it).
    let had_dashes = words.iter().any(|w| w == "--");
    let parsed = match Args::parse(&words) {
        Ok(a) => a,
        Err(e) => {
            let cmd = words.first().cloned().unwrap_or_default();
            out.fail(format!("error: {e}\nSee 'kubectl {cmd} --help' for usage."));
            return out;
        }
    };
    match auth::impersonation(&parsed) {
        Ok(impersonate) => out.impersonate = impersonate,
        Err(e) => {
            out.fail(e);
            return out;
        }
    }
    let mut env = Env {
        ctx,
        stdin,
        read_file,
        out,
    };
    let command = parsed.positional.first().cloned().unwrap_or_default();
    match command.as_str() {
        "apply" => apply::apply(&parsed, &mut env),
        "auth" => auth::auth(&parsed, &mut env),
        "create" => create::create(&parsed, &mut env),
        "get" => get::get(&parsed, &mut env),
        "describe" => get::describe(&parsed, &mut env),
        "delete" => get::delete(&parsed, &mut env),
        "patch" => patch::patch(&parsed, &mut env),
        "label" => label::label(&parsed, &mut env),
        "annotate" => annotate::annotate(&parsed, &mut env),
        "set" => set::set(&parsed, &mut env),
        "version" => version::version(&parsed, &mut env),
        "cluster-info" => cluster_info::cluster_info(&parsed, &mut env),
        "api-resources" => api_resources::api_resources(&parsed, &mut env),
        "api-versions" => api_versions::api_versions(&parsed, &mut env),
        "explain" => explain::explain(&parsed, &mut env),
        "logs" => logs::logs(&parsed, &mut env),
        "exec" => exec::exec(&parsed, had_dashes, &mut env),
        "scale" => scale::scale(&parsed, &mut env),
        "rollout" => rollout::rollout(&parsed, &mut env),
        "run" => run::run(&parsed, &mut env),
        "" => env.out.fail("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/"),
        // A real kubectl command podlab does not model: saying "unknown command" would teach
        // something false, so podlab says so in its own name.
        other if cli::top_level().contains(other) => env.out.fail(format!(
            "podlab: \"kubectl {other}\" is a real kubectl command that podlab does not simulate yet"
        )),
        other => env.out.fail(format!("error: unknown command \"{other}\" for \"kubectl\"")),
    }
    env.out
}

/// The namespace a command works in: `-n`, or `default`.
pub fn namespace_flag(args: &Args) -> String {
    args.flag("namespace").unwrap_or("default").to_string()
}

/// The resource a kubectl name (`po`, `pods`, `deploy`) means, or kubectl's error.
pub fn resolve(name: &str) -> Result<&'static ResourceInfo, String> {
    resources::for_kubectl(name)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{name}\""))
}

/// `pod/nginx`, `deployment.apps/web`: how kubectl names an object in its messages.
pub fn object_name(info: &ResourceInfo, name: &str) -> String {
    format!("{}/{name}", kind_label(info))
}

/// `pod`, `deployment.apps`: the resource with its group, as kubectl's messages name a kind.
pub fn kind_label(info: &ResourceInfo) -> String {
    if info.group.is_empty() {
        info.singular.to_string()
    } else {
        format!("{}.{}", info.singular, info.group)
    }
}

pub use crate::unstructured::str_at;
