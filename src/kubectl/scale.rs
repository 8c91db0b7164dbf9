//! `kubectl scale [--resource-version=V] [--current-replicas=N] --replicas=N (-f FILE | TYPE NAME
//! | TYPE/NAME ...)` (staging/src/k8s.io/kubectl/pkg/cmd/scale and pkg/scale): the objects are
//! fetched first, then each is scaled through its `scale` subresource, with a merge patch of
//! `spec.replicas` or, when a precondition is given, a GET and a PUT of the Scale.

use serde_json::{json, Value};

use super::args::Args;
use super::errors::status_message;
use super::{namespace_flag, object_name, resolve, str_at, Env};
use crate::apiserver::resources::{by_kind, ResourceInfo};
use crate::apiserver::{PatchType, Verb};

/// The resource builder's answer to a command without objects.
const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// What to scale: the resource and the object's name.
struct Target {
    info: &'static ResourceInfo,
    name: String,
}

/// An integer flag as pflag parses it (`strconv.ParseInt` for an `int` flag).
fn int_flag(args: &Args, name: &str) -> Result<Option<i64>, String> {
    match args.flag(name) {
        None => Ok(None),
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
            format!("error: invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax")
        }),
    }
}

/// The preconditions (`ScalePrecondition`): current size and resource version, when given.
struct Precondition {
    size: Option<i64>,
    resource_version: Option<String>,
}

impl Precondition {
    /// `ScalePrecondition.validate` against the live Scale.
    fn check(&self, scale: &Value) -> Result<(), String> {
        let replicas = scale
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if let Some(size) = self.size.filter(|s| *s != replicas) {
            return Err(format!(
                "error: Expected replicas to be {size}, was {replicas}"
            ));
        }
        let rv = str_at(scale, "/metadata/resourceVersion");
        if let Some(want) = self.resource_version.as_deref().filter(|w| *w != rv) {
            return Err(format!(
                "error: Expected resource version to be {want}, was {rv}"
            ));
        }
        Ok(())
    }

    fn is_set(&self) -> bool {
        self.size.is_some() || self.resource_version.is_some()
    }
}

/// `TYPE NAME...`, `TYPE/NAME...` or `-f FILE`, as the resource builder reads them.
fn targets(args: &Args, env: &mut Env) -> Result<Vec<Target>, String> {
    if args.has("filename") {
        let Some(docs) = super::apply::read_manifests(args, env) else {
            return Ok(Vec::new());
        };
        return Ok(docs
            .iter()
            .filter_map(|(_, d)| {
                let info = by_kind(str_at(d, "/apiVersion"), str_at(d, "/kind"))?;
                Some(Target {
                    info,
                    name: str_at(d, "/metadata/name").to_string(),
                })
            })
            .collect());
    }
    let words = args.positional.get(1..).unwrap_or_default();
    if words.iter().any(|w| w.contains('/')) {
        return words
            .iter()
            .map(|w| match w.split_once('/') {
                Some((kind, name)) => Ok(Target { info: resolve(kind)?, name: name.to_string() }),
                None => Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string()),
            })
            .collect();
    }
    let Some((kinds, names)) = words.split_first() else {
        return Err(NO_RESOURCES.into());
    };
    let mut out = Vec::new();
    for kind in kinds.split(',').filter(|k| !k.is_empty()) {
        let info = resolve(kind)?;
        if names.is_empty() {
            out.extend(listed(info, args, env)?);
        }
        out.extend(names.iter().map(|n| Target {
            info,
            name: n.clone(),
        }));
    }
    Ok(out)
}

/// `--all` or `-l`: the objects of the type in the namespace.
fn listed(info: &'static ResourceInfo, args: &Args, env: &mut Env) -> Result<Vec<Target>, String> {
    if !args.bool_flag("all", false) && !args.has("selector") {
        return Err("error: resource(s) were provided, but no name was specified".into());
    }
    let ns = namespace_flag(args);
    let mut req = env.request(Verb::List, info, Some(&ns));
    req.label_selector = args.flag("selector").map(str::to_string);
    let resp = env.send(req);
    if !resp.is_success() {
        return Err(status_message(&resp.body, None));
    }
    let items = resp
        .body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(items
        .iter()
        .map(|o| Target {
            info,
            name: str_at(o, "/metadata/name").to_string(),
        })
        .collect())
}

pub fn scale(args: &Args, env: &mut Env) {
    let Some(replicas) = args.flag("replicas").map(|_| int_flag(args, "replicas")) else {
        env.out.fail("error: required flag(s) \"replicas\" not set");
        return;
    };
    let (replicas, current) = match (replicas, int_flag(args, "current-replicas")) {
        (Ok(r), Ok(c)) => (r.unwrap_or(0), c.unwrap_or(-1)),
        (Err(e), _) | (_, Err(e)) => {
            env.out.fail(e);
            return;
        }
    };
    if replicas < 0 {
        env.out.fail("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
        return;
    }
    if current < -1 {
        env.out
            .fail("error: The --current-replicas must specify an integer of -1 or greater");
        return;
    }
    let precondition = Precondition {
        size: (current != -1).then_some(current),
        resource_version: args
            .flag("resource-version")
            .filter(|v| !v.is_empty())
            .map(str::to_string),
    };
    let targets = match targets(args, env) {
        Ok(t) => t,
        Err(e) => {
            env.out.fail(e);
            return;
        }
    };
    if env.out.exit_code != 0 {
        return;
    }
    if precondition.resource_version.is_some() && targets.len() > 1 {
        env.out
            .fail("error: cannot use --resource-version with multiple resources");
        return;
    }
    // The builder fetches every object before any is scaled; a missing one is reported at the
    // end, after the others were scaled.
    let ns = namespace_flag(args);
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for t in targets {
        let ns = t.info.namespaced.then_some(ns.as_str());
        let resp = env.send(env.request(Verb::Get, t.info, ns).name(&t.name));
        if resp.is_success() {
            found.push(t);
        } else {
            missing.push(status_message(&resp.body, None));
        }
    }
    if found.is_empty() && missing.is_empty() {
        env.out.fail("error: no objects passed to scale");
        return;
    }
    for t in &found {
        if let Err(e) = scale_one(t, replicas, &precondition, args, env) {
            env.out.fail(e);
            return;
        }
    }
    for m in missing {
        env.out.fail(m);
    }
}

/// `ScaleSimple` for one object, then kubectl's `scaled` line.
fn scale_one(
    t: &Target,
    replicas: i64,
    precondition: &Precondition,
    args: &Args,
    env: &mut Env,
) -> Result<(), String> {
    let ns = namespace_flag(args);
    let ns = t.info.namespaced.then_some(ns.as_str());
    let dry_run = args.flag("dry-run").unwrap_or("none");
    let label = object_name(t.info, &t.name);
    if dry_run == "client" {
        print_scaled(&label, " (dry run)", args, env);
        return Ok(());
    }
    let resp = if precondition.is_set() {
        let get = env
            .request(Verb::Get, t.info, ns)
            .name(&t.name)
            .subresource("scale");
        let live = env.send(get);
        if !live.is_success() {
            return Err(status_message(&live.body, None));
        }
        precondition.check(&live.body)?;
        let mut scale = live.body;
        scale["spec"]["replicas"] = json!(replicas);
        let mut put = env
            .request(Verb::Update, t.info, ns)
            .name(&t.name)
            .subresource("scale")
            .body(scale);
        put.dry_run = dry_run == "server";
        env.send(put)
    } else {
        let patch = json!({"spec": {"replicas": replicas}});
        let mut req = env
            .request(Verb::Patch(PatchType::Merge), t.info, ns)
            .name(&t.name)
            .subresource("scale")
            .body(patch);
        req.dry_run = dry_run == "server";
        env.send(req)
    };
    if !resp.is_success() {
        return Err(status_message(&resp.body, None));
    }
    let suffix = if dry_run == "server" {
        " (server dry run)"
    } else {
        ""
    };
    print_scaled(&label, suffix, args, env);
    Ok(())
}

/// The `scaled` operation printer, or just the name with `-o name`.
fn print_scaled(label: &str, suffix: &str, args: &Args, env: &mut Env) {
    if args.flag("output") == Some("name") {
        env.out.print(label);
    } else {
        env.out.print(format!("{label} scaled{suffix}"));
    }
}
