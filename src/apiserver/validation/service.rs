//! Service validation: `ValidateServiceCreate`, `validateService` and `ValidateServiceUpdate` of
//! `pkg/apis/core/validation/validation.go` (v1.36), on the service after defaulting and IP
//! allocation, as the real server validates it. Service names are DNS-1035 labels
//! (RelaxedServiceNameValidation is alpha, off by default).

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{go_json_string, BadValue, ErrorList, FieldError, Path};
use super::meta::{validate_labels, validate_object_meta, validate_object_meta_update};
use super::names::{
    is_dns1123_label, is_dns1123_subdomain, is_qualified_name, is_valid_cidr_for_legacy_field,
    is_valid_ip_for_legacy_field, is_valid_port_num, name_is_dns1035_label, parse_ip_sloppy,
};
use super::pod::validate_port_num_or_name;

fn s(o: &Option<String>) -> &str {
    o.as_deref().unwrap_or("")
}

fn named(v: &str) -> BadValue {
    BadValue::named(v)
}

const MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS: i32 = 86400;
const ANNOTATION_TOPOLOGY_MODE: &str = "service.kubernetes.io/topology-mode";
const ANNOTATION_TOPOLOGY_AWARE_HINTS: &str = "service.kubernetes.io/topology-aware-hints";
const ANNOTATION_LB_SOURCE_RANGES: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

fn service_type(svc: &Service) -> &str {
    svc.spec
        .as_ref()
        .map_or("", |s| s.type_.as_deref().unwrap_or(""))
}

fn cluster_ips(svc: &Service) -> &[String] {
    svc.spec
        .as_ref()
        .and_then(|s| s.cluster_ips.as_deref())
        .unwrap_or_default()
}

fn is_headless(svc: &Service) -> bool {
    matches!(cluster_ips(svc), [only] if only == "None")
}

/// `ValidateServiceCreate`.
pub fn validate_service(svc: &Service) -> ErrorList {
    let mut errs = validate_object_meta(
        &svc.metadata,
        true,
        name_is_dns1035_label,
        &Path::new("metadata"),
    );
    errs.extend(validate_service_spec(svc, None));
    errs
}

/// `ValidateServiceUpdate`.
pub fn validate_service_update(new: &Service, old: &Service) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_upgrade_downgrade_cluster_ips(old, new));
    errs.extend(validate_upgrade_downgrade_ip_families(old, new));
    errs.extend(validate_load_balancer_class(Some(old), new));
    if needs_health_check(old) && needs_health_check(new) {
        let (o, n) = (health_check_node_port(old), health_check_node_port(new));
        if o != n {
            errs.push(FieldError::forbidden(
                &Path::new("spec").child("healthCheckNodePort"),
                "field is immutable",
            ));
        }
    }
    errs.extend(validate_service_spec(new, Some(old)));
    errs
}

fn health_check_node_port(svc: &Service) -> i32 {
    svc.spec
        .as_ref()
        .and_then(|s| s.health_check_node_port)
        .unwrap_or(0)
}

/// `apiservice.ExternallyAccessible`.
fn externally_accessible(svc: &Service) -> bool {
    let t = service_type(svc);
    t == "LoadBalancer"
        || t == "NodePort"
        || (t == "ClusterIP"
            && svc
                .spec
                .as_ref()
                .and_then(|s| s.external_ips.as_ref())
                .is_some_and(|e| !e.is_empty()))
}

/// `apiservice.NeedsHealthCheck`.
fn needs_health_check(svc: &Service) -> bool {
    service_type(svc) == "LoadBalancer"
        && svc
            .spec
            .as_ref()
            .and_then(|s| s.external_traffic_policy.as_deref())
            == Some("Local")
}

/// `validateService`.
fn validate_service_spec(svc: &Service, old: Option<&Service>) -> ErrorList {
    let mut errs = Vec::new();
    let spec = svc.spec.clone().unwrap_or_default();
    let spec_path = Path::new("spec");
    let annotations = svc.metadata.annotations.clone().unwrap_or_default();
    if let (Some(mode), Some(hints)) = (
        annotations.get(ANNOTATION_TOPOLOGY_MODE),
        annotations.get(ANNOTATION_TOPOLOGY_AWARE_HINTS),
    ) {
        if mode != hints {
            errs.push(FieldError::invalid(
                &Path::new("metadata").child("annotations").key(ANNOTATION_TOPOLOGY_MODE),
                mode.as_str(),
                format!("must match annotations[{ANNOTATION_TOPOLOGY_AWARE_HINTS}] when both are specified"),
            ));
        }
    }
    let ports = spec.ports.as_deref().unwrap_or_default();
    let svc_type = s(&spec.type_);
    let headless = is_headless(svc);
    if ports.is_empty() && !headless && svc_type != "ExternalName" {
        errs.push(FieldError::required(&spec_path.child("ports"), ""));
    }
    match svc_type {
        "LoadBalancer" | "NodePort" if headless => {
            let which = if svc_type == "LoadBalancer" {
                "LoadBalancer"
            } else {
                "NodePort"
            };
            errs.push(FieldError::invalid(
                &spec_path.child("clusterIPs").index(0),
                "None",
                format!("may not be set to 'None' for {which} services"),
            ));
        }
        "ExternalName" => {
            if !cluster_ips(svc).is_empty() {
                errs.push(FieldError::forbidden(
                    &spec_path.child("clusterIPs"),
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_families.as_ref().is_some_and(|f| !f.is_empty()) {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ipFamilies"),
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_family_policy.is_some() {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ipFamilyPolicy"),
                    "may not be set for ExternalName services",
                ));
            }
            let name = s(&spec.external_name);
            let cname = name.strip_suffix('.').unwrap_or(name);
            if cname.is_empty() {
                errs.push(FieldError::required(&spec_path.child("externalName"), ""));
            } else {
                for msg in is_dns1123_subdomain(cname) {
                    errs.push(FieldError::invalid(
                        &spec_path.child("externalName"),
                        cname,
                        msg,
                    ));
                }
            }
        }
        _ => {}
    }
    let mut port_names = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        errs.extend(validate_service_port(
            port,
            ports.len() > 1,
            &mut port_names,
            &spec_path.child("ports").index(i),
        ));
    }
    if spec.selector.is_some() {
        errs.extend(validate_labels(
            spec.selector.as_ref(),
            &spec_path.child("selector"),
        ));
    }
    let affinity = s(&spec.session_affinity);
    match affinity {
        "" => errs.push(FieldError::required(
            &spec_path.child("sessionAffinity"),
            "",
        )),
        "ClientIP" | "None" => {}
        other => errs.push(FieldError::not_supported(
            &spec_path.child("sessionAffinity"),
            named(other),
            &["ClientIP", "None"],
        )),
    }
    let config_path = spec_path.child("sessionAffinityConfig");
    if affinity == "ClientIP" {
        let timeout = spec
            .session_affinity_config
            .as_ref()
            .and_then(|c| c.client_ip.as_ref())
            .map(|c| c.timeout_seconds);
        match (spec.session_affinity_config.as_ref(), timeout) {
            (None, _) => errs.push(FieldError::required(
                &config_path,
                "when session affinity type is ClientIP",
            )),
            (Some(_), None) => errs.push(FieldError::required(
                &config_path.child("clientIP"),
                "when session affinity type is ClientIP",
            )),
            (Some(_), Some(None)) => errs.push(FieldError::required(
                &config_path.child("clientIP").child("timeoutSeconds"),
                "when session affinity type is ClientIP",
            )),
            (Some(_), Some(Some(t))) => {
                if t <= 0 || t > MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS {
                    errs.push(FieldError::invalid(
                        &config_path.child("clientIP").child("timeoutSeconds"),
                        t,
                        format!("must be greater than 0 and less than {MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS}"),
                    ));
                }
            }
        }
    } else if affinity == "None" && spec.session_affinity_config.is_some() {
        errs.push(FieldError::forbidden(
            &config_path,
            "must not be set when session affinity is None",
        ));
    }
    errs.extend(validate_cluster_ips_related_fields(svc, old));
    let old_external: Vec<String> = old
        .and_then(|o| o.spec.as_ref())
        .and_then(|s| s.external_ips.clone())
        .unwrap_or_default();
    for (i, ip) in spec.external_ips.iter().flatten().enumerate() {
        let p = spec_path.child("externalIPs").index(i);
        if old_external.contains(ip) {
            errs.extend(validate_endpoint_ip(ip, &p));
            continue;
        }
        let ip_errs = is_valid_ip_for_legacy_field(ip);
        if ip_errs.is_empty() {
            errs.extend(validate_endpoint_ip(ip, &p));
        } else {
            errs.extend(
                ip_errs
                    .into_iter()
                    .map(|m| FieldError::invalid(&p, ip.as_str(), m)),
            );
        }
    }
    match svc_type {
        "" => errs.push(FieldError::required(&spec_path.child("type"), "")),
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort" => {}
        other => errs.push(FieldError::not_supported(
            &spec_path.child("type"),
            named(other),
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        )),
    }
    if svc_type == "ClusterIP" {
        for (i, port) in ports.iter().enumerate() {
            if port.node_port.unwrap_or(0) != 0 {
                errs.push(FieldError::forbidden(
                    &spec_path.child("ports").index(i).child("nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_ports = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let np = port.node_port.unwrap_or(0);
        if np == 0 {
            continue;
        }
        if !node_ports.insert((s(&port.protocol).to_string(), np)) {
            errs.push(FieldError::duplicate(
                &spec_path.child("ports").index(i).child("nodePort"),
                np,
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let protocol = s(&port.protocol);
        if !seen.insert((protocol.to_string(), port.port)) {
            // The key is an internal core.ServicePort: no json tags, Go field names and order.
            let key = format!(
                "{{\"Name\":\"\",\"Protocol\":{},\"AppProtocol\":null,\"Port\":{},\"TargetPort\":0,\"NodePort\":0}}",
                go_json_string(protocol),
                port.port
            );
            errs.push(FieldError::duplicate(
                &spec_path.child("ports").index(i),
                BadValue::Json(key),
            ));
        }
    }
    errs.extend(validate_source_ranges(svc, old));
    if spec.allocate_load_balancer_node_ports.is_some() && svc_type != "LoadBalancer" {
        errs.push(FieldError::forbidden(
            &spec_path.child("allocateLoadBalancerNodePorts"),
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if svc_type == "LoadBalancer" && spec.allocate_load_balancer_node_ports.is_none() {
        errs.push(FieldError::required(
            &Path::new("allocateLoadBalancerNodePorts"),
            "",
        ));
    }
    errs.extend(validate_load_balancer_class(None, svc));
    errs.extend(validate_external_traffic_policy(svc));
    let itp = spec.internal_traffic_policy.as_deref();
    let itp_path = spec_path.child("internalTrafficPolicy");
    if itp.is_none() && matches!(svc_type, "NodePort" | "LoadBalancer" | "ClusterIP") {
        errs.push(FieldError::required(&itp_path, ""));
    }
    if let Some(p) = itp {
        if p != "Cluster" && p != "Local" {
            errs.push(FieldError::not_supported(
                &itp_path,
                named(p),
                &["Cluster", "Local"],
            ));
        }
    }
    if let Some(td) = spec.traffic_distribution.as_deref() {
        const SUPPORTED: [&str; 3] = ["PreferClose", "PreferSameZone", "PreferSameNode"];
        if !SUPPORTED.contains(&td) {
            errs.push(FieldError::not_supported(
                &spec_path.child("trafficDistribution"),
                td,
                &SUPPORTED,
            ));
        }
    }
    errs
}

/// `validateServicePort`.
fn validate_service_port(
    sp: &ServicePort,
    require_name: bool,
    names: &mut BTreeSet<String>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let name = s(&sp.name);
    if require_name && name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else if !name.is_empty() {
        for msg in is_dns1123_label(name) {
            errs.push(FieldError::invalid(&path.child("name"), name, msg));
        }
        if !names.insert(name.to_string()) {
            errs.push(FieldError::duplicate(&path.child("name"), name));
        }
    }
    for msg in is_valid_port_num(i64::from(sp.port)) {
        errs.push(FieldError::invalid(&path.child("port"), sp.port, msg));
    }
    match s(&sp.protocol) {
        "" => errs.push(FieldError::required(&path.child("protocol"), "")),
        "TCP" | "UDP" | "SCTP" => {}
        other => errs.push(FieldError::not_supported(
            &path.child("protocol"),
            named(other),
            &["SCTP", "TCP", "UDP"],
        )),
    }
    let target = sp.target_port.clone().unwrap_or(IntOrString::Int(0));
    errs.extend(validate_port_num_or_name(
        &target,
        &path.child("targetPort"),
    ));
    if let Some(ap) = sp.app_protocol.as_deref() {
        for msg in is_qualified_name(ap) {
            errs.push(FieldError::invalid(&path.child("appProtocol"), ap, msg));
        }
    }
    errs
}

/// `ValidateEndpointIP`, used for external IPs.
fn validate_endpoint_ip(ip: &str, path: &Path) -> ErrorList {
    let Some(addr) = parse_ip_sloppy(ip) else {
        return vec![FieldError::invalid(path, ip, "must be a valid IP address")];
    };
    let mut errs = Vec::new();
    if addr.is_unspecified() {
        errs.push(FieldError::invalid(
            path,
            ip,
            format!("may not be unspecified ({ip})"),
        ));
    }
    if addr.is_loopback() {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ));
    }
    let link_local = match addr {
        std::net::IpAddr::V4(v4) => v4.is_link_local(),
        std::net::IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    };
    if link_local {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ));
    }
    let link_local_multicast = match addr {
        std::net::IpAddr::V4(v4) => {
            v4.octets()[0] == 224 && v4.octets()[1] == 0 && v4.octets()[2] == 0
        }
        std::net::IpAddr::V6(v6) => (v6.segments()[0] & 0xff0f) == 0xff02,
    };
    if link_local_multicast {
        errs.push(FieldError::invalid(
            path,
            ip,
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ));
    }
    errs
}

/// The load balancer source ranges, from the field or the legacy annotation.
fn validate_source_ranges(svc: &Service, old: Option<&Service>) -> ErrorList {
    let mut errs = Vec::new();
    let spec = svc.spec.clone().unwrap_or_default();
    let is_lb = s(&spec.type_) == "LoadBalancer";
    let ranges = spec
        .load_balancer_source_ranges
        .as_deref()
        .unwrap_or_default();
    if !ranges.is_empty() {
        let p = Path::new("spec").child("LoadBalancerSourceRanges");
        if !is_lb {
            errs.push(FieldError::forbidden(
                &p,
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
        let existing: Vec<String> = old
            .and_then(|o| o.spec.as_ref())
            .and_then(|s| s.load_balancer_source_ranges.clone())
            .unwrap_or_default()
            .iter()
            .map(|v| v.trim().to_string())
            .collect();
        for (i, value) in ranges.iter().enumerate() {
            let v = value.trim();
            if existing.iter().any(|e| e == v) {
                continue;
            }
            for msg in is_valid_cidr_for_legacy_field(v) {
                errs.push(FieldError::invalid(&p.index(i), v, msg));
            }
        }
    } else if let Some(val) = svc
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(ANNOTATION_LB_SOURCE_RANGES))
    {
        let p = Path::new("metadata")
            .child("annotations")
            .key(ANNOTATION_LB_SOURCE_RANGES);
        if !is_lb {
            errs.push(FieldError::forbidden(
                &p,
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
        let old_val = old
            .and_then(|o| o.metadata.annotations.as_ref())
            .and_then(|a| a.get(ANNOTATION_LB_SOURCE_RANGES));
        if old_val != Some(val) {
            let trimmed = val.trim();
            if !trimmed.is_empty() {
                for cidr in trimmed.split(',') {
                    let c = cidr.trim();
                    for msg in is_valid_cidr_for_legacy_field(c) {
                        errs.push(FieldError::invalid(&p, c, msg));
                    }
                }
            }
        }
    }
    errs
}

/// `validateLoadBalancerClassField`.
fn validate_load_balancer_class(old: Option<&Service>, svc: &Service) -> ErrorList {
    let mut errs = Vec::new();
    let class = |s: &Service| {
        s.spec
            .as_ref()
            .and_then(|sp| sp.load_balancer_class.clone())
    };
    let p = Path::new("spec").child("loadBalancerClass");
    if let Some(old) = old {
        if service_type(old) == "LoadBalancer"
            && service_type(svc) == "LoadBalancer"
            && class(old) != class(svc)
        {
            let v = class(svc).map_or(BadValue::Null, |c| BadValue::named(&c));
            errs.push(FieldError::invalid(&p, v, "may not change once set"));
        }
    }
    match class(svc) {
        Some(c) if service_type(svc) == "LoadBalancer" => {
            for msg in is_qualified_name(&c) {
                errs.push(FieldError::invalid(&p, c.as_str(), msg));
            }
        }
        Some(_) => errs.push(FieldError::forbidden(
            &p,
            "may only be used when `type` is 'LoadBalancer'",
        )),
        None => {}
    }
    errs
}

/// `validateServiceExternalTrafficPolicy`.
fn validate_external_traffic_policy(svc: &Service) -> ErrorList {
    let mut errs = Vec::new();
    let spec = svc.spec.clone().unwrap_or_default();
    let p = Path::new("spec");
    let etp = s(&spec.external_traffic_policy);
    if !externally_accessible(svc) {
        if !etp.is_empty() {
            errs.push(FieldError::invalid(
                &p.child("externalTrafficPolicy"),
                named(etp),
                "may only be set for externally-accessible services",
            ));
        }
    } else if etp.is_empty() {
        errs.push(FieldError::required(&p.child("externalTrafficPolicy"), ""));
    } else if etp != "Cluster" && etp != "Local" {
        errs.push(FieldError::not_supported(
            &p.child("externalTrafficPolicy"),
            named(etp),
            &["Cluster", "Local"],
        ));
    }
    let hc = spec.health_check_node_port.unwrap_or(0);
    if !needs_health_check(svc) {
        if hc != 0 {
            errs.push(FieldError::invalid(
                &p.child("healthCheckNodePort"),
                hc,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if hc == 0 {
        errs.push(FieldError::required(&p.child("healthCheckNodePort"), ""));
    } else {
        for msg in is_valid_port_num(i64::from(hc)) {
            errs.push(FieldError::invalid(
                &p.child("healthCheckNodePort"),
                hc,
                msg,
            ));
        }
    }
    errs
}

fn is_ipv6(ip: &str) -> bool {
    matches!(parse_ip_sloppy(ip), Some(std::net::IpAddr::V6(_)))
}

/// `ValidateServiceClusterIPsRelatedFields`.
fn validate_cluster_ips_related_fields(svc: &Service, old: Option<&Service>) -> ErrorList {
    let mut errs = Vec::new();
    if service_type(svc) == "ExternalName" {
        return errs;
    }
    let spec = svc.spec.clone().unwrap_or_default();
    let p = Path::new("spec");
    let ips_path = p.child("clusterIPs");
    let ips = spec.cluster_ips.clone().unwrap_or_default();
    let ips_json = BadValue::string_list(spec.cluster_ips.as_deref());
    let cluster_ip = s(&spec.cluster_ip);
    if !cluster_ip.is_empty() {
        match ips.first() {
            None => errs.push(FieldError::required(&ips_path, "")),
            Some(first) if first != cluster_ip => errs.push(FieldError::invalid(
                &ips_path,
                ips_json.clone(),
                "first value must match `clusterIP`",
            )),
            _ => {}
        }
    } else if !ips.is_empty() {
        errs.push(FieldError::invalid(
            &ips_path,
            ips_json.clone(),
            "must be empty when `clusterIP` is not specified",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, fam) in spec.ip_families.iter().flatten().enumerate() {
        let fp = p.child("ipFamilies").index(i);
        if fam != "IPv4" && fam != "IPv6" {
            errs.push(FieldError::not_supported(
                &fp,
                named(fam),
                &["IPv4", "IPv6"],
            ));
        }
        if !seen.insert(fam.clone()) {
            errs.push(FieldError::duplicate(&fp, named(fam)));
        }
    }
    if let Some(policy) = spec.ip_family_policy.as_deref() {
        const POLICIES: [&str; 3] = ["PreferDualStack", "RequireDualStack", "SingleStack"];
        if !POLICIES.contains(&policy) {
            errs.push(FieldError::not_supported(
                &p.child("ipFamilyPolicy"),
                named(policy),
                &POLICIES,
            ));
        }
    }
    let existing: Vec<String> = old.map(|o| cluster_ips(o).to_vec()).unwrap_or_default();
    let mut invalid = false;
    for (i, ip) in ips.iter().enumerate() {
        if i == 0 && ip == "None" {
            if ips.len() > 1 {
                invalid = true;
                errs.push(FieldError::invalid(
                    &ips_path,
                    ips_json.clone(),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        if existing.contains(ip) {
            continue;
        }
        for msg in is_valid_ip_for_legacy_field(ip) {
            invalid = true;
            errs.push(FieldError::invalid(&ips_path.index(i), ip.as_str(), msg));
        }
    }
    if ips.len() > 2 {
        errs.push(FieldError::invalid(
            &ips_path,
            ips_json.clone(),
            "may only hold up to 2 values",
        ));
    }
    if invalid {
        return errs;
    }
    if ips.len() > 1 {
        let v6 = ips.iter().filter(|ip| is_ipv6(ip)).count();
        let dual = ips.len() == 2 && v6 == 1;
        if !dual {
            errs.push(FieldError::invalid(
                &ips_path,
                ips_json,
                "may specify no more than one IP for each IP family",
            ));
        }
    }
    let families = spec.ip_families.clone().unwrap_or_default();
    if !is_headless(svc) && !ips.is_empty() && !families.is_empty() {
        for (i, ip) in ips.iter().enumerate() {
            let Some(fam) = families.get(i) else { break };
            if fam == "IPv4" && is_ipv6(ip) {
                errs.push(FieldError::invalid(
                    &ips_path.index(i),
                    ip.as_str(),
                    format!("expected an IPv4 value as indicated by `ipFamilies[{i}]`"),
                ));
            }
            if fam == "IPv6" && !is_ipv6(ip) {
                errs.push(FieldError::invalid(
                    &ips_path.index(i),
                    ip.as_str(),
                    format!("expected an IPv6 value as indicated by `ipFamilies[{i}]`"),
                ));
            }
        }
    }
    errs
}

/// `validateUpgradeDowngradeClusterIPs`.
fn validate_upgrade_downgrade_cluster_ips(old: &Service, new: &Service) -> ErrorList {
    let mut errs = Vec::new();
    if service_type(new) == "ExternalName" || service_type(old) == "ExternalName" {
        return errs;
    }
    if is_headless(old) && is_headless(new) {
        return errs;
    }
    let (o, n) = (cluster_ips(old), cluster_ips(new));
    let p = Path::new("spec").child("clusterIPs");
    let n_json = || BadValue::string_list(new.spec.as_ref().and_then(|s| s.cluster_ips.as_deref()));
    if o.len() == n.len() {
        for (i, ip) in o.iter().enumerate() {
            if n.get(i) != Some(ip) {
                errs.push(FieldError::invalid(
                    &p.index(i),
                    n_json(),
                    "may not change once set",
                ));
            }
        }
    } else if o.len() > n.len() {
        if n.is_empty() {
            errs.push(FieldError::invalid(
                &p.index(0),
                n_json(),
                "primary clusterIP can not be unset",
            ));
        }
        if !o.is_empty() && !n.is_empty() && n[0] != o[0] {
            errs.push(FieldError::invalid(
                &p.index(0),
                n_json(),
                "may not change once set",
            ));
        }
        let policy = new.spec.as_ref().and_then(|s| s.ip_family_policy.clone());
        if n.len() == 1 && policy.as_deref() != Some("SingleStack") {
            errs.push(FieldError::invalid(
                &Path::new("spec").child("ipFamilyPolicy"),
                policy.map_or(BadValue::Null, |p| BadValue::named(&p)),
                "must be set to 'SingleStack' when releasing the secondary clusterIP",
            ));
        }
    } else if !o.is_empty() && n[0] != o[0] {
        errs.push(FieldError::invalid(
            &p.index(0),
            n_json(),
            "may not change once set",
        ));
    }
    errs
}

/// `validateUpgradeDowngradeIPFamilies`.
fn validate_upgrade_downgrade_ip_families(old: &Service, new: &Service) -> ErrorList {
    let mut errs = Vec::new();
    if service_type(new) == "ExternalName" || service_type(old) == "ExternalName" {
        return errs;
    }
    if is_headless(old) != is_headless(new) || is_headless(new) {
        return errs;
    }
    let fams = |s: &Service| {
        s.spec
            .as_ref()
            .and_then(|sp| sp.ip_families.clone())
            .unwrap_or_default()
    };
    let (o, n) = (fams(old), fams(new));
    let p = Path::new("spec").child("ipFamilies").index(0);
    let n_json = BadValue::string_list(new.spec.as_ref().and_then(|s| s.ip_families.as_deref()));
    let ips_json = BadValue::string_list(new.spec.as_ref().and_then(|s| s.cluster_ips.as_deref()));
    if o.len() == n.len() {
        for (i, f) in o.iter().enumerate() {
            if n.get(i) != Some(f) {
                errs.push(FieldError::invalid(
                    &p,
                    n_json.clone(),
                    "may not change once set",
                ));
            }
        }
    } else if o.len() > n.len() {
        if cluster_ips(new).is_empty() {
            errs.push(FieldError::invalid(
                &p,
                n_json.clone(),
                "primary ipFamily can not be unset",
            ));
        }
        if !n.is_empty() && n[0] != o[0] {
            errs.push(FieldError::invalid(&p, ips_json, "may not change once set"));
        }
        let policy = new.spec.as_ref().and_then(|s| s.ip_family_policy.clone());
        if n.len() == 1 && policy.as_deref() != Some("SingleStack") {
            errs.push(FieldError::invalid(
                &Path::new("spec").child("ipFamilyPolicy"),
                policy.map_or(BadValue::Null, |p| BadValue::named(&p)),
                "must be set to 'SingleStack' when releasing the secondary ipFamily",
            ));
        }
    } else if !o.is_empty() && !n.is_empty() && n[0] != o[0] {
        errs.push(FieldError::invalid(&p, ips_json, "may not change once set"));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn svc(spec: serde_json::Value) -> Service {
        let mut spec = spec;
        let m = spec.as_object_mut().unwrap();
        m.entry("type").or_insert(json!("ClusterIP"));
        m.entry("sessionAffinity").or_insert(json!("None"));
        m.entry("internalTrafficPolicy").or_insert(json!("Cluster"));
        m.entry("clusterIP").or_insert(json!("10.96.0.20"));
        m.entry("clusterIPs").or_insert(json!(["10.96.0.20"]));
        m.entry("ipFamilies").or_insert(json!(["IPv4"]));
        m.entry("ipFamilyPolicy").or_insert(json!("SingleStack"));
        serde_json::from_value(
            json!({"metadata": {"name": "web", "namespace": "default"}, "spec": spec}),
        )
        .unwrap()
    }

    fn messages(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn valid_service() {
        let s = svc(
            json!({"selector": {"app": "web"}, "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}]}),
        );
        assert_eq!(messages(&validate_service(&s)), Vec::<String>::new());
    }

    #[test]
    fn ports_required_and_ranges() {
        let s = svc(json!({}));
        assert_eq!(
            messages(&validate_service(&s)),
            vec!["spec.ports: Required value"]
        );
        let s = svc(json!({"ports": [
            {"port": 0, "protocol": "TCP", "targetPort": 0},
            {"name": "b", "port": 80, "protocol": "HTTP", "targetPort": "Web"}
        ]}));
        assert_eq!(
            messages(&validate_service(&s)),
            vec![
                "spec.ports[0].name: Required value",
                "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.ports[1].targetPort: Invalid value: \"Web\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            ]
        );
    }

    #[test]
    fn duplicate_ports_print_the_internal_struct() {
        let s = svc(json!({"ports": [
            {"name": "a", "port": 80, "protocol": "TCP", "targetPort": 80},
            {"name": "b", "port": 80, "protocol": "TCP", "targetPort": 81}
        ]}));
        assert_eq!(
            messages(&validate_service(&s)),
            vec!["spec.ports[1]: Duplicate value: {\"Name\":\"\",\"Protocol\":\"TCP\",\"AppProtocol\":null,\"Port\":80,\"TargetPort\":0,\"NodePort\":0}"]
        );
    }

    #[test]
    fn service_names_are_dns1035_labels() {
        let mut s = svc(json!({"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}]}));
        s.metadata.name = Some("1web".into());
        assert_eq!(
            messages(&validate_service(&s)),
            vec!["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]
        );
    }

    #[test]
    fn type_and_node_ports() {
        let s = svc(
            json!({"type": "Balanced", "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}]}),
        );
        assert_eq!(
            messages(&validate_service(&s)),
            vec!["spec.type: Unsupported value: \"Balanced\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""]
        );
        let s = svc(
            json!({"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 30080}]}),
        );
        assert_eq!(
            messages(&validate_service(&s)),
            vec!["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
        );
    }

    #[test]
    fn cluster_ip_is_immutable() {
        let mut old = svc(json!({"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}]}));
        old.metadata.resource_version = Some("3".into());
        let mut new = old.clone();
        let spec = new.spec.as_mut().unwrap();
        spec.cluster_ip = Some("10.96.0.30".into());
        spec.cluster_ips = Some(vec!["10.96.0.30".into()]);
        assert_eq!(
            messages(&validate_service_update(&new, &old)),
            vec!["spec.clusterIPs[0]: Invalid value: [\"10.96.0.30\"]: may not change once set"]
        );
    }
}
