//! Defaulting, as `pkg/apis/core/v1/defaults.go` applies it while the API server decodes a request:
//! every field a user may leave out gets the value a real v1.36 server stores.

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentStrategy, ReplicaSet, RollingUpdateDeployment,
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy,
    StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    ClientIPConfig, Container, DownwardAPIVolumeFile, HTTPGetAction, Lifecycle, Node,
    ObjectFieldSelector, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, Pod,
    PodSpec, PodTemplateSpec, Probe, ReplicationController, Service, ServicePort, ServiceSpec,
    SessionAffinityConfig, Volume,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// SetDefaults_Pod, SetDefaults_PodSpec and the container defaults.
pub fn pod(pod: &mut Pod) {
    let spec = pod.spec.get_or_insert_with(Default::default);
    pod_spec(spec);
    pod_only(spec);
}

/// What SetDefaults_Pod adds to a Pod and never to a pod template: `enableServiceLinks`, and
/// requests defaulted from limits ("we only want this defaulting semantic to take place on a
/// v1.Pod and not a v1.PodTemplate").
fn pod_only(spec: &mut PodSpec) {
    spec.enable_service_links.get_or_insert(true);
    let containers = spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut());
    for c in containers {
        requests_from_limits(c);
    }
}

/// The defaults of a pod spec (SetDefaults_PodSpec with its containers, probes and volumes),
/// shared by pods and pod templates.
pub fn pod_spec(spec: &mut PodSpec) {
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.security_context.get_or_insert_with(Default::default);
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".into());
    // `serviceAccount` is the deprecated alias that conversion keeps in step with serviceAccountName.
    if spec.service_account.is_none() {
        spec.service_account = spec.service_account_name.clone();
    }
    for c in spec.init_containers.iter_mut().flatten() {
        container(c);
    }
    for c in spec.containers.iter_mut() {
        container(c);
    }
    for v in spec.volumes.iter_mut().flatten() {
        volume(v);
    }
}

/// `v1.SecretVolumeSourceDefaultMode`, `ConfigMapVolumeSourceDefaultMode`,
/// `DownwardAPIVolumeSourceDefaultMode` and `ProjectedVolumeSourceDefaultMode`: 0644.
const VOLUME_DEFAULT_MODE: i32 = 0o644;

/// A volume's defaults, as SetObjectDefaults_Pod applies them to each `spec.volumes[i]`:
/// SetDefaults_Volume (an emptyDir when no source is set; an image volume's pull policy), then
/// each source's own (defaultMode 0644 for secret, configMap, downwardAPI and projected, the
/// hostPath type "", `fieldRef.apiVersion` v1 in downward API items, a projected token's hour,
/// the legacy in-tree drivers' fixed values, an ephemeral claim template's volume mode).
fn volume(v: &mut Volume) {
    if has_no_source(v) {
        v.empty_dir = Some(Default::default());
    }
    if let Some(image) = v.image.as_mut() {
        if image.pull_policy.as_deref().is_none_or(str::is_empty) {
            let reference = image.reference.as_deref().unwrap_or_default();
            image.pull_policy = Some(image_pull_policy(reference).into());
        }
    }
    if let Some(h) = v.host_path.as_mut() {
        h.type_.get_or_insert_with(String::new);
    }
    if let Some(s) = v.secret.as_mut() {
        s.default_mode.get_or_insert(VOLUME_DEFAULT_MODE);
    }
    if let Some(d) = v.downward_api.as_mut() {
        d.default_mode.get_or_insert(VOLUME_DEFAULT_MODE);
        downward_api_items(d.items.iter_mut().flatten());
    }
    if let Some(cm) = v.config_map.as_mut() {
        cm.default_mode.get_or_insert(VOLUME_DEFAULT_MODE);
    }
    if let Some(p) = v.projected.as_mut() {
        p.default_mode.get_or_insert(VOLUME_DEFAULT_MODE);
        for source in p.sources.iter_mut().flatten() {
            if let Some(d) = source.downward_api.as_mut() {
                downward_api_items(d.items.iter_mut().flatten());
            }
            if let Some(t) = source.service_account_token.as_mut() {
                // SetDefaults_ServiceAccountTokenProjection: one hour.
                t.expiration_seconds.get_or_insert(3600);
            }
        }
    }
    if let Some(e) = v.ephemeral.as_mut() {
        if let Some(template) = e.volume_claim_template.as_mut() {
            persistent_volume_claim_spec(&mut template.spec);
        }
    }
    legacy_volume_sources(v);
}

/// SetDefaults_Volume's test: `ptr.AllPtrFieldsNil(&obj.VolumeSource)`, every source unset.
fn has_no_source(v: &Volume) -> bool {
    serde_json::to_value(v)
        .ok()
        .and_then(|value| value.as_object().map(|m| m.keys().all(|k| k == "name")))
        .unwrap_or(false)
}

/// SetDefaults_ObjectFieldSelector on each item's `fieldRef`: apiVersion v1.
fn downward_api_items<'a>(items: impl Iterator<Item = &'a mut DownwardAPIVolumeFile>) {
    for item in items {
        if let Some(f) = item.field_ref.as_mut() {
            object_field_selector(f);
        }
    }
}

/// SetDefaults_ObjectFieldSelector: apiVersion v1 when empty.
fn object_field_selector(f: &mut ObjectFieldSelector) {
    if f.api_version.as_deref().is_none_or(str::is_empty) {
        f.api_version = Some("v1".into());
    }
}

/// The `+default` markers of the in-tree drivers (zz_generated.defaults.go): iSCSI interface
/// "default"; RBD pool "rbd", user "admin", keyring /etc/ceph/keyring; Azure disk ReadWrite
/// caching, ext4, not read-only, Shared kind; ScaleIO ThinProvisioned and xfs.
fn legacy_volume_sources(v: &mut Volume) {
    fn fill_opt(field: &mut Option<String>, value: &str) {
        if field.as_deref().is_none_or(str::is_empty) {
            *field = Some(value.into());
        }
    }
    if let Some(i) = v.iscsi.as_mut() {
        fill_opt(&mut i.iscsi_interface, "default");
    }
    if let Some(r) = v.rbd.as_mut() {
        fill_opt(&mut r.pool, "rbd");
        fill_opt(&mut r.user, "admin");
        fill_opt(&mut r.keyring, "/etc/ceph/keyring");
    }
    if let Some(a) = v.azure_disk.as_mut() {
        a.caching_mode.get_or_insert_with(|| "ReadWrite".into());
        a.fs_type.get_or_insert_with(|| "ext4".into());
        a.read_only.get_or_insert(false);
        a.kind.get_or_insert_with(|| "Shared".into());
    }
    if let Some(s) = v.scale_io.as_mut() {
        fill_opt(&mut s.storage_mode, "ThinProvisioned");
        fill_opt(&mut s.fs_type, "xfs");
    }
}

/// The image pull policy a container gets when it names none: Always for `:latest` or no tag
/// (and no digest), otherwise IfNotPresent (SetDefaults_Container).
pub fn image_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}

fn container(c: &mut Container) {
    if c.image_pull_policy.is_none() {
        c.image_pull_policy =
            Some(image_pull_policy(c.image.as_deref().unwrap_or_default()).into());
    }
    c.termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy
        .get_or_insert_with(|| "File".into());
    c.resources.get_or_insert_with(Default::default);
    for p in c.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".into());
    }
    for env in c.env.iter_mut().flatten() {
        if let Some(f) = env.value_from.as_mut().and_then(|vf| vf.field_ref.as_mut()) {
            object_field_selector(f);
        }
        if let Some(k) = env
            .value_from
            .as_mut()
            .and_then(|vf| vf.file_key_ref.as_mut())
        {
            k.optional.get_or_insert(false);
        }
    }
    if let Some(l) = c.lifecycle.as_mut() {
        lifecycle(l);
    }
    for probe in [
        &mut c.liveness_probe,
        &mut c.readiness_probe,
        &mut c.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        self::probe(probe);
    }
}

fn probe(p: &mut Probe) {
    p.timeout_seconds.get_or_insert(1);
    p.period_seconds.get_or_insert(10);
    p.success_threshold.get_or_insert(1);
    p.failure_threshold.get_or_insert(3);
    if let Some(h) = p.http_get.as_mut() {
        http_get(h);
    }
    if let Some(g) = p.grpc.as_mut() {
        g.service.get_or_insert_with(String::new);
    }
}

/// The lifecycle hooks' HTTP actions get SetDefaults_HTTPGetAction too.
fn lifecycle(l: &mut Lifecycle) {
    for handler in [&mut l.post_start, &mut l.pre_stop].into_iter().flatten() {
        if let Some(h) = handler.http_get.as_mut() {
            http_get(h);
        }
    }
}

/// SetDefaults_HTTPGetAction: path "/" and scheme HTTP when empty.
fn http_get(h: &mut HTTPGetAction) {
    if h.path.as_deref().is_none_or(str::is_empty) {
        h.path = Some("/".into());
    }
    if h.scheme.as_deref().is_none_or(str::is_empty) {
        h.scheme = Some("HTTP".into());
    }
}

/// SetDefaults_Service (pkg/apis/core/v1/defaults.go): sessionAffinity None (which drops any
/// sessionAffinityConfig) or, for ClientIP, a 10800 s timeout; type ClusterIP; ports TCP with
/// targetPort = port (when unset, 0 or ""); externalTrafficPolicy Cluster when externally
/// accessible; internalTrafficPolicy Cluster for ClusterIP, NodePort and LoadBalancer;
/// allocateLoadBalancerNodePorts true and ingress ipMode VIP for a LoadBalancer. (Cluster IPs,
/// IP families and node ports are set by the allocators.)
pub fn service(svc: &mut Service) {
    let spec = svc.spec.get_or_insert_with(Default::default);
    session_affinity(spec);
    if spec.type_.as_deref().is_none_or(str::is_empty) {
        spec.type_ = Some("ClusterIP".into());
    }
    for p in spec.ports.iter_mut().flatten() {
        service_port(p);
    }
    if externally_accessible(spec)
        && spec
            .external_traffic_policy
            .as_deref()
            .is_none_or(str::is_empty)
    {
        spec.external_traffic_policy = Some("Cluster".into());
    }
    let ty = spec.type_.as_deref().unwrap_or_default();
    if matches!(ty, "ClusterIP" | "NodePort" | "LoadBalancer") {
        spec.internal_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    if ty == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
        load_balancer_ip_modes(svc);
    }
}

/// The sessionAffinity part of SetDefaults_Service (`v1.DefaultClientIPServiceAffinitySeconds`
/// is 10800).
fn session_affinity(spec: &mut ServiceSpec) {
    if spec.session_affinity.as_deref().is_none_or(str::is_empty) {
        spec.session_affinity = Some("None".into());
    }
    match spec.session_affinity.as_deref() {
        Some("None") => spec.session_affinity_config = None,
        Some("ClientIP") => {
            let timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .and_then(|c| c.timeout_seconds);
            if timeout.is_none() {
                spec.session_affinity_config = Some(SessionAffinityConfig {
                    client_ip: Some(ClientIPConfig {
                        timeout_seconds: Some(10800),
                    }),
                });
            }
        }
        _ => {}
    }
}

/// `service.ExternallyAccessible` (pkg/api/v1/service/util.go): a LoadBalancer, a NodePort, or
/// a ClusterIP Service with external IPs.
fn externally_accessible(spec: &ServiceSpec) -> bool {
    match spec.type_.as_deref() {
        Some("LoadBalancer" | "NodePort") => true,
        Some("ClusterIP") => spec
            .external_ips
            .as_ref()
            .is_some_and(|ips| !ips.is_empty()),
        _ => false,
    }
}

/// A LoadBalancer's status ingress points with an IP and no ipMode get `VIP`.
fn load_balancer_ip_modes(svc: &mut Service) {
    let ingress = svc
        .status
        .as_mut()
        .and_then(|s| s.load_balancer.as_mut())
        .and_then(|lb| lb.ingress.as_mut());
    for ing in ingress.into_iter().flatten() {
        if ing.ip.as_deref().is_some_and(|ip| !ip.is_empty()) && ing.ip_mode.is_none() {
            ing.ip_mode = Some("VIP".into());
        }
    }
}

fn service_port(p: &mut ServicePort) {
    if p.protocol.as_deref().is_none_or(str::is_empty) {
        p.protocol = Some("TCP".into());
    }
    let unset = match &p.target_port {
        None => true,
        Some(IntOrString::Int(n)) => *n == 0,
        Some(IntOrString::String(s)) => s.is_empty(),
    };
    if unset {
        p.target_port = Some(IntOrString::Int(p.port));
    }
}

/// SetDefaults_Node has nothing a registration needs beyond what the kubelet sends.
pub fn node(_node: &mut Node) {}

/// Limits without requests: requests default to the limits (SetDefaults_Pod).
fn requests_from_limits(c: &mut Container) {
    if let Some(res) = c.resources.as_mut() {
        if let Some(limits) = res.limits.clone() {
            let requests = res.requests.get_or_insert_with(Default::default);
            for (k, v) in limits {
                requests.entry(k).or_insert(v);
            }
        }
    }
}

/// The defaults of a pod template (`SetObjectDefaults_*` for a PodTemplateSpec field): the pod
/// spec's, none of the Pod's own.
pub fn pod_template(template: &mut PodTemplateSpec) {
    pod_spec(template.spec.get_or_insert_with(Default::default));
}

/// SetDefaults_Deployment (pkg/apis/apps/v1/defaults.go): one replica, a RollingUpdate strategy
/// with maxUnavailable and maxSurge at 25%, ten old ReplicaSets kept, a 600 s progress deadline;
/// then the pod template's defaults.
pub fn deployment(d: &mut Deployment) {
    let spec = d.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    let strategy = spec
        .strategy
        .get_or_insert_with(DeploymentStrategy::default);
    let kind = strategy.type_.get_or_insert_with(|| "RollingUpdate".into());
    if kind == "RollingUpdate" {
        let rolling = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        rolling
            .max_unavailable
            .get_or_insert_with(|| IntOrString::String("25%".into()));
        rolling
            .max_surge
            .get_or_insert_with(|| IntOrString::String("25%".into()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    pod_template(&mut spec.template);
}

/// SetDefaults_ReplicaSet: one replica; then the pod template's defaults.
pub fn replica_set(rs: &mut ReplicaSet) {
    let spec = rs.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    pod_template(spec.template.get_or_insert_with(Default::default));
}

/// SetObjectDefaults_ReplicationController (pkg/apis/core/v1): SetDefaults_ReplicationController
/// copies the template's labels (when the template has a label map) to an empty `spec.selector`
/// and to empty `metadata.labels`; one replica (the declarative default); then the template's
/// defaults.
pub fn replication_controller(rc: &mut ReplicationController) {
    let spec = rc.spec.get_or_insert_with(Default::default);
    let template_labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone());
    if let Some(labels) = template_labels {
        if spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
            spec.selector = Some(labels.clone());
        }
        if rc.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
            rc.metadata.labels = Some(labels);
        }
    }
    spec.replicas.get_or_insert(1);
    if let Some(template) = spec.template.as_mut() {
        pod_template(template);
    }
}

/// SetDefaults_Secret (type Opaque) and the v1 → internal conversion that folds `stringData`
/// into `data` (its keys win over `data`'s) and drops it: the stored Secret has only `data`.
pub fn secret(secret: &mut k8s_openapi::api::core::v1::Secret) {
    secret.type_.get_or_insert_with(|| "Opaque".into());
    if let Some(strings) = secret.string_data.take() {
        let data = secret.data.get_or_insert_with(Default::default);
        for (k, v) in strings {
            data.insert(k, k8s_openapi::ByteString(v.into_bytes()));
        }
    }
}

/// SetDefaults_StatefulSet (pkg/apis/apps/v1/defaults.go): OrderedReady pod management, a
/// RollingUpdate strategy with partition 0 (maxUnavailable only with the MaxUnavailableStatefulSet
/// gate, off in v1.36), claims retained when deleted and when scaled, one replica, ten revisions;
/// then the template's defaults and each volume claim template's (SetObjectDefaults_StatefulSet:
/// SetDefaults_PersistentVolumeClaim and its spec's).
pub fn stateful_set(sts: &mut StatefulSet) {
    let spec = sts.spec.get_or_insert_with(Default::default);
    spec.pod_management_policy
        .get_or_insert_with(|| "OrderedReady".into());
    let strategy = spec
        .update_strategy
        .get_or_insert_with(StatefulSetUpdateStrategy::default);
    if strategy.type_.is_none() {
        strategy.type_ = Some("RollingUpdate".into());
        strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateStatefulSetStrategy::default);
    }
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        if let Some(rolling) = strategy.rolling_update.as_mut() {
            rolling.partition.get_or_insert(0);
        }
    }
    let retention = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
    for policy in [&mut retention.when_deleted, &mut retention.when_scaled] {
        if policy.as_deref().is_none_or(str::is_empty) {
            *policy = Some("Retain".into());
        }
    }
    spec.replicas.get_or_insert(1);
    spec.revision_history_limit.get_or_insert(10);
    pod_template(&mut spec.template);
    for claim in spec.volume_claim_templates.iter_mut().flatten() {
        persistent_volume_claim(claim);
    }
}

/// SetDefaults_PersistentVolumeClaim and SetDefaults_PersistentVolumeClaimSpec: phase Pending, a
/// Filesystem volume mode.
pub fn persistent_volume_claim(pvc: &mut PersistentVolumeClaim) {
    let status = pvc.status.get_or_insert_with(Default::default);
    if status.phase.as_deref().is_none_or(str::is_empty) {
        status.phase = Some("Pending".into());
    }
    persistent_volume_claim_spec(pvc.spec.get_or_insert_with(Default::default));
}

/// SetDefaults_PersistentVolumeClaimSpec: a Filesystem volume mode.
pub fn persistent_volume_claim_spec(spec: &mut PersistentVolumeClaimSpec) {
    spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
}

/// SetDefaults_PersistentVolume: phase Pending, reclaim policy Retain, a Filesystem volume mode.
pub fn persistent_volume(pv: &mut PersistentVolume) {
    let status = pv.status.get_or_insert_with(Default::default);
    if status.phase.as_deref().is_none_or(str::is_empty) {
        status.phase = Some("Pending".into());
    }
    let spec = pv.spec.get_or_insert_with(Default::default);
    if spec
        .persistent_volume_reclaim_policy
        .as_deref()
        .is_none_or(str::is_empty)
    {
        spec.persistent_volume_reclaim_policy = Some("Retain".into());
    }
    spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
    // SetDefaults_HostPathVolumeSource.
    if let Some(h) = spec.host_path.as_mut() {
        h.type_.get_or_insert_with(String::new);
    }
}

/// SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go): concurrency Allow, not suspended, three
/// successful and one failed Job kept; the job template gets only its pod template's defaults
/// (SetObjectDefaults_CronJob does not call SetDefaults_Job).
pub fn cron_job(cj: &mut k8s_openapi::api::batch::v1::CronJob) {
    let spec = &mut cj.spec;
    if spec.concurrency_policy.as_deref().is_none_or(str::is_empty) {
        spec.concurrency_policy = Some("Allow".into());
    }
    spec.suspend.get_or_insert(false);
    spec.successful_jobs_history_limit.get_or_insert(3);
    spec.failed_jobs_history_limit.get_or_insert(1);
    let job = spec.job_template.spec.get_or_insert_with(Default::default);
    pod_template(&mut job.template);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_default_to_opaque_and_fold_string_data() {
        let mut s: k8s_openapi::api::core::v1::Secret = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "s"}, "data": {"a": "eA==", "b": "eQ=="}, "stringData": {"b": "two"}
        }))
        .unwrap();
        secret(&mut s);
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["type"], "Opaque");
        assert_eq!(v["data"], serde_json::json!({"a": "eA==", "b": "dHdv"}));
        assert!(v.get("stringData").is_none());
    }

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(image_pull_policy("nginx"), "Always");
        assert_eq!(image_pull_policy("nginx:latest"), "Always");
        assert_eq!(image_pull_policy("nginx:1.27"), "IfNotPresent");
        assert_eq!(image_pull_policy("localhost:5000/app"), "Always");
        assert_eq!(image_pull_policy("busybox@sha256:abc"), "IfNotPresent");
    }

    #[test]
    fn deployments_get_the_apps_v1_defaults_and_template_defaults_only() {
        let mut d: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "hello"},
            "spec": {
                "selector": {"matchLabels": {"app": "hello"}},
                "template": {
                    "metadata": {"labels": {"app": "hello"}},
                    "spec": {"containers": [{"name": "hello", "image": "nginx:1.27", "resources": {"limits": {"cpu": "1"}}}]}
                }
            }
        }))
        .unwrap();
        deployment(&mut d);
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["spec"]["replicas"], 1);
        assert_eq!(
            v["spec"]["strategy"],
            serde_json::json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        );
        assert_eq!(v["spec"]["revisionHistoryLimit"], 10);
        assert_eq!(v["spec"]["progressDeadlineSeconds"], 600);
        let spec = &v["spec"]["template"]["spec"];
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["containers"][0]["imagePullPolicy"], "IfNotPresent");
        // Pod-only defaults stay out of templates.
        assert!(spec.get("enableServiceLinks").is_none());
        assert!(spec["containers"][0]["resources"].get("requests").is_none());
    }

    #[test]
    fn a_recreate_strategy_gets_no_rolling_update() {
        let mut d: Deployment = serde_json::from_value(
            serde_json::json!({"spec": {"selector": {}, "template": {}, "strategy": {"type": "Recreate"}}}),
        )
        .unwrap();
        deployment(&mut d);
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(
            v["spec"]["strategy"],
            serde_json::json!({"type": "Recreate"})
        );
    }

    #[test]
    fn services_get_set_defaults_service() {
        let mut svc: Service = serde_json::from_value(serde_json::json!({
            "spec": {"type": "LoadBalancer", "ports": [{"port": 80, "targetPort": ""}],
                     "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 5}}},
            "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.9"}, {"hostname": "lb"}]}}
        }))
        .unwrap();
        service(&mut svc);
        let v = serde_json::to_value(&svc).unwrap();
        assert_eq!(v["spec"]["allocateLoadBalancerNodePorts"], true);
        assert_eq!(v["spec"]["externalTrafficPolicy"], "Cluster");
        assert_eq!(v["spec"]["internalTrafficPolicy"], "Cluster");
        assert_eq!(v["spec"]["ports"][0]["targetPort"], 80);
        assert!(v["spec"].get("sessionAffinityConfig").is_none());
        assert_eq!(v["status"]["loadBalancer"]["ingress"][0]["ipMode"], "VIP");
        assert!(v["status"]["loadBalancer"]["ingress"][1]
            .get("ipMode")
            .is_none());

        let mut ext: Service = serde_json::from_value(serde_json::json!({
            "spec": {"type": "ExternalName", "externalName": "example.com"}
        }))
        .unwrap();
        service(&mut ext);
        let v = serde_json::to_value(&ext).unwrap();
        assert!(v["spec"].get("internalTrafficPolicy").is_none());
        assert!(v["spec"].get("externalTrafficPolicy").is_none());

        let mut ips: Service = serde_json::from_value(serde_json::json!({
            "spec": {"externalIPs": ["192.0.2.1"], "ports": [{"port": 80}]}
        }))
        .unwrap();
        service(&mut ips);
        let v = serde_json::to_value(&ips).unwrap();
        assert_eq!(v["spec"]["externalTrafficPolicy"], "Cluster");
    }

    #[test]
    fn volume_sources_get_their_defaults() {
        let mut spec: PodSpec = serde_json::from_value(serde_json::json!({
            "containers": [{"name": "a", "image": "busybox:1.36",
                "lifecycle": {"preStop": {"httpGet": {"port": 80}}},
                "livenessProbe": {"grpc": {"port": 9000}}}],
            "volumes": [
                {"name": "d", "downwardAPI": {"items": [{"path": "l", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
                {"name": "s", "secret": {"secretName": "x"}},
                {"name": "c", "configMap": {"name": "x", "defaultMode": 256}},
                {"name": "p", "projected": {"sources": [
                    {"downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name", "apiVersion": "v1"}}]}},
                    {"serviceAccountToken": {"path": "token"}}
                ]}},
                {"name": "e"},
                {"name": "i", "image": {"reference": "quay.io/x/y"}}
            ]
        }))
        .unwrap();
        pod_spec(&mut spec);
        let v = serde_json::to_value(&spec).unwrap();
        let vols = &v["volumes"];
        assert_eq!(vols[0]["downwardAPI"]["defaultMode"], 420);
        assert_eq!(
            vols[0]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"],
            "v1"
        );
        assert_eq!(vols[1]["secret"]["defaultMode"], 420);
        assert_eq!(vols[2]["configMap"]["defaultMode"], 256);
        assert_eq!(vols[3]["projected"]["defaultMode"], 420);
        assert_eq!(
            vols[3]["projected"]["sources"][1]["serviceAccountToken"]["expirationSeconds"],
            3600
        );
        assert_eq!(vols[4]["emptyDir"], serde_json::json!({}));
        assert_eq!(vols[5]["image"]["pullPolicy"], "Always");
        let c = &v["containers"][0];
        assert_eq!(
            c["lifecycle"]["preStop"]["httpGet"],
            serde_json::json!({"path": "/", "port": 80, "scheme": "HTTP"})
        );
        assert_eq!(c["livenessProbe"]["grpc"]["service"], "");
    }
}
