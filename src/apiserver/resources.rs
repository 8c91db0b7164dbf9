//! The API's resources, as discovery (`kubectl api-resources`) lists them, and where each is kept
//! in etcd (the prefixes of `pkg/registry/*/storage`, e.g. Nodes live under `/registry/minions`).

/// One served resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceInfo {
    /// API group, "" for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// The plural resource name used in paths (`pods`).
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    /// The etcd key prefix, without the trailing slash.
    pub etcd_prefix: &'static str,
}

impl ResourceInfo {
    /// `v1` or `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `pods` or `deployments.apps`: how kubectl names the resource in messages.
    pub fn qualified_plural(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The URL of the collection, e.g. `/api/v1/namespaces/default/pods`.
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        let root = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        match (self.namespaced, namespace) {
            (true, Some(ns)) => format!("{root}/namespaces/{ns}/{}", self.plural),
            _ => format!("{root}/{}", self.plural),
        }
    }

    /// The etcd key of one object.
    pub fn etcd_key(&self, namespace: Option<&str>, name: &str) -> String {
        match (self.namespaced, namespace) {
            (true, Some(ns)) => format!("{}/{ns}/{name}", self.etcd_prefix),
            _ => format!("{}/{name}", self.etcd_prefix),
        }
    }

    /// The etcd prefix that holds a namespace's objects (or all of them).
    pub fn etcd_range(&self, namespace: Option<&str>) -> String {
        match (self.namespaced, namespace) {
            (true, Some(ns)) => format!("{}/{ns}/", self.etcd_prefix),
            _ => format!("{}/", self.etcd_prefix),
        }
    }
}

macro_rules! resource {
    ($group:expr, $version:expr, $kind:expr, $plural:expr, $singular:expr, [$($short:expr),*], $ns:expr, $prefix:expr) => {
        ResourceInfo {
            group: $group,
            version: $version,
            kind: $kind,
            plural: $plural,
            singular: $singular,
            short_names: &[$($short),*],
            namespaced: $ns,
            etcd_prefix: $prefix,
        }
    };
}

/// Every resource podlab serves.
pub const RESOURCES: &[ResourceInfo] = &[
    resource!(
        "",
        "v1",
        "Binding",
        "bindings",
        "binding",
        [],
        true,
        "/registry/bindings"
    ),
    resource!(
        "",
        "v1",
        "ConfigMap",
        "configmaps",
        "configmap",
        ["cm"],
        true,
        "/registry/configmaps"
    ),
    resource!(
        "",
        "v1",
        "Endpoints",
        "endpoints",
        "endpoints",
        ["ep"],
        true,
        "/registry/services/endpoints"
    ),
    resource!(
        "",
        "v1",
        "Event",
        "events",
        "event",
        ["ev"],
        true,
        "/registry/events"
    ),
    resource!(
        "",
        "v1",
        "Namespace",
        "namespaces",
        "namespace",
        ["ns"],
        false,
        "/registry/namespaces"
    ),
    resource!(
        "",
        "v1",
        "Node",
        "nodes",
        "node",
        ["no"],
        false,
        "/registry/minions"
    ),
    resource!(
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        ["pvc"],
        true,
        "/registry/persistentvolumeclaims"
    ),
    resource!(
        "",
        "v1",
        "PersistentVolume",
        "persistentvolumes",
        "persistentvolume",
        ["pv"],
        false,
        "/registry/persistentvolumes"
    ),
    resource!(
        "",
        "v1",
        "Pod",
        "pods",
        "pod",
        ["po"],
        true,
        "/registry/pods"
    ),
    resource!(
        "",
        "v1",
        "Secret",
        "secrets",
        "secret",
        [],
        true,
        "/registry/secrets"
    ),
    resource!(
        "",
        "v1",
        "ServiceAccount",
        "serviceaccounts",
        "serviceaccount",
        ["sa"],
        true,
        "/registry/serviceaccounts"
    ),
    resource!(
        "",
        "v1",
        "Service",
        "services",
        "service",
        ["svc"],
        true,
        "/registry/services/specs"
    ),
    resource!(
        "apps",
        "v1",
        "DaemonSet",
        "daemonsets",
        "daemonset",
        ["ds"],
        true,
        "/registry/daemonsets"
    ),
    resource!(
        "apps",
        "v1",
        "Deployment",
        "deployments",
        "deployment",
        ["deploy"],
        true,
        "/registry/deployments"
    ),
    resource!(
        "apps",
        "v1",
        "ReplicaSet",
        "replicasets",
        "replicaset",
        ["rs"],
        true,
        "/registry/replicasets"
    ),
    resource!(
        "apps",
        "v1",
        "StatefulSet",
        "statefulsets",
        "statefulset",
        ["sts"],
        true,
        "/registry/statefulsets"
    ),
    resource!(
        "authentication.k8s.io",
        "v1",
        "SelfSubjectReview",
        "selfsubjectreviews",
        "selfsubjectreview",
        [],
        false,
        // Never stored: the server describes the caller and forgets it (create-only resource).
        "/registry/selfsubjectreviews"
    ),
    resource!(
        "authorization.k8s.io",
        "v1",
        "SelfSubjectAccessReview",
        "selfsubjectaccessreviews",
        "selfsubjectaccessreview",
        [],
        false,
        // Never stored: the server answers a review and forgets it (create-only resource).
        "/registry/selfsubjectaccessreviews"
    ),
    resource!(
        "batch",
        "v1",
        "CronJob",
        "cronjobs",
        "cronjob",
        ["cj"],
        true,
        "/registry/cronjobs"
    ),
    resource!(
        "batch",
        "v1",
        "Job",
        "jobs",
        "job",
        [],
        true,
        "/registry/jobs"
    ),
    resource!(
        "coordination.k8s.io",
        "v1",
        "Lease",
        "leases",
        "lease",
        [],
        true,
        "/registry/leases"
    ),
    resource!(
        "discovery.k8s.io",
        "v1",
        "EndpointSlice",
        "endpointslices",
        "endpointslice",
        [],
        true,
        "/registry/endpointslices"
    ),
    resource!(
        "networking.k8s.io",
        "v1",
        "Ingress",
        "ingresses",
        "ingress",
        ["ing"],
        true,
        "/registry/ingress"
    ),
    resource!(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        "clusterrolebinding",
        [],
        false,
        "/registry/clusterrolebindings"
    ),
    resource!(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
        "clusterrole",
        [],
        false,
        "/registry/clusterroles"
    ),
    resource!(
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
        "rolebindings",
        "rolebinding",
        [],
        true,
        "/registry/rolebindings"
    ),
    resource!(
        "rbac.authorization.k8s.io",
        "v1",
        "Role",
        "roles",
        "role",
        [],
        true,
        "/registry/roles"
    ),
    resource!(
        "scheduling.k8s.io",
        "v1",
        "PriorityClass",
        "priorityclasses",
        "priorityclass",
        ["pc"],
        false,
        "/registry/priorityclasses"
    ),
    resource!(
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        "storageclass",
        ["sc"],
        false,
        "/registry/storageclasses"
    ),
    // The rest of what a v1.36 API server serves by default (GA group/versions), as discovery
    // lists it; podlab stores these objects without kind-specific behaviour.
    resource!(
        "",
        "v1",
        "ComponentStatus",
        "componentstatuses",
        "componentstatus",
        ["cs"],
        false,
        // Never stored: the server probes the components when asked.
        "/registry/componentstatuses"
    ),
    resource!(
        "",
        "v1",
        "LimitRange",
        "limitranges",
        "limitrange",
        ["limits"],
        true,
        "/registry/limitranges"
    ),
    resource!(
        "",
        "v1",
        "PodTemplate",
        "podtemplates",
        "podtemplate",
        [],
        true,
        "/registry/podtemplates"
    ),
    resource!(
        "",
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        "replicationcontroller",
        ["rc"],
        true,
        "/registry/controllers"
    ),
    resource!(
        "",
        "v1",
        "ResourceQuota",
        "resourcequotas",
        "resourcequota",
        ["quota"],
        true,
        "/registry/resourcequotas"
    ),
    resource!(
        "admissionregistration.k8s.io",
        "v1",
        "MutatingAdmissionPolicy",
        "mutatingadmissionpolicies",
        "mutatingadmissionpolicy",
        [],
        false,
        "/registry/mutatingadmissionpolicies"
    ),
    resource!(
        "admissionregistration.k8s.io",
        "v1",
        "MutatingAdmissionPolicyBinding",
        "mutatingadmissionpolicybindings",
        "mutatingadmissionpolicybinding",
        [],
        false,
        "/registry/mutatingadmissionpolicybindings"
    ),
    resource!(
        "admissionregistration.k8s.io",
        "v1",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        "mutatingwebhookconfiguration",
        [],
        false,
        "/registry/mutatingwebhookconfigurations"
    ),
    resource!(
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicy",
        "validatingadmissionpolicies",
        "validatingadmissionpolicy",
        [],
        false,
        "/registry/validatingadmissionpolicies"
    ),
    resource!(
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicyBinding",
        "validatingadmissionpolicybindings",
        "validatingadmissionpolicybinding",
        [],
        false,
        "/registry/validatingadmissionpolicybindings"
    ),
    resource!(
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        "validatingwebhookconfiguration",
        [],
        false,
        "/registry/validatingwebhookconfigurations"
    ),
    resource!(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        "customresourcedefinition",
        ["crd", "crds"],
        false,
        "/registry/apiextensions.k8s.io/customresourcedefinitions"
    ),
    resource!(
        "apiregistration.k8s.io",
        "v1",
        "APIService",
        "apiservices",
        "apiservice",
        [],
        false,
        "/registry/apiregistration.k8s.io/apiservices"
    ),
    resource!(
        "apps",
        "v1",
        "ControllerRevision",
        "controllerrevisions",
        "controllerrevision",
        [],
        true,
        "/registry/controllerrevisions"
    ),
    resource!(
        "authentication.k8s.io",
        "v1",
        "TokenReview",
        "tokenreviews",
        "tokenreview",
        [],
        false,
        // Never stored: the server answers a review and forgets it (create-only resource).
        "/registry/tokenreviews"
    ),
    resource!(
        "authorization.k8s.io",
        "v1",
        "LocalSubjectAccessReview",
        "localsubjectaccessreviews",
        "localsubjectaccessreview",
        [],
        true,
        // Never stored (create-only resource).
        "/registry/localsubjectaccessreviews"
    ),
    resource!(
        "authorization.k8s.io",
        "v1",
        "SelfSubjectRulesReview",
        "selfsubjectrulesreviews",
        "selfsubjectrulesreview",
        [],
        false,
        // Never stored (create-only resource).
        "/registry/selfsubjectrulesreviews"
    ),
    resource!(
        "authorization.k8s.io",
        "v1",
        "SubjectAccessReview",
        "subjectaccessreviews",
        "subjectaccessreview",
        [],
        false,
        // Never stored (create-only resource).
        "/registry/subjectaccessreviews"
    ),
    resource!(
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        ["hpa"],
        true,
        "/registry/horizontalpodautoscalers"
    ),
    resource!(
        "certificates.k8s.io",
        "v1",
        "CertificateSigningRequest",
        "certificatesigningrequests",
        "certificatesigningrequest",
        ["csr"],
        false,
        "/registry/certificatesigningrequests"
    ),
    resource!(
        "events.k8s.io",
        "v1",
        "Event",
        "events",
        "event",
        ["ev"],
        true,
        // The same objects as core v1 events, in the events.k8s.io shape.
        "/registry/events"
    ),
    resource!(
        "flowcontrol.apiserver.k8s.io",
        "v1",
        "FlowSchema",
        "flowschemas",
        "flowschema",
        [],
        false,
        "/registry/flowschemas"
    ),
    resource!(
        "flowcontrol.apiserver.k8s.io",
        "v1",
        "PriorityLevelConfiguration",
        "prioritylevelconfigurations",
        "prioritylevelconfiguration",
        [],
        false,
        "/registry/prioritylevelconfigurations"
    ),
    resource!(
        "networking.k8s.io",
        "v1",
        "IngressClass",
        "ingressclasses",
        "ingressclass",
        [],
        false,
        "/registry/ingressclasses"
    ),
    resource!(
        "networking.k8s.io",
        "v1",
        "IPAddress",
        "ipaddresses",
        "ipaddress",
        [],
        false,
        "/registry/ipaddresses"
    ),
    resource!(
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        "networkpolicy",
        ["netpol"],
        true,
        "/registry/networkpolicies"
    ),
    resource!(
        "networking.k8s.io",
        "v1",
        "ServiceCIDR",
        "servicecidrs",
        "servicecidr",
        [],
        false,
        "/registry/servicecidrs"
    ),
    resource!(
        "node.k8s.io",
        "v1",
        "RuntimeClass",
        "runtimeclasses",
        "runtimeclass",
        [],
        false,
        "/registry/runtimeclasses"
    ),
    resource!(
        "policy",
        "v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        "poddisruptionbudget",
        ["pdb"],
        true,
        "/registry/poddisruptionbudgets"
    ),
    resource!(
        "resource.k8s.io",
        "v1",
        "DeviceClass",
        "deviceclasses",
        "deviceclass",
        [],
        false,
        "/registry/deviceclasses"
    ),
    resource!(
        "resource.k8s.io",
        "v1",
        "ResourceClaim",
        "resourceclaims",
        "resourceclaim",
        [],
        true,
        "/registry/resourceclaims"
    ),
    resource!(
        "resource.k8s.io",
        "v1",
        "ResourceClaimTemplate",
        "resourceclaimtemplates",
        "resourceclaimtemplate",
        [],
        true,
        "/registry/resourceclaimtemplates"
    ),
    resource!(
        "resource.k8s.io",
        "v1",
        "ResourceSlice",
        "resourceslices",
        "resourceslice",
        [],
        false,
        "/registry/resourceslices"
    ),
    resource!(
        "storage.k8s.io",
        "v1",
        "CSIDriver",
        "csidrivers",
        "csidriver",
        [],
        false,
        "/registry/csidrivers"
    ),
    resource!(
        "storage.k8s.io",
        "v1",
        "CSINode",
        "csinodes",
        "csinode",
        [],
        false,
        "/registry/csinodes"
    ),
    resource!(
        "storage.k8s.io",
        "v1",
        "CSIStorageCapacity",
        "csistoragecapacities",
        "csistoragecapacity",
        [],
        true,
        "/registry/csistoragecapacities"
    ),
    resource!(
        "storage.k8s.io",
        "v1",
        "VolumeAttachment",
        "volumeattachments",
        "volumeattachment",
        [],
        false,
        "/registry/volumeattachments"
    ),
    resource!(
        "storage.k8s.io",
        "v1",
        "VolumeAttributesClass",
        "volumeattributesclasses",
        "volumeattributesclass",
        ["vac"],
        false,
        "/registry/volumeattributesclasses"
    ),
];

/// The resource served at `group`/`plural`.
pub fn by_plural(group: &str, plural: &str) -> Option<&'static ResourceInfo> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.plural == plural)
}

/// The resource of a manifest's `apiVersion` and `kind`.
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static ResourceInfo> {
    RESOURCES
        .iter()
        .find(|r| r.api_version() == api_version && r.kind == kind)
}

/// What kubectl's RESTMapper resolves a typed name to: plural, singular, short name or kind,
/// optionally qualified by group (`deployments.apps`), case-insensitively.
pub fn for_kubectl(name: &str) -> Option<&'static ResourceInfo> {
    let name = name.to_ascii_lowercase();
    let (base, group) = match name.split_once('.') {
        Some((b, g)) => (b.to_string(), Some(g.to_string())),
        None => (name.clone(), None),
    };
    RESOURCES.iter().filter(|r| r.kind != "Binding").find(|r| {
        let names_match = r.plural == base
            || r.singular == base
            || r.short_names.contains(&base.as_str())
            || r.kind.to_ascii_lowercase() == base;
        names_match && group.as_deref().is_none_or(|g| r.group == g)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_names_resolve() {
        assert_eq!(for_kubectl("po").map(|r| r.kind), Some("Pod"));
        assert_eq!(for_kubectl("Pods").map(|r| r.kind), Some("Pod"));
        assert_eq!(for_kubectl("svc").map(|r| r.kind), Some("Service"));
        assert_eq!(
            for_kubectl("deployments.apps").map(|r| r.kind),
            Some("Deployment")
        );
        assert_eq!(for_kubectl("bogus"), None);
    }

    #[test]
    fn keys_and_paths_follow_kubernetes() {
        let pods = by_plural("", "pods").unwrap();
        assert_eq!(
            pods.etcd_key(Some("default"), "nginx"),
            "/registry/pods/default/nginx"
        );
        assert_eq!(
            pods.collection_path(Some("default")),
            "/api/v1/namespaces/default/pods"
        );
        let nodes = by_kind("v1", "Node").unwrap();
        assert_eq!(
            nodes.etcd_key(None, "worker-1"),
            "/registry/minions/worker-1"
        );
        let deploy = by_kind("apps/v1", "Deployment").unwrap();
        assert_eq!(
            deploy.collection_path(Some("ns")),
            "/apis/apps/v1/namespaces/ns/deployments"
        );
    }
}
