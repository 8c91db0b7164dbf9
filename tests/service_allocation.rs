//! What the Service registry allocates on create (pkg/registry/core/service/storage/alloc.go):
//! node ports from 30000-32767 for NodePort and LoadBalancer services (a requested one reserved,
//! a taken one refused), and the IP family fields of a single-stack IPv4 cluster
//! (initIPFamilyFields).

use podlab::{Cluster, Preset};

fn service(name: &str, spec: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n{spec}")
}

fn apply(c: &mut Cluster, yaml: &str) -> (String, i32) {
    let out = c.kubectl("kubectl apply -f -", Some(yaml));
    (out.text, out.exit_code)
}

fn get(c: &mut Cluster, name: &str, path: &str) -> String {
    c.kubectl(
        &format!("kubectl get svc {name} -o jsonpath='{path}'"),
        None,
    )
    .text
}

const WEB_PORT: &str = "  selector:\n    app: web\n  ports:\n  - port: 80\n";

#[test]
fn node_ports_are_drawn_from_the_upper_band_and_shared_by_one_port_number() {
    let mut c = Cluster::new(Preset::Empty, 3);
    let dns = service(
        "dns",
        "  type: NodePort\n  selector:\n    app: dns\n  ports:\n  - name: udp\n    port: 53\n    protocol: UDP\n  - name: tcp\n    port: 53\n    protocol: TCP\n  - name: web\n    port: 80\n",
    );
    assert_eq!(apply(&mut c, &dns), ("service/dns created\n".into(), 0));
    let ports: Vec<i64> = get(&mut c, "dns", "{.spec.ports[*].nodePort}")
        .split(' ')
        .filter_map(|p| p.parse().ok())
        .collect();
    assert_eq!(ports.len(), 3, "{ports:?}");
    assert_eq!(
        ports[0], ports[1],
        "TCP and UDP on port 53 share a node port"
    );
    assert_ne!(ports[0], ports[2]);
    // AllocateNext draws from above the static band (offset 86 of the 2768 ports).
    assert!(
        ports.iter().all(|p| (30086..=32767).contains(p)),
        "{ports:?}"
    );
    // Deterministic for a seed.
    let mut again = Cluster::new(Preset::Empty, 3);
    apply(&mut again, &dns);
    let same = get(&mut again, "dns", "{.spec.ports[*].nodePort}");
    assert_eq!(same, get(&mut c, "dns", "{.spec.ports[*].nodePort}"));
}

#[test]
fn a_requested_node_port_is_reserved_and_cannot_be_taken_twice() {
    let mut c = Cluster::new(Preset::Empty, 1);
    let fixed = "  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n    nodePort: 30080\n";
    assert_eq!(
        apply(&mut c, &service("fixed", fixed)),
        ("service/fixed created\n".into(), 0)
    );
    assert_eq!(get(&mut c, "fixed", "{.spec.ports[0].nodePort}"), "30080");
    let clash = fixed.replace("NodePort", "LoadBalancer");
    let out = c.kubectl("kubectl create -f -", Some(&service("clash", &clash)));
    assert_eq!(
        out.text,
        "The Service \"clash\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n"
    );
    let outside = fixed.replace("30080", "8080");
    let out = c.kubectl("kubectl create -f -", Some(&service("outside", &outside)));
    assert_eq!(
        out.text,
        "The Service \"outside\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767\n"
    );
}

#[test]
fn a_load_balancer_gets_node_ports_unless_it_declines_them() {
    let mut c = Cluster::new(Preset::Empty, 1);
    let lb = format!("  type: LoadBalancer\n{WEB_PORT}");
    apply(&mut c, &service("lb", &lb));
    let port: i64 = get(&mut c, "lb", "{.spec.ports[0].nodePort}")
        .parse()
        .unwrap_or(0);
    assert!((30000..=32767).contains(&port), "{port}");
    let none = format!("  type: LoadBalancer\n  allocateLoadBalancerNodePorts: false\n{WEB_PORT}");
    apply(&mut c, &service("none", &none));
    assert_eq!(get(&mut c, "none", "{.spec.ports[0].nodePort}"), "");
    let local = format!("  type: LoadBalancer\n  externalTrafficPolicy: Local\n{WEB_PORT}");
    apply(&mut c, &service("local", &local));
    let health: i64 = get(&mut c, "local", "{.spec.healthCheckNodePort}")
        .parse()
        .unwrap_or(0);
    assert!((30000..=32767).contains(&health), "{health}");
}

#[test]
fn ip_family_fields_of_a_single_stack_cluster() {
    let mut c = Cluster::new(Preset::Empty, 1);
    let fields = "{.spec.ipFamilies} {.spec.ipFamilyPolicy}";
    apply(
        &mut c,
        &service("headless", &format!("  clusterIP: None\n{WEB_PORT}")),
    );
    assert_eq!(get(&mut c, "headless", fields), "[\"IPv4\"] SingleStack");
    apply(
        &mut c,
        &service("bare", "  clusterIP: None\n  ports:\n  - port: 80\n"),
    );
    assert_eq!(
        get(&mut c, "bare", fields),
        "[\"IPv4\",\"IPv6\"] RequireDualStack"
    );
    apply(
        &mut c,
        &service(
            "prefer",
            &format!("  ipFamilyPolicy: PreferDualStack\n{WEB_PORT}"),
        ),
    );
    assert_eq!(get(&mut c, "prefer", fields), "[\"IPv4\"] PreferDualStack");
    apply(&mut c, &service("plain", WEB_PORT));
    assert_eq!(get(&mut c, "plain", fields), "[\"IPv4\"] SingleStack");
    let out = c.kubectl(
        "kubectl create -f -",
        Some(&service(
            "require",
            &format!("  ipFamilyPolicy: RequireDualStack\n{WEB_PORT}"),
        )),
    );
    assert_eq!(
        out.text,
        "The Service \"require\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services\n"
    );
    let out = c.kubectl(
        "kubectl create -f -",
        Some(&service(
            "six",
            &format!("  ipFamilies: [IPv6]\n{WEB_PORT}"),
        )),
    );
    assert_eq!(
        out.text,
        "The Service \"six\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster\n"
    );
}
