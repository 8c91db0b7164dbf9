//! `kubectl cluster-info` (staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo.go): the
//! control plane's URL, then each Service of `kube-system` labelled
//! `kubernetes.io/cluster-service=true`, reached through the API server's service proxy
//! (`CoreDNS is running at …/services/kube-dns:dns/proxy`), then the hint about `dump`.

use serde_json::Value;

use super::args::Args;
use super::errors::status_message;
use super::session::SERVER_URL;
use super::{str_at, Env};
use crate::apiserver::resources::by_plural;
use crate::apiserver::Verb;

/// utilnet.JoinSchemeNamePort: `scheme:name:port`, `name:port` or `name`.
fn join_scheme_name_port(scheme: &str, name: &str, port: &str) -> String {
    match (scheme.is_empty(), port.is_empty()) {
        (false, _) => format!("{scheme}:{name}:{port}"),
        (true, false) => format!("{name}:{port}"),
        (true, true) => name.to_string(),
    }
}

/// The link and display name cluster-info prints for a Service.
fn service_line(svc: &Value) -> String {
    let name = str_at(svc, "/metadata/name");
    let ns = str_at(svc, "/metadata/namespace");
    let ingress = svc
        .pointer("/status/loadBalancer/ingress/0")
        .filter(|i| i.is_object());
    let ports = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let link = match ingress {
        Some(ing) => {
            let ip = match str_at(ing, "/ip") {
                "" => str_at(ing, "/hostname"),
                ip => ip,
            };
            ports
                .iter()
                .map(|p| {
                    format!(
                        "http://{ip}:{} ",
                        p.get("port").and_then(Value::as_i64).unwrap_or(0)
                    )
                })
                .collect()
        }
        None => {
            let target = match ports.first() {
                Some(port) => {
                    let port_name = str_at(port, "/name");
                    let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
                    let scheme = if port_name == "https" || number == 443 {
                        "https"
                    } else {
                        ""
                    };
                    join_scheme_name_port(scheme, name, port_name)
                }
                None => name.to_string(),
            };
            format!("{SERVER_URL}/api/v1/namespaces/{ns}/services/{target}/proxy")
        }
    };
    let shown = match str_at(svc, "/metadata/labels/kubernetes.io~1name") {
        "" => name,
        n => n,
    };
    format!("{shown} is running at {link}")
}

/// `kubectl cluster-info`.
pub fn cluster_info(args: &Args, env: &mut Env) {
    if let Some(sub) = args.positional.get(1) {
        if sub == "dump" {
            return env
                .out
                .fail("error: podlab does not simulate \"kubectl cluster-info dump\"");
        }
    }
    let ns = args.flag("namespace").unwrap_or("kube-system").to_string();
    let Some(services) = by_plural("", "services") else {
        return;
    };
    let mut req = env.request(Verb::List, services, Some(&ns));
    req.label_selector = Some("kubernetes.io/cluster-service=true".into());
    let resp = env.send(req);
    if resp.is_success() {
        env.out.print(format!(
            "Kubernetes control plane is running at {SERVER_URL}"
        ));
        for svc in resp
            .body
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            env.out.print(service_line(svc));
        }
    }
    env.out.out.push_str(
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
    if !resp.is_success() {
        env.out.fail(status_message(&resp.body, None));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coredns_is_reached_through_the_service_proxy() {
        let svc = json!({"metadata": {"name": "kube-dns", "namespace": "kube-system", "labels": {"kubernetes.io/name": "CoreDNS"}},
                         "spec": {"ports": [{"name": "dns", "port": 53}]}});
        assert_eq!(
            service_line(&svc),
            "CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy"
        );
        assert_eq!(join_scheme_name_port("https", "x", ""), "https:x:");
    }
}
