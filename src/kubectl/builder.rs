//! The resource builder of `label`, `annotate` and `set image` (cli-runtime resource/builder.go
//! `ResourceTypeOrNameArgs`, `LabelSelectorParam`, `FilenameParam`, `Latest`): which objects a
//! command line names, fetched from the server, continuing past errors as `ContinueOnError`
//! does.

use serde_json::Value;

use super::args::Args;
use super::errors::status_message;
use super::{manifest, namespace_flag, resolve, str_at, Env};
use crate::apiserver::resources::{by_kind, ResourceInfo};
use crate::apiserver::Verb;

/// The builder's message for `<type> <type>/<name>` mixes.
const NO_SEPARATE_TYPE: &str = "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/// An object the command works on, as the server returned it.
#[derive(Debug, Clone)]
pub struct Found {
    pub info: &'static ResourceInfo,
    pub object: Value,
}

/// What the builder yields: the objects, the errors met on the way (in order), and whether a
/// single item was implied (one `TYPE NAME` or `TYPE/NAME`).
#[derive(Debug, Default)]
pub struct Visit {
    pub found: Vec<Found>,
    pub errors: Vec<String>,
    pub single: bool,
}

/// A request by name or by listing.
enum Wanted {
    Named(&'static ResourceInfo, String, Option<String>),
    Listed(&'static ResourceInfo),
}

/// Resolve and fetch the objects named by `resources` (the positional resource words) or `-f`.
/// A setup error (unknown type, bad form) is returned as `Err` with kubectl's full line.
pub fn visit(resources: &[String], args: &Args, env: &mut Env) -> Result<Visit, String> {
    let wanted = if args.has("filename") {
        from_files(args, env)?
    } else {
        from_args(resources, args)?
    };
    let single = wanted.len() == 1 && matches!(wanted.first(), Some(Wanted::Named(..)));
    let mut out = Visit {
        single,
        ..Visit::default()
    };
    for w in wanted {
        match w {
            Wanted::Named(info, name, ns) => fetch_named(info, &name, ns, args, env, &mut out),
            Wanted::Listed(info) => fetch_listed(info, args, env, &mut out),
        }
    }
    Ok(out)
}

/// `TYPE NAME...`, `TYPE/NAME...`, `TYPE` with `-l`/`--all`.
fn from_args(resources: &[String], args: &Args) -> Result<Vec<Wanted>, String> {
    if resources.iter().any(|w| w.contains('/')) {
        return resources
            .iter()
            .map(|w| match w.split_once('/') {
                Some((kind, name)) => Ok(Wanted::Named(resolve(kind)?, name.to_string(), None)),
                None => Err(format!("error: {NO_SEPARATE_TYPE}")),
            })
            .collect();
    }
    let Some((types, names)) = resources.split_first() else {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".into());
    };
    let infos = types
        .split(',')
        .filter(|t| !t.is_empty())
        .map(resolve)
        .collect::<Result<Vec<_>, _>>()?;
    let selecting = args.has("selector") || args.has("field-selector");
    if names.is_empty() {
        if !selecting && !args.bool_flag("all", false) {
            return Err("error: resource(s) were provided, but no name was specified".into());
        }
        return Ok(infos.into_iter().map(Wanted::Listed).collect());
    }
    if selecting {
        return Err("error: name cannot be provided when a selector is specified".into());
    }
    if infos.len() > 1 {
        return Err("error: you must specify only one resource".into());
    }
    Ok(infos
        .into_iter()
        .flat_map(|info| {
            names
                .iter()
                .map(move |n| Wanted::Named(info, n.clone(), None))
        })
        .collect())
}

/// The objects of `-f` manifests (their kind, name and own namespace).
fn from_files(args: &Args, env: &mut Env) -> Result<Vec<Wanted>, String> {
    let mut out = Vec::new();
    for file in args.all("filename") {
        let (source, text) = if file == "-" {
            ("STDIN".to_string(), env.stdin.map(str::to_string))
        } else {
            (file.clone(), (env.read_file)(&file))
        };
        let Some(text) = text else {
            return Err(format!("error: the path \"{file}\" does not exist"));
        };
        let docs = manifest::parse(&text, &source).map_err(|e| format!("error: {e}"))?;
        for doc in docs {
            let (api_version, kind) = (str_at(&doc, "/apiVersion"), str_at(&doc, "/kind"));
            let name = str_at(&doc, "/metadata/name").to_string();
            let info = by_kind(api_version, kind).ok_or_else(|| {
                format!("error: resource mapping not found for name: \"{name}\" namespace: \"\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first")
            })?;
            let ns =
                Some(str_at(&doc, "/metadata/namespace").to_string()).filter(|n| !n.is_empty());
            out.push(Wanted::Named(info, name, ns));
        }
    }
    Ok(out)
}

fn namespace_for(info: &ResourceInfo, own: Option<String>, args: &Args) -> Option<String> {
    info.namespaced
        .then(|| own.unwrap_or_else(|| namespace_flag(args)))
}

fn fetch_named(
    info: &'static ResourceInfo,
    name: &str,
    own_ns: Option<String>,
    args: &Args,
    env: &mut Env,
    out: &mut Visit,
) {
    let ns = namespace_for(info, own_ns, args);
    let req = env.request(Verb::Get, info, ns.as_deref()).name(name);
    let resp = env.send(req);
    if resp.is_success() {
        out.found.push(Found {
            info,
            object: resp.body,
        });
    } else {
        out.errors.push(status_message(&resp.body, None));
    }
}

fn fetch_listed(info: &'static ResourceInfo, args: &Args, env: &mut Env, out: &mut Visit) {
    let all_ns = args.bool_flag("all-namespaces", false);
    let ns = if all_ns {
        None
    } else {
        namespace_for(info, None, args)
    };
    let mut req = env.request(Verb::List, info, ns.as_deref());
    req.label_selector = args.flag("selector").map(str::to_string);
    req.field_selector = args.flag("field-selector").map(str::to_string);
    let resp = env.send(req);
    if !resp.is_success() {
        out.errors.push(status_message(&resp.body, None));
        return;
    }
    let items = resp
        .body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    out.found
        .extend(items.into_iter().map(|object| Found { info, object }));
}

/// How kubectl prints the errors a continue-on-error visit collected (cmdutil.CheckErr): one
/// error as `error: …` (a server error in its own form), several one per line without the
/// prefix (MultipleErrors with an empty prefix).
pub fn report_errors(errors: &[String], env: &mut Env) {
    match errors {
        [] => {}
        [one] => {
            if one.starts_with("error: ")
                || one.starts_with("Error from server")
                || one.starts_with("The ")
            {
                env.out.fail(one);
            } else {
                env.out.fail(format!("error: {one}"));
            }
        }
        many => {
            for e in many {
                env.out.fail(e);
            }
        }
    }
}

/// The annotation `--record` sets (cli-runtime record_flags.go `ChangeCauseAnnotation`).
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// The change cause `--record=true` records (record_flags.go `parseCommandArguments`): the
/// program, the arguments, then each flag as `--name=value` (credentials as `CLASSIFIED`).
/// podlab lists the flags in name order, kubectl in command-line order.
pub fn change_cause(args: &Args) -> Option<String> {
    if !args.bool_flag("record", false) {
        return None;
    }
    let mut text = String::from("kubectl");
    for word in &args.positional {
        text.push(' ');
        text.push_str(word);
    }
    for (name, values) in &args.flags {
        for value in values {
            let shown = if matches!(name.as_str(), "token" | "password") {
                "CLASSIFIED"
            } else {
                value.as_str()
            };
            text.push_str(&format!(" --{name}={shown}"));
        }
    }
    Some(text)
}

/// The resource words of `label`/`annotate`/`set image` and their `KEY=VALUE`/`KEY-` pairs
/// (cmdutil.GetResourcesAndPairs).
pub fn resources_and_pairs(
    args: &[String],
    pair_type: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for s in args {
        let is_pair = (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        match (pairs.is_empty(), is_pair) {
            (_, true) => pairs.push(s.clone()),
            (true, false) => resources.push(s.clone()),
            (false, false) => {
                return Err(format!(
                    "all resources must be specified before {pair_type} changes: {s}"
                ))
            }
        }
    }
    Ok((resources, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn pairs_follow_resources() {
        assert_eq!(
            resources_and_pairs(&s(&["pods", "web", "app=x", "tier-"]), "label"),
            Ok((s(&["pods", "web"]), s(&["app=x", "tier-"])))
        );
        assert_eq!(
            resources_and_pairs(&s(&["pods", "app=x", "web"]), "label"),
            Err("all resources must be specified before label changes: web".into())
        );
    }
}
