//! `kubectl create`: from files (`-f`, see [`super::apply::create`]) or, with a subcommand, from
//! arguments (staging/src/k8s.io/kubectl/pkg/cmd/create): `namespace`, `configmap`,
//! `secret generic`, `deployment`, `service clusterip|nodeport|loadbalancer|externalname`,
//! `serviceaccount`. Each builds the object as kubectl's generator does, POSTs it (field manager
//! `kubectl-create`) unless `--dry-run=client`, and prints `namespace/x created` (or the object
//! with `-o yaml|json|name`).

use serde_json::{json, Map, Value};

use super::args::Args;
use super::errors::status_message;
use super::printers::{json as json_printer, yaml};
use super::{namespace_flag, object_name, str_at, Env};
use crate::apiserver::resources::{by_kind, ResourceInfo};
use crate::apiserver::validation::names::{is_config_map_key, is_dns1123_subdomain};
use crate::apiserver::Verb;

/// The `create` subcommands kubectl has that podlab does not simulate.
const UNMODELLED: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "cronjob",
    "cj",
    "ingress",
    "ing",
    "job",
    "poddisruptionbudget",
    "pdb",
    "priorityclass",
    "pc",
    "quota",
    "resourcequota",
    "role",
    "rolebinding",
    "token",
];

/// `kubectl create ...`.
pub fn create(args: &Args, env: &mut Env) {
    let sub = args.positional.get(1).map(String::as_str);
    match sub {
        None => super::apply::create(args, env),
        Some("namespace" | "ns") => namespace(args, env),
        Some("configmap" | "cm") => configmap(args, env),
        Some("secret") => secret(args, env),
        Some("deployment" | "deploy") => deployment(args, env),
        Some("service" | "svc") => service(args, env),
        Some("serviceaccount" | "sa") => serviceaccount(args, env),
        Some(s) if UNMODELLED.contains(&s) => env.out.fail(format!(
            "error: podlab does not simulate \"kubectl create {s}\""
        )),
        Some(_) if args.has("filename") => super::apply::create(args, env),
        Some(_) => {
            let rest = args.positional.get(1..).unwrap_or_default().join(" ");
            env.out.fail(format!(
                "Error: must specify one of -f and -k\n\nerror: unknown command \"{rest}\"\nSee 'kubectl create -h' for help and examples"
            ));
        }
    }
}

/// create.go `NameFromCommandArgs`: exactly one NAME before `--`.
fn name_arg(args: &Args, path: &str, skip: usize) -> Result<String, String> {
    let names = args.positional.get(skip..).unwrap_or_default();
    match names {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "error: exactly one NAME is required, got {}\nSee '{path} -h' for help and examples",
            names.len()
        )),
    }
}

/// The namespace an object goes to, and whether `-n` set it (then kubectl writes it into the
/// object: `EnforceNamespace`).
fn namespace_of(args: &Args) -> (String, Option<String>) {
    let ns = namespace_flag(args);
    let enforced = args.has("namespace").then(|| ns.clone());
    (ns, enforced)
}

fn meta(name: &str, namespace: Option<&str>, labels: Option<Value>) -> Value {
    let mut m = Map::new();
    if let Some(l) = labels {
        m.insert("labels".into(), l);
    }
    m.insert("name".into(), json!(name));
    if let Some(ns) = namespace {
        m.insert("namespace".into(), json!(ns));
    }
    Value::Object(m)
}

/// How a create subcommand sends its object and words its failure.
struct Destination<'a> {
    info: &'static ResourceInfo,
    namespace: Option<&'a str>,
    /// `failed to create configmap: ` for the subcommands that wrap the server's error.
    wrap: Option<&'a str>,
}

/// `--save-config`: the object's JSON in the last-applied annotation (util.CreateOrUpdateAnnotation).
fn with_saved_config(mut obj: Value, args: &Args) -> Value {
    if !args.bool_flag("save-config", false) {
        return obj;
    }
    let text = serde_json::to_string(&obj).unwrap_or_default();
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = m.entry("annotations").or_insert_with(|| json!({}));
        ann[super::apply::LAST_APPLIED] = json!(format!("{text}\n"));
    }
    obj
}

/// POST the object unless a client dry run, then print it as asked.
fn send_and_print(obj: Value, how: Destination, args: &Args, env: &mut Env) {
    let obj = with_saved_config(obj, args);
    let dry_run = args.flag("dry-run").unwrap_or("none");
    if !matches!(dry_run, "none" | "client" | "server") {
        return env.out.fail(format!(
            "error: Invalid dry-run value ({dry_run}). Must be \"none\", \"server\", or \"client\"."
        ));
    }
    let shown = if dry_run == "client" {
        obj
    } else {
        let mut req = env.request(Verb::Create, how.info, how.namespace).body(obj);
        req.field_manager = Some(
            args.flag("field-manager")
                .unwrap_or("kubectl-create")
                .to_string(),
        );
        // Every create subcommand sends its --validate directive (createOptions.FieldValidation
        // in create_namespace.go, create_configmap.go, create_deployment.go, create_service.go,
        // create_secret.go, create_serviceaccount.go, ...).
        req.field_validation = super::apply::field_validation(args);
        req.dry_run = dry_run == "server";
        let resp = env.send(req);
        if !resp.is_success() {
            return env.out.fail(match how.wrap {
                Some(prefix) => format!("error: {prefix}{}", str_at(&resp.body, "/message")),
                None => status_message(&resp.body, None),
            });
        }
        resp.body
    };
    print_created(how.info, &shown, dry_run, args, env);
}

/// `namespace/x created (dry run)`, or the object.
fn print_created(info: &ResourceInfo, obj: &Value, dry_run: &str, args: &Args, env: &mut Env) {
    let name = object_name(info, str_at(obj, "/metadata/name"));
    let suffix = match dry_run {
        "client" => " (dry run)",
        "server" => " (server dry run)",
        _ => "",
    };
    let mut shown = obj.clone();
    if let Some(m) = shown.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("managedFields");
    }
    match args.flag("output").unwrap_or_default() {
        "" => env.out.print(format!("{name} created{suffix}")),
        "name" => env.out.print(name),
        "yaml" => env.out.out.push_str(&yaml::to_yaml(&shown)),
        "json" => env.out.out.push_str(&json_printer::to_json(&shown)),
        other => env.out.fail(format!(
            "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,name,yaml"
        )),
    }
}

fn info(api_version: &str, kind: &str) -> Option<&'static ResourceInfo> {
    by_kind(api_version, kind)
}

/// `kubectl create namespace NAME` (create_namespace.go).
fn namespace(args: &Args, env: &mut Env) {
    let name = match name_arg(args, "kubectl create namespace", 2) {
        Ok(n) => n,
        Err(e) => return env.out.fail(e),
    };
    let Some(info) = info("v1", "Namespace") else {
        return;
    };
    let obj = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(&name, None, None), "spec": {}, "status": {}});
    let how = Destination {
        info,
        namespace: None,
        wrap: None,
    };
    send_and_print(obj, how, args, env);
}

/// `--from-literal=key=value` (kubectl util.ParseLiteralSource).
fn literal(source: &str) -> Result<(String, String), String> {
    match source.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!(
            "error: invalid literal source {source}, expected key=value"
        )),
    }
}

/// The `data` of a ConfigMap from `--from-literal` (and `--from-file` via `read_file`).
fn configmap_data(name: &str, args: &Args, env: &mut Env) -> Result<Map<String, Value>, String> {
    let mut data = Map::new();
    let mut add = |key: String, value: String| -> Result<(), String> {
        let errs = is_config_map_key(&key);
        if !errs.is_empty() {
            return Err(format!(
                "error: {key:?} is not a valid key name for a ConfigMap: {}",
                errs.join(",")
            ));
        }
        if data.contains_key(&key) {
            return Err(format!("error: cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {name:?}"));
        }
        data.insert(key, json!(value));
        Ok(())
    };
    for source in file_sources(args, env)? {
        add(source.0, source.1)?;
    }
    for source in args.all("from-literal") {
        let (k, v) = literal(&source)?;
        add(k, v)?;
    }
    Ok(data)
}

/// `--from-file=[key=]path`: the key (the file's base name by default) and the file's text.
fn file_sources(args: &Args, env: &mut Env) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for spec in args
        .all("from-file")
        .iter()
        .flat_map(|s| s.split(',').map(str::to_string).collect::<Vec<_>>())
    {
        let (key, path) = match spec.matches('=').count() {
            0 => (
                spec.rsplit('/').next().unwrap_or(&spec).to_string(),
                spec.clone(),
            ),
            1 if spec.starts_with('=') => {
                return Err(format!(
                    "error: key name for file path {} missing",
                    spec.trim_start_matches('=')
                ))
            }
            1 if spec.ends_with('=') => {
                return Err(format!(
                    "error: file path for key name {} missing",
                    spec.trim_end_matches('=')
                ))
            }
            1 => match spec.split_once('=') {
                Some((k, p)) => (k.to_string(), p.to_string()),
                None => continue,
            },
            _ => return Err("error: key names or file paths cannot contain '='".into()),
        };
        let Some(text) = (env.read_file)(&path) else {
            return Err(format!(
                "error: error reading {path}: no such file or directory"
            ));
        };
        out.push((key, text));
    }
    Ok(out)
}

/// `kubectl create configmap NAME [--from-literal=k=v] [--from-file=...]` (create_configmap.go).
fn configmap(args: &Args, env: &mut Env) {
    let name = match name_arg(args, "kubectl create configmap", 2) {
        Ok(n) => n,
        Err(e) => return env.out.fail(e),
    };
    if args.has("from-env-file") && (args.has("from-file") || args.has("from-literal")) {
        return env
            .out
            .fail("error: from-env-file cannot be combined with from-file or from-literal");
    }
    let data = match configmap_data(&name, args, env) {
        Ok(d) => d,
        Err(e) => return env.out.fail(e),
    };
    let (ns, enforced) = namespace_of(args);
    let Some(info) = info("v1", "ConfigMap") else {
        return;
    };
    let mut obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(&name, enforced.as_deref(), None)});
    if !data.is_empty() {
        obj["data"] = Value::Object(data);
    }
    let how = Destination {
        info,
        namespace: Some(&ns),
        wrap: Some("failed to create configmap: "),
    };
    send_and_print(obj, how, args, env);
}

/// `kubectl create secret generic NAME ...` (create_secret.go); `secret` alone prints its help.
fn secret(args: &Args, env: &mut Env) {
    match args.positional.get(2).map(String::as_str) {
        Some("generic") => secret_generic(args, env),
        Some("docker-registry" | "tls") => env.out.fail(format!(
            "error: podlab does not simulate \"kubectl create secret {}\"",
            args.positional.get(2).map(String::as_str).unwrap_or_default()
        )),
        Some(_) => {
            let rest = args.positional.get(2..).unwrap_or_default().join(" ");
            env.out.fail(format!(
                "error: unknown command \"{rest}\"\nSee 'kubectl create secret -h' for help and examples"
            ));
        }
        None => env.out.fail("Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS certificate and its associated key.\n\nAvailable Commands:\n  docker-registry   Create a secret for use with a Docker registry\n  generic           Create a secret from a local file, directory, or literal value\n  tls               Create a TLS secret\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n\nUse \"kubectl create secret <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands)."),
    }
}

fn secret_generic(args: &Args, env: &mut Env) {
    let name = match name_arg(args, "kubectl create secret generic", 3) {
        Ok(n) => n,
        Err(e) => return env.out.fail(e),
    };
    if args.has("from-env-file") && (args.has("from-file") || args.has("from-literal")) {
        return env
            .out
            .fail("error: from-env-file cannot be combined with from-file or from-literal");
    }
    let mut data = Map::new();
    let mut sources: Vec<(String, String)> = Vec::new();
    for source in args.all("from-literal") {
        match literal(&source) {
            Ok(kv) => sources.push(kv),
            Err(e) => return env.out.fail(e),
        }
    }
    match file_sources(args, env) {
        Ok(files) => sources.extend(files),
        Err(e) => return env.out.fail(e),
    }
    for (key, value) in sources {
        let errs = is_config_map_key(&key);
        if !errs.is_empty() {
            return env.out.fail(format!(
                "error: {key:?} is not valid key name for a Secret {}",
                errs.join(";")
            ));
        }
        if data.contains_key(&key) {
            return env.out.fail(format!(
                "error: cannot add key {key}, another key by that name already exists"
            ));
        }
        let encoded = data_encoding::BASE64.encode(value.as_bytes());
        data.insert(key, json!(encoded));
    }
    let (ns, enforced) = namespace_of(args);
    let Some(info) = info("v1", "Secret") else {
        return;
    };
    let mut obj = json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(&name, enforced.as_deref(), None)});
    if !data.is_empty() {
        obj["data"] = Value::Object(data);
    }
    if let Some(t) = args.flag("type").filter(|t| !t.is_empty()) {
        obj["type"] = json!(t);
    }
    let how = Destination {
        info,
        namespace: Some(&ns),
        wrap: Some("failed to create secret: "),
    };
    send_and_print(obj, how, args, env);
}

/// The container name kubectl derives from an image (create_deployment.go `buildPodSpec`): the
/// last path segment without tag or digest; `_` and `.` become `-` plus a random suffix.
fn container_name(image: &str, env: &mut Env) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let name = last.split(':').next().unwrap_or(last);
    let name = name.split('@').next().unwrap_or(name);
    if name.contains(['_', '.']) {
        format!(
            "{}-{}",
            name.replace(['_', '.'], "-"),
            env.ctx.rng.name_suffix(5)
        )
    } else {
        name.to_string()
    }
}

/// `kubectl create deployment NAME --image=IMAGE [--replicas=N] [--port=P] [-- COMMAND...]`.
fn deployment(args: &Args, env: &mut Env) {
    let images: Vec<String> = args
        .all("image")
        .iter()
        .flat_map(|i| i.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect();
    if !args.has("image") {
        return env.out.fail("error: required flag(s) \"image\" not set");
    }
    let name = match name_arg(args, "kubectl create deployment", 2) {
        Ok(n) => n,
        Err(e) => return env.out.fail(e),
    };
    let command = args.after_dashes.clone();
    if images.len() > 1 && !command.is_empty() {
        return env
            .out
            .fail("error: cannot specify multiple --image options and command");
    }
    let replicas: i64 = args
        .flag("replicas")
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let port: i64 = args.flag("port").and_then(|p| p.parse().ok()).unwrap_or(-1);
    let mut containers: Vec<Value> = Vec::new();
    for image in &images {
        let mut c = json!({"image": image, "name": container_name(image, env), "resources": {}});
        if !command.is_empty() {
            c["command"] = json!(command);
        }
        containers.push(c);
    }
    if port >= 0 {
        if let Some(first) = containers.first_mut() {
            first["ports"] = json!([{"containerPort": port}]);
        }
    }
    let labels = json!({"app": name});
    let (ns, enforced) = namespace_of(args);
    let Some(info) = info("apps/v1", "Deployment") else {
        return env
            .out
            .fail("error: the server doesn't have a resource type \"deployments\"");
    };
    let obj = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(&name, enforced.as_deref(), Some(labels.clone())),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "strategy": {},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
        },
        "status": {},
    });
    let how = Destination {
        info,
        namespace: Some(&ns),
        wrap: Some("failed to create deployment: "),
    };
    send_and_print(obj, how, args, env);
}

/// `kubectl create service TYPE NAME ...`; `service` alone prints its help.
fn service(args: &Args, env: &mut Env) {
    let kind = match args.positional.get(2).map(String::as_str) {
        Some("clusterip") => "ClusterIP",
        Some("nodeport") => "NodePort",
        Some("loadbalancer") => "LoadBalancer",
        Some("externalname") => "ExternalName",
        Some(_) => {
            let rest = args.positional.get(2..).unwrap_or_default().join(" ");
            return env.out.fail(format!(
                "error: unknown command \"{rest}\"\nSee 'kubectl create service -h' for help and examples"
            ));
        }
        None => return env.out.fail("Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands)."),
    };
    let sub = args.positional.get(2).cloned().unwrap_or_default();
    if kind == "ExternalName" && !args.has("external-name") {
        return env
            .out
            .fail("error: required flag(s) \"external-name\" not set");
    }
    let name = match name_arg(args, &format!("kubectl create service {sub}"), 3) {
        Ok(n) => n,
        Err(e) => return env.out.fail(e),
    };
    match service_object(kind, &name, args) {
        Ok(obj) => {
            let (ns, _) = namespace_of(args);
            let Some(info) = info("v1", "Service") else {
                return;
            };
            let wrap = format!("failed to create {kind} service: ");
            let how = Destination {
                info,
                namespace: Some(&ns),
                wrap: Some(&wrap),
            };
            send_and_print(obj, how, args, env);
        }
        Err(e) => env.out.fail(format!("error: {e}")),
    }
}

/// create_service.go `Validate` and `createService`.
fn service_object(kind: &str, name: &str, args: &Args) -> Result<Value, String> {
    let cluster_ip = args.flag("clusterip").unwrap_or_default().to_string();
    let tcp: Vec<String> = args
        .all("tcp")
        .iter()
        .flat_map(|t| t.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect();
    let external = args.flag("external-name").unwrap_or_default().to_string();
    if cluster_ip == "None" && kind != "ClusterIP" {
        return Err("ClusterIP=None can only be used with ClusterIP service type".into());
    }
    if cluster_ip != "None" && tcp.is_empty() && kind != "ExternalName" {
        return Err("at least one tcp port specifier must be provided".into());
    }
    if kind == "ExternalName" && !is_dns1123_subdomain(&external).is_empty() {
        return Err(format!("invalid service external name {external}"));
    }
    let node_port: i64 = args
        .flag("node-port")
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port, target) = parse_ports(spec)?;
        let mut p = json!({"name": spec.replace(':', "-"), "port": port, "protocol": "TCP", "targetPort": target});
        if node_port != 0 {
            p["nodePort"] = json!(node_port);
        }
        ports.push(p);
    }
    let (_, enforced) = namespace_of(args);
    let labels = json!({"app": name});
    let mut spec = json!({"ports": ports, "selector": labels, "type": kind});
    if ports.is_empty() {
        if let Some(m) = spec.as_object_mut() {
            m.remove("ports");
        }
    }
    if !cluster_ip.is_empty() {
        spec["clusterIP"] = json!(cluster_ip);
    }
    if !external.is_empty() {
        spec["externalName"] = json!(external);
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(name, enforced.as_deref(), Some(labels)),
        "spec": spec,
        "status": {"loadBalancer": {}},
    }))
}

/// create_service.go `parsePorts`: `port[:targetPort]`, the target a number or a port name.
fn parse_ports(spec: &str) -> Result<(i64, Value), String> {
    let mut parts = spec.split(':');
    let port_text = parts.next().unwrap_or_default();
    let port: i64 = match port_text.parse::<u16>() {
        Ok(p) => i64::from(p),
        Err(_) if port_text.chars().all(|c| c.is_ascii_digit()) && !port_text.is_empty() => {
            return Err(format!(
                "strconv.ParseUint: parsing {port_text:?}: value out of range"
            ))
        }
        Err(_) => {
            return Err(format!(
                "strconv.ParseUint: parsing {port_text:?}: invalid syntax"
            ))
        }
    };
    let Some(target) = parts.next() else {
        return Ok((port, json!(port)));
    };
    match target.parse::<i64>() {
        Ok(n) if (1..=65535).contains(&n) => Ok((port, json!(n))),
        Ok(_) => Err("must be between 1 and 65535, inclusive".into()),
        Err(_) => {
            let errs = crate::apiserver::validation::names::is_valid_port_name(target);
            if errs.is_empty() {
                Ok((port, json!(target)))
            } else {
                Err(errs.join(","))
            }
        }
    }
}

/// `kubectl create serviceaccount NAME` (create_serviceaccount.go).
fn serviceaccount(args: &Args, env: &mut Env) {
    let name = match name_arg(args, "kubectl create serviceaccount", 2) {
        Ok(n) => n,
        Err(e) => return env.out.fail(e),
    };
    let (ns, enforced) = namespace_of(args);
    let Some(info) = info("v1", "ServiceAccount") else {
        return;
    };
    let obj = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(&name, enforced.as_deref(), None)});
    let how = Destination {
        info,
        namespace: Some(&ns),
        wrap: Some("failed to create serviceaccount: "),
    };
    send_and_print(obj, how, args, env);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_sources() {
        assert_eq!(literal("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(
            literal("=x"),
            Err("error: invalid literal source =x, expected key=value".into())
        );
        assert_eq!(
            literal("x"),
            Err("error: invalid literal source x, expected key=value".into())
        );
    }

    #[test]
    fn service_ports_parse() {
        assert_eq!(parse_ports("5678:8080"), Ok((5678, json!(8080))));
        assert_eq!(parse_ports("80"), Ok((80, json!(80))));
        assert_eq!(parse_ports("80:http"), Ok((80, json!("http"))));
        assert_eq!(
            parse_ports("abc"),
            Err("strconv.ParseUint: parsing \"abc\": invalid syntax".into())
        );
    }
}
