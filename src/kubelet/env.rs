//! The environment the kubelet gives a container (pkg/kubelet/kubelet_pods.go
//! makeEnvironmentVariables): `envFrom` ConfigMaps and Secrets (with their prefix), `env`
//! values with `$(VAR)` expanded, downward API `fieldRef`/`resourceFieldRef` values, ConfigMap
//! and Secret keys, then the service environment variables (getServiceEnvVarMap and
//! pkg/kubelet/envvars FromServices: the `kubernetes` service of `default` always, the
//! namespace's own services when `enableServiceLinks`). A missing ConfigMap or Secret, or key,
//! is an error unless the reference is optional; the runtime adds `PATH`, `HOSTNAME` and `HOME`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::unstructured::str_at;

/// What the environment is made from, as the kubelet read it from the API server.
#[derive(Debug, Clone, Default)]
pub struct EnvInputs {
    /// The pod's namespace's ConfigMaps the pod refers to, by name (absent: not found).
    pub config_maps: BTreeMap<String, Value>,
    pub secrets: BTreeMap<String, Value>,
    /// Every Service the kubelet's service informer holds.
    pub services: Vec<Value>,
    pub pod_ip: String,
    pub host_ip: String,
    /// The node's allocatable CPU and memory (limits default to them for the downward API).
    pub node_cpu: String,
    pub node_memory: String,
}

/// `configmap "x" not found` / `secret "x" not found`: the watch-based manager's NotFound
/// (the group resource is the singular `configmap`/`secret`).
pub fn not_found(kind: &str, name: &str) -> String {
    format!("{kind} \"{name}\" not found")
}

fn optional(reference: &Value) -> bool {
    reference.get("optional").and_then(Value::as_bool) == Some(true)
}

/// A Secret's `data` decoded (base64) to text.
fn secret_data(secret: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(data) = secret.get("data").and_then(Value::as_object) {
        for (k, v) in data {
            let raw = v.as_str().unwrap_or_default();
            let decoded = decode_base64(raw)
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
            out.insert(k.clone(), decoded);
        }
    }
    if let Some(data) = secret.get("stringData").and_then(Value::as_object) {
        for (k, v) in data {
            out.insert(k.clone(), v.as_str().unwrap_or_default().to_string());
        }
    }
    out
}

/// Standard base64 (how a Secret's `data` is stored); None when malformed.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let bytes: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let trimmed: Vec<u8> = bytes.iter().copied().take_while(|b| *b != b'=').collect();
    let mut out = Vec::new();
    for chunk in trimmed.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= value(*c)? << (18 - 6 * i);
        }
        let produced = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => return None,
        };
        for i in 0..produced {
            out.push((acc >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// A ConfigMap's `data` (binaryData is not text).
fn config_map_data(cm: &Value) -> BTreeMap<String, String> {
    cm.get("data")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect()
}

/// The files a ConfigMap or Secret volume shows: one per key, or per listed item (`path`).
pub fn volume_files(
    data: &BTreeMap<String, String>,
    items: Option<&Value>,
) -> Vec<(String, String)> {
    match items.and_then(Value::as_array).filter(|i| !i.is_empty()) {
        Some(items) => items
            .iter()
            .filter_map(|i| {
                let value = data.get(str_at(i, "/key"))?;
                Some((str_at(i, "/path").to_string(), value.clone()))
            })
            .collect(),
        None => data.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}

/// The data of the ConfigMap (`secret` false) or Secret named `name`.
pub fn source_data(
    inputs: &EnvInputs,
    secret: bool,
    name: &str,
) -> Option<BTreeMap<String, String>> {
    if secret {
        inputs.secrets.get(name).map(secret_data)
    } else {
        inputs.config_maps.get(name).map(config_map_data)
    }
}

/// envvars.makeEnvVariableName: upper case, `-` as `_`.
fn env_name(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

/// envvars.FromServices for one service with a cluster IP.
fn service_vars(service: &Value) -> Vec<(String, String)> {
    let ip = str_at(service, "/spec/clusterIP");
    if ip.is_empty() || ip == "None" {
        return Vec::new();
    }
    let ports: Vec<&Value> = service
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let Some(first) = ports.first() else {
        return Vec::new();
    };
    let prefix = env_name(str_at(service, "/metadata/name"));
    let port_of = |p: &Value| p.get("port").and_then(Value::as_i64).unwrap_or(0);
    let mut out = vec![
        (format!("{prefix}_SERVICE_HOST"), ip.to_string()),
        (format!("{prefix}_SERVICE_PORT"), port_of(first).to_string()),
    ];
    for p in &ports {
        let name = str_at(p, "/name");
        if !name.is_empty() {
            out.push((
                format!("{prefix}_SERVICE_PORT_{}", env_name(name)),
                port_of(p).to_string(),
            ));
        }
    }
    for (i, p) in ports.iter().enumerate() {
        let protocol = match str_at(p, "/protocol") {
            "" => "TCP",
            other => other,
        };
        let lower = protocol.to_ascii_lowercase();
        let port = port_of(p);
        let url = format!("{lower}://{ip}:{port}");
        if i == 0 {
            out.push((format!("{prefix}_PORT"), url.clone()));
        }
        let port_prefix = format!("{prefix}_PORT_{port}_{}", protocol.to_ascii_uppercase());
        out.push((port_prefix.clone(), url));
        out.push((format!("{port_prefix}_PROTO"), lower));
        out.push((format!("{port_prefix}_PORT"), port.to_string()));
        out.push((format!("{port_prefix}_ADDR"), ip.to_string()));
    }
    out
}

/// getServiceEnvVarMap: `kubernetes` of `default`, and the namespace's services when service
/// links are on (the default).
fn service_env(pod: &Value, inputs: &EnvInputs) -> Vec<(String, String)> {
    let ns = str_at(pod, "/metadata/namespace");
    let links = pod
        .pointer("/spec/enableServiceLinks")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut chosen: BTreeMap<String, &Value> = BTreeMap::new();
    for s in &inputs.services {
        let (s_ns, name) = (
            str_at(s, "/metadata/namespace"),
            str_at(s, "/metadata/name"),
        );
        if s_ns == "default" && name == "kubernetes" {
            chosen.entry(name.to_string()).or_insert(s);
        } else if s_ns == ns && links {
            chosen.insert(name.to_string(), s);
        }
    }
    chosen.values().flat_map(|s| service_vars(s)).collect()
}

/// podFieldSelectorRuntimeValue / fieldpath.ExtractFieldPathAsString.
fn field_value(pod: &Value, path: &str, inputs: &EnvInputs) -> Result<String, String> {
    let map_entry = |map: &str, rest: &str| -> Option<String> {
        let key = rest.strip_prefix("['")?.strip_suffix("']")?;
        Some(
            pod.pointer(&format!("/metadata/{map}"))
                .and_then(|m| m.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        )
    };
    if let Some(rest) = path.strip_prefix("metadata.labels") {
        if let Some(v) = map_entry("labels", rest) {
            return Ok(v);
        }
    }
    if let Some(rest) = path.strip_prefix("metadata.annotations") {
        if let Some(v) = map_entry("annotations", rest) {
            return Ok(v);
        }
    }
    Ok(match path {
        "metadata.name" => str_at(pod, "/metadata/name").to_string(),
        "metadata.namespace" => str_at(pod, "/metadata/namespace").to_string(),
        "metadata.uid" => str_at(pod, "/metadata/uid").to_string(),
        "spec.nodeName" => str_at(pod, "/spec/nodeName").to_string(),
        "spec.serviceAccountName" => str_at(pod, "/spec/serviceAccountName").to_string(),
        "status.hostIP" | "status.hostIPs" => inputs.host_ip.clone(),
        "status.podIP" | "status.podIPs" => inputs.pod_ip.clone(),
        other => return Err(format!("unsupported fieldPath: {other}")),
    })
}

/// containerResourceRuntimeValue: a request or limit divided by the divisor, rounded up
/// (limits default to the node's allocatable).
fn resource_value(
    container: &Value,
    reference: &Value,
    inputs: &EnvInputs,
) -> Result<String, String> {
    let resource = str_at(reference, "/resource");
    let (section, name) = resource.split_once('.').unwrap_or(("", resource));
    let declared = container
        .pointer(&format!("/resources/{section}/{name}"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let value = match (section, name, declared) {
        (_, _, Some(v)) => v,
        ("limits", "cpu", None) => inputs.node_cpu.clone(),
        ("limits", "memory", None) => inputs.node_memory.clone(),
        ("limits", "ephemeral-storage", None) => "100Gi".into(),
        (_, _, None) => "0".into(),
    };
    let divisor = match reference.get("divisor") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "1".into(),
    };
    if name == "cpu" {
        let milli = crate::quantity::parse_milli(&value).unwrap_or(0);
        let per = crate::quantity::parse_milli(&divisor)
            .unwrap_or(1000)
            .max(1);
        return Ok(((milli + per - 1) / per).to_string());
    }
    let units = crate::quantity::parse_units(&value).unwrap_or(0);
    let per = crate::quantity::parse_units(&divisor).unwrap_or(1).max(1);
    Ok(((units + per - 1) / per).to_string())
}

/// Set `name` to `value`, keeping the place of an earlier value of the same name.
fn set(vars: &mut Vec<(String, String)>, name: String, value: String) {
    match vars.iter_mut().find(|(k, _)| *k == name) {
        Some(entry) => entry.1 = value,
        None => vars.push((name, value)),
    }
}

/// makeEnvironmentVariables: the container's variables in order (envFrom, env, then the
/// service variables not already set), or the error that makes the container's start fail
/// with CreateContainerConfigError.
pub fn make_environment(
    pod: &Value,
    container: &Value,
    inputs: &EnvInputs,
) -> Result<Vec<(String, String)>, String> {
    let ns = str_at(pod, "/metadata/namespace");
    let services = service_env(pod, inputs);
    let mut vars: Vec<(String, String)> = Vec::new();
    for from in container
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (reference, secret) = match (from.get("configMapRef"), from.get("secretRef")) {
            (Some(r), _) => (r, false),
            (None, Some(r)) => (r, true),
            _ => continue,
        };
        let name = str_at(reference, "/name");
        let kind = if secret { "secret" } else { "configmap" };
        let Some(data) = source_data(inputs, secret, name) else {
            if optional(reference) {
                continue;
            }
            return Err(not_found(kind, name));
        };
        let prefix = str_at(from, "/prefix");
        for (k, v) in data {
            set(&mut vars, format!("{prefix}{k}"), v);
        }
    }
    for e in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = str_at(e, "/name").to_string();
        let literal = str_at(e, "/value");
        let value = if !literal.is_empty() {
            let mut known = vars.clone();
            known.extend(services.iter().cloned());
            super::process::expand_kubelet_refs(literal, &known)
        } else if let Some(from) = e.get("valueFrom") {
            if let Some(field) = from.get("fieldRef") {
                field_value(pod, str_at(field, "/fieldPath"), inputs)?
            } else if let Some(r) = from.get("resourceFieldRef") {
                resource_value(container, r, inputs)?
            } else if let Some(r) = from.get("configMapKeyRef").or(from.get("secretKeyRef")) {
                let secret = from.get("secretKeyRef").is_some();
                let (kind, title) = if secret {
                    ("secret", "Secret")
                } else {
                    ("configmap", "ConfigMap")
                };
                let source = str_at(r, "/name");
                let key = str_at(r, "/key");
                let Some(data) = source_data(inputs, secret, source) else {
                    if optional(r) {
                        continue;
                    }
                    return Err(not_found(kind, source));
                };
                match data.get(key) {
                    Some(v) => v.clone(),
                    None if optional(r) => continue,
                    None => {
                        return Err(format!("couldn't find key {key} in {title} {ns}/{source}"))
                    }
                }
            } else {
                String::new()
            }
        } else {
            String::new()
        };
        set(&mut vars, name, value);
    }
    for (k, v) in services {
        if !vars.iter().any(|(name, _)| *name == k) {
            vars.push((k, v));
        }
    }
    Ok(vars)
}

/// The process environment in the container: the image's `PATH`, `HOSTNAME` (the pod's
/// hostname), the kubelet's variables, and runc's `HOME` unless set.
pub fn runtime_env(pod: &Value, container: &Value, inputs: &EnvInputs) -> Vec<(String, String)> {
    let mut vars = vec![
        (
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        ),
        ("HOSTNAME".to_string(), super::probing::pod_hostname(pod)),
    ];
    for (k, v) in make_environment(pod, container, inputs).unwrap_or_default() {
        set(&mut vars, k, v);
    }
    if !vars.iter().any(|(k, _)| k == "HOME") {
        vars.push(("HOME".into(), "/root".into()));
    }
    vars
}

/// The ConfigMap and Secret names a pod refers to, with whether every reference to each is
/// optional: (secret?, name) → optional.
pub fn references(pod: &Value) -> BTreeMap<(bool, String), bool> {
    let mut out: BTreeMap<(bool, String), bool> = BTreeMap::new();
    let mut add = |secret: bool, name: &str, opt: bool| {
        if name.is_empty() {
            return;
        }
        let entry = out.entry((secret, name.to_string())).or_insert(true);
        *entry &= opt;
    };
    for v in pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(cm) = v.get("configMap") {
            add(false, str_at(cm, "/name"), optional(cm));
        }
        if let Some(s) = v.get("secret") {
            add(true, str_at(s, "/secretName"), optional(s));
        }
        for source in v
            .pointer("/projected/sources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(cm) = source.get("configMap") {
                add(false, str_at(cm, "/name"), optional(cm));
            }
            if let Some(s) = source.get("secret") {
                add(true, str_at(s, "/name"), optional(s));
            }
        }
    }
    for (_, c) in super::status::all_containers_of(pod) {
        for from in c
            .get("envFrom")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(r) = from.get("configMapRef") {
                add(false, str_at(r, "/name"), optional(r));
            }
            if let Some(r) = from.get("secretRef") {
                add(true, str_at(r, "/name"), optional(r));
            }
        }
        for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
            if let Some(r) = e.pointer("/valueFrom/configMapKeyRef") {
                add(false, str_at(r, "/name"), optional(r));
            }
            if let Some(r) = e.pointer("/valueFrom/secretKeyRef") {
                add(true, str_at(r, "/name"), optional(r));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inputs() -> EnvInputs {
        let mut i = EnvInputs {
            pod_ip: "10.244.1.5".into(),
            host_ip: "172.18.0.3".into(),
            node_cpu: "2".into(),
            node_memory: "4Gi".into(),
            ..EnvInputs::default()
        };
        i.config_maps.insert(
            "special-config".into(),
            json!({"data": {"SPECIAL_LEVEL": "very", "SPECIAL_TYPE": "charm"}}),
        );
        i.services.push(json!({"metadata": {"name": "kubernetes", "namespace": "default"}, "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP"}]}}));
        i
    }

    fn pod(container: Value) -> Value {
        json!({"metadata": {"name": "p", "namespace": "default", "uid": "u1"}, "spec": {"nodeName": "worker", "serviceAccountName": "default", "containers": [container]}})
    }

    #[test]
    fn env_from_a_config_map_and_the_kubernetes_service() {
        let c = json!({"name": "c", "envFrom": [{"configMapRef": {"name": "special-config"}}]});
        let vars = make_environment(&pod(c.clone()), &c, &inputs()).unwrap();
        let text: Vec<String> = vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            text,
            [
                "SPECIAL_LEVEL=very",
                "SPECIAL_TYPE=charm",
                "KUBERNETES_SERVICE_HOST=10.96.0.1",
                "KUBERNETES_SERVICE_PORT=443",
                "KUBERNETES_SERVICE_PORT_HTTPS=443",
                "KUBERNETES_PORT=tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP_PROTO=tcp",
                "KUBERNETES_PORT_443_TCP_PORT=443",
                "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1",
            ]
        );
    }

    #[test]
    fn missing_references_are_errors_unless_optional() {
        let c = json!({"name": "c", "envFrom": [{"configMapRef": {"name": "x"}}]});
        assert_eq!(
            make_environment(&pod(c.clone()), &c, &inputs()),
            Err("configmap \"x\" not found".into())
        );
        let c = json!({"name": "c", "env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "special-config", "key": "nope"}}}]});
        assert_eq!(
            make_environment(&pod(c.clone()), &c, &inputs()),
            Err("couldn't find key nope in ConfigMap default/special-config".into())
        );
        let c = json!({"name": "c", "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k", "optional": true}}}]});
        assert!(make_environment(&pod(c.clone()), &c, &inputs()).is_ok());
    }

    #[test]
    fn secrets_are_base64() {
        assert_eq!(decode_base64("YWRtaW4=").as_deref(), Some(&b"admin"[..]));
        assert_eq!(
            decode_base64("MWYyZDFlMmU2N2Rm").as_deref(),
            Some(&b"1f2d1e2e67df"[..])
        );
        assert_eq!(decode_base64("!!"), None);
    }

    #[test]
    fn downward_api_values() {
        let c = json!({"name": "c", "resources": {"requests": {"cpu": "250m", "memory": "32Mi"}}, "env": [
            {"name": "MY_NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
            {"name": "MY_POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
            {"name": "CPU_REQ", "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1m"}}},
            {"name": "MEM_LIM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
            {"name": "GREETING", "value": "node $(MY_NODE_NAME)"},
        ]});
        let vars = make_environment(&pod(c.clone()), &c, &inputs()).unwrap();
        let get = |n: &str| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        assert_eq!(get("MY_NODE_NAME").as_deref(), Some("worker"));
        assert_eq!(get("MY_POD_IP").as_deref(), Some("10.244.1.5"));
        assert_eq!(get("CPU_REQ").as_deref(), Some("250"));
        assert_eq!(get("MEM_LIM").as_deref(), Some("4096"));
        assert_eq!(get("GREETING").as_deref(), Some("node worker"));
    }
}
