//! `kubectl describe service` and `kubectl describe endpoints` (describe.go describeService,
//! formatEndpointSlices, describeEndpoints).

use jiff::Timestamp;
use serde_json::Value;

use super::events::{describe_events, events_for};
use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1, LEVEL_2};
use super::{print_annotations_multiline, print_labels_multiline};
use crate::kubectl::printers::object::{format_labels, get, int_at, list_at, map_at, str_at};

/// The label tying an EndpointSlice to its Service.
const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// The EndpointSlices ServiceDescriber lists: same namespace, labelled with the service's name.
fn slices_of<'a>(service: &Value, slices: &'a [Value]) -> Vec<&'a Value> {
    let name = str_at(service, &["metadata", "name"]);
    let namespace = str_at(service, &["metadata", "namespace"]);
    let mut found: Vec<&Value> = slices
        .iter()
        .filter(|s| {
            str_at(s, &["metadata", "namespace"]) == namespace
                && str_at(s, &["metadata", "labels", SERVICE_NAME_LABEL]) == name
        })
        .collect();
    found.sort_by(|a, b| str_at(a, &["metadata", "name"]).cmp(str_at(b, &["metadata", "name"])));
    found
}

/// An endpoint counts unless its `ready` condition is false (unset means ready).
fn endpoint_is_ready(endpoint: &Value) -> bool {
    get(endpoint, &["conditions", "ready"])
        .and_then(Value::as_bool)
        .unwrap_or(true)
}

fn first_address(endpoint: &Value) -> String {
    list_at(endpoint, &["addresses"])
        .first()
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// formatEndpointSlices for the port named `port_name`: up to three ready `ip:port`, then
/// ` + N more...`; `<none>` without slices.
pub(crate) fn format_endpoint_slices(slices: &[&Value], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    for slice in slices {
        let endpoints = list_at(slice, &["endpoints"]);
        let ports = list_at(slice, &["ports"]);
        if ports.is_empty() {
            for endpoint in endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !endpoint_is_ready(endpoint) {
                    continue;
                }
                if !more {
                    list.push(first_address(endpoint));
                }
                count += 1;
            }
            continue;
        }
        for port in ports {
            if str_at(port, &["name"]) != port_name {
                continue;
            }
            for endpoint in endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !endpoint_is_ready(endpoint) {
                    continue;
                }
                if !more {
                    let addr = first_address(endpoint);
                    let number = int_at(port, &["port"]);
                    list.push(if addr.contains(':') {
                        format!("[{addr}]:{number}")
                    } else {
                        format!("{addr}:{number}")
                    });
                }
                count += 1;
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count.saturating_sub(MAX))
    } else {
        joined
    }
}

fn strings(v: &Value, path: &[&str]) -> Vec<String> {
    list_at(v, path)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// buildIngressString.
fn ingress_string(service: &Value) -> String {
    list_at(service, &["status", "loadBalancer", "ingress"])
        .iter()
        .map(|i| {
            let ip = str_at(i, &["ip"]);
            if ip.is_empty() {
                return str_at(i, &["hostname"]).to_string();
            }
            match get(i, &["ipMode"]).and_then(Value::as_str) {
                Some(mode) => format!("{ip} ({mode})"),
                None => ip.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// describeService.
pub fn describe_service(
    service: &Value,
    endpoint_slices: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::new();
    let spec = |field: &str| str_at(service, &["spec", field]);
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\n", str_at(service, &["metadata", "name"])),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Namespace:\t{}\n",
            str_at(service, &["metadata", "namespace"])
        ),
    );
    print_labels_multiline(&mut w, "Labels", map_at(service, &["metadata", "labels"]));
    print_annotations_multiline(
        &mut w,
        "Annotations",
        map_at(service, &["metadata", "annotations"]),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Selector:\t{}\n",
            format_labels(map_at(service, &["spec", "selector"]))
        ),
    );
    w.write(LEVEL_0, &format!("Type:\t{}\n", spec("type")));
    if let Some(policy) = get(service, &["spec", "ipFamilyPolicy"]).and_then(Value::as_str) {
        w.write(LEVEL_0, &format!("IP Family Policy:\t{policy}\n"));
    }
    let families = strings(service, &["spec", "ipFamilies"]);
    w.write(
        LEVEL_0,
        &format!("IP Families:\t{}\n", joined_or_none(&families)),
    );
    w.write(LEVEL_0, &format!("IP:\t{}\n", spec("clusterIP")));
    let ips = strings(service, &["spec", "clusterIPs"]);
    w.write(LEVEL_0, &format!("IPs:\t{}\n", joined_or_none(&ips)));
    let external = strings(service, &["spec", "externalIPs"]);
    if !external.is_empty() {
        w.write(LEVEL_0, &format!("External IPs:\t{}\n", external.join(",")));
    }
    if !spec("loadBalancerIP").is_empty() {
        w.write(
            LEVEL_0,
            &format!("Desired LoadBalancer IP:\t{}\n", spec("loadBalancerIP")),
        );
    }
    if !spec("externalName").is_empty() {
        w.write(
            LEVEL_0,
            &format!("External Name:\t{}\n", spec("externalName")),
        );
    }
    if !list_at(service, &["status", "loadBalancer", "ingress"]).is_empty() {
        w.write(
            LEVEL_0,
            &format!("LoadBalancer Ingress:\t{}\n", ingress_string(service)),
        );
    }
    let slices = slices_of(service, endpoint_slices);
    for port in list_at(service, &["spec", "ports"]) {
        describe_port(port, &slices, &mut w);
    }
    w.write(
        LEVEL_0,
        &format!("Session Affinity:\t{}\n", spec("sessionAffinity")),
    );
    if !spec("externalTrafficPolicy").is_empty() {
        w.write(
            LEVEL_0,
            &format!(
                "External Traffic Policy:\t{}\n",
                spec("externalTrafficPolicy")
            ),
        );
    }
    if let Some(policy) = get(service, &["spec", "internalTrafficPolicy"]).and_then(Value::as_str) {
        w.write(LEVEL_0, &format!("Internal Traffic Policy:\t{policy}\n"));
    }
    let health_check = int_at(service, &["spec", "healthCheckNodePort"]);
    if health_check != 0 {
        w.write(LEVEL_0, &format!("HealthCheck NodePort:\t{health_check}\n"));
    }
    let ranges = strings(service, &["spec", "loadBalancerSourceRanges"]);
    if !ranges.is_empty() {
        w.write(
            LEVEL_0,
            &format!("LoadBalancer Source Ranges:\t{}\n", ranges.join(",")),
        );
    }
    if let Some(td) = get(service, &["spec", "trafficDistribution"]).and_then(Value::as_str) {
        w.write(LEVEL_0, &format!("Traffic Distribution:\t{td}\n"));
    }
    let events = events_for(service, events, true);
    describe_events(&events, now, &mut w);
    w.finish()
}

fn joined_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "<none>".to_string()
    } else {
        items.join(",")
    }
}

/// One port: `Port:  http  80/TCP`, TargetPort, AppProtocol, NodePort, Endpoints.
fn describe_port(port: &Value, slices: &[&Value], w: &mut PrefixWriter) {
    let port_name = str_at(port, &["name"]);
    let name = if port_name.is_empty() {
        "<unset>"
    } else {
        port_name
    };
    let protocol = str_at(port, &["protocol"]);
    w.write(
        LEVEL_0,
        &format!("Port:\t{name}\t{}/{protocol}\n", int_at(port, &["port"])),
    );
    let target = match get(port, &["targetPort"]) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => int_at(v, &[]).to_string(),
        None => "0".to_string(),
    };
    w.write(LEVEL_0, &format!("TargetPort:\t{target}/{protocol}\n"));
    if let Some(app) = get(port, &["appProtocol"]).and_then(Value::as_str) {
        w.write(LEVEL_0, &format!("AppProtocol:\t{app}\n"));
    }
    let node_port = int_at(port, &["nodePort"]);
    if node_port != 0 {
        w.write(
            LEVEL_0,
            &format!("NodePort:\t{name}\t{node_port}/{protocol}\n"),
        );
    }
    w.write(
        LEVEL_0,
        &format!(
            "Endpoints:\t{}\n",
            format_endpoint_slices(slices, port_name)
        ),
    );
}

/// describeEndpoints.
pub fn describe_endpoints(endpoints: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\n", str_at(endpoints, &["metadata", "name"])),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Namespace:\t{}\n",
            str_at(endpoints, &["metadata", "namespace"])
        ),
    );
    print_labels_multiline(&mut w, "Labels", map_at(endpoints, &["metadata", "labels"]));
    print_annotations_multiline(
        &mut w,
        "Annotations",
        map_at(endpoints, &["metadata", "annotations"]),
    );
    w.write(LEVEL_0, "Subsets:\n");
    for subset in list_at(endpoints, &["subsets"]) {
        let ips = |key: &str| {
            let joined = list_at(subset, &[key])
                .iter()
                .map(|a| str_at(a, &["ip"]).to_string())
                .collect::<Vec<_>>()
                .join(",");
            if joined.is_empty() {
                "<none>".to_string()
            } else {
                joined
            }
        };
        w.write(LEVEL_1, &format!("Addresses:\t{}\n", ips("addresses")));
        w.write(
            LEVEL_1,
            &format!("NotReadyAddresses:\t{}\n", ips("notReadyAddresses")),
        );
        let ports = list_at(subset, &["ports"]);
        if !ports.is_empty() {
            w.write(LEVEL_1, "Ports:\n");
            w.write(LEVEL_2, "Name\tPort\tProtocol\n");
            w.write(LEVEL_2, "----\t----\t--------\n");
            for port in ports {
                let name = str_at(port, &["name"]);
                let name = if name.is_empty() { "<unset>" } else { name };
                w.write(
                    LEVEL_2,
                    &format!(
                        "{name}\t{}\t{}\n",
                        int_at(port, &["port"]),
                        str_at(port, &["protocol"])
                    ),
                );
            }
        }
        w.write(LEVEL_0, "\n");
    }
    let events = events_for(endpoints, events, true);
    describe_events(&events, now, &mut w);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn web_service() -> Value {
        json!({
            "kind": "Service", "apiVersion": "v1",
            "metadata": {"name": "web", "namespace": "default", "uid": "d75de022",
                         "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}\n"}},
            "spec": {"clusterIP": "10.103.177.61", "clusterIPs": ["10.103.177.61"],
                     "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                     "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}],
                     "selector": {"app": "web"}, "sessionAffinity": "None", "type": "ClusterIP"}
        })
    }

    fn slice(ready: bool) -> Value {
        json!({
            "metadata": {"name": "web-l562b", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": "web"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.244.1.5"],
                           "conditions": {"ready": ready, "serving": ready, "terminating": false}}],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]
        })
    }

    #[test]
    fn service_as_in_case_10() {
        let now: Timestamp = "2026-11-21T14:07:30Z".parse().unwrap();
        let got = describe_service(&web_service(), &[slice(false)], &[], now);
        assert_eq!(
            got,
            "Name:                     web
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app=web
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.103.177.61
IPs:                      10.103.177.61
Port:                     http  80/TCP
TargetPort:               http/TCP
Endpoints:                
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
"
        );
        let ready = describe_service(&web_service(), &[slice(true)], &[], now);
        assert!(ready.contains("\nEndpoints:                10.244.1.5:8080\n"));
        let none = describe_service(&web_service(), &[], &[], now);
        assert!(none.contains("\nEndpoints:                <none>\n"));
    }

    #[test]
    fn endpoints_subsets() {
        let now: Timestamp = "2026-11-21T14:07:30Z".parse().unwrap();
        let ep = json!({
            "metadata": {"name": "web", "namespace": "default"},
            "subsets": [{"addresses": [{"ip": "10.244.1.5"}],
                         "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]
        });
        assert_eq!(
            describe_endpoints(&ep, &[], now),
            "Name:         web
Namespace:    default
Labels:       <none>
Annotations:  <none>
Subsets:
  Addresses:          10.244.1.5
  NotReadyAddresses:  <none>
  Ports:
    Name  Port  Protocol
    ----  ----  --------
    http  8080  TCP

Events:  <none>
"
        );
    }
}
