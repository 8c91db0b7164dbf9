//! `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json] [--subresource status]`.

use serde_json::Value;

use super::args::Args;
use super::errors::status_message;
use super::{manifest, namespace_flag, object_name, resolve, str_at, Env};
use crate::apiserver::{PatchType, Verb};

pub fn patch(args: &Args, env: &mut Env) {
    let words = &args.positional[1..];
    let (kind, name) = match words {
        [one] if one.contains('/') => one
            .split_once('/')
            .map(|(k, n)| (k.to_string(), n.to_string()))
            .unwrap_or_default(),
        [kind, name] => (kind.clone(), name.clone()),
        _ => {
            env.out
                .fail("error: resource(s) were provided, but no name was specified");
            return;
        }
    };
    let info = match resolve(&kind) {
        Ok(i) => i,
        Err(e) => {
            env.out.fail(e);
            return;
        }
    };
    let Some(text) = args.flag("patch") else {
        env.out.fail("error: must specify -p to patch");
        return;
    };
    let patch_type = match args.flag("type").unwrap_or("strategic") {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        other => {
            env.out.fail(format!(
                "error: --type must be one of [json merge strategic], not \"{other}\""
            ));
            return;
        }
    };
    // The patch may be JSON or YAML, as kubectl accepts either.
    let body: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => {
            match manifest::parse(text, "patch")
                .ok()
                .and_then(|d| d.into_iter().next())
            {
                Some(v) => v,
                None => {
                    env.out.fail(format!("error: unable to parse \"{text}\": yaml: did not find expected node content"));
                    return;
                }
            }
        }
    };
    let ns = namespace_flag(args);
    let ns = info.namespaced.then_some(ns.as_str());
    let before = env.send(env.request(Verb::Get, info, ns).name(&name));
    if !before.is_success() {
        env.out.fail(status_message(&before.body, None));
        return;
    }
    let mut req = env
        .request(Verb::Patch(patch_type), info, ns)
        .name(&name)
        .body(body);
    req.subresource = args.flag("subresource").map(str::to_string);
    req.field_manager = Some("kubectl-patch".into());
    let resp = env.send(req);
    if !resp.is_success() {
        env.out.fail(status_message(&resp.body, None));
        return;
    }
    let changed = str_at(&resp.body, "/metadata/resourceVersion")
        != str_at(&before.body, "/metadata/resourceVersion");
    let label = object_name(info, &name);
    env.out.print(if changed {
        format!("{label} patched")
    } else {
        format!("{label} patched (no change)")
    });
}
