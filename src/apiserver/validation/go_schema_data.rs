//! The Go field tables of the API types podlab decodes: for every struct of `k8s.io/api` (core,
//! apps, batch and discovery v1) and `k8s.io/apimachinery/pkg/apis/meta/v1` reachable from the
//! kinds below, its JSON field names and Go types, in declaration order; and the named types with
//! their underlying types. These are facts of the v1.36 API (from the `json:` tags of
//! k8s.io/api v0.36.2), read by [`super::go_schema`].
//!
//! Line format: `S <pkg>.<Type> <json>:<type> ...` for a struct (`~:<type>` is an inline embedded
//! struct), `N <pkg>.<Type> <underlying>` for a named type. Types are written with their package
//! path (`core/v1.Container`, `meta/v1.Time`); `resource.Quantity`, `intstr.IntOrString`,
//! `types.UID` and `runtime.RawExtension` keep their Go spelling.

pub const DATA: &str = r#"
N apps/v1.DaemonSetConditionType string
N apps/v1.DaemonSetUpdateStrategyType string
N apps/v1.DeploymentConditionType string
N apps/v1.DeploymentStrategyType string
N apps/v1.PersistentVolumeClaimRetentionPolicyType string
N apps/v1.PodManagementPolicyType string
N apps/v1.ReplicaSetConditionType string
N apps/v1.StatefulSetConditionType string
N apps/v1.StatefulSetUpdateStrategyType string
N batch/v1.CompletionMode string
N batch/v1.ConcurrencyPolicy string
N batch/v1.JobConditionType string
N batch/v1.PodFailurePolicyAction string
N batch/v1.PodFailurePolicyOnExitCodesOperator string
N batch/v1.PodReplacementPolicy string
N core/v1.AppArmorProfileType string
N core/v1.AzureDataDiskCachingMode string
N core/v1.AzureDataDiskKind string
N core/v1.Capability string
N core/v1.ClaimResourceStatus string
N core/v1.ConditionStatus string
N core/v1.ContainerRestartPolicy string
N core/v1.ContainerRestartRuleAction string
N core/v1.ContainerRestartRuleOnExitCodesOperator string
N core/v1.DNSPolicy string
N core/v1.FinalizerName string
N core/v1.HostPathType string
N core/v1.IPFamily string
N core/v1.IPFamilyPolicy string
N core/v1.LimitType string
N core/v1.LoadBalancerIPMode string
N core/v1.MountPropagationMode string
N core/v1.NamespaceConditionType string
N core/v1.NamespacePhase string
N core/v1.NodeAddressType string
N core/v1.NodeConditionType string
N core/v1.NodeInclusionPolicy string
N core/v1.NodePhase string
N core/v1.NodeSelectorOperator string
N core/v1.OSName string
N core/v1.PersistentVolumeAccessMode string
N core/v1.PersistentVolumeClaimConditionType string
N core/v1.PersistentVolumeClaimModifyVolumeStatus string
N core/v1.PersistentVolumeClaimPhase string
N core/v1.PersistentVolumeMode string
N core/v1.PersistentVolumePhase string
N core/v1.PersistentVolumeReclaimPolicy string
N core/v1.PodConditionType string
N core/v1.PodFSGroupChangePolicy string
N core/v1.PodPhase string
N core/v1.PodQOSClass string
N core/v1.PodResizeStatus string
N core/v1.PodSELinuxChangePolicy string
N core/v1.PreemptionPolicy string
N core/v1.ProcMountType string
N core/v1.Protocol string
N core/v1.PullPolicy string
N core/v1.RecursiveReadOnlyMode string
N core/v1.ReplicationControllerConditionType string
N core/v1.ResourceHealthStatus string
N core/v1.ResourceID string
N core/v1.ResourceList map[core/v1.ResourceName]resource.Quantity
N core/v1.ResourceName string
N core/v1.ResourceQuotaScope string
N core/v1.ResourceResizeRestartPolicy string
N core/v1.RestartPolicy string
N core/v1.ScopeSelectorOperator string
N core/v1.SeccompProfileType string
N core/v1.SecretType string
N core/v1.ServiceAffinity string
N core/v1.ServiceExternalTrafficPolicy string
N core/v1.ServiceInternalTrafficPolicy string
N core/v1.ServiceType string
N core/v1.Signal string
N core/v1.StorageMedium string
N core/v1.SupplementalGroupsPolicy string
N core/v1.TaintEffect string
N core/v1.TerminationMessagePolicy string
N core/v1.TolerationOperator string
N core/v1.URIScheme string
N core/v1.UniqueVolumeName string
N core/v1.UnsatisfiableConstraintAction string
N discovery/v1.AddressType string
N meta/v1.ConditionStatus string
N meta/v1.LabelSelectorOperator string
N meta/v1.ManagedFieldsOperationType string
S meta/v1.TypeMeta kind:string apiVersion:string
S meta/v1.OwnerReference apiVersion:string kind:string name:string uid:types.UID controller:*bool blockOwnerDeletion:*bool
S meta/v1.ManagedFieldsEntry manager:string operation:meta/v1.ManagedFieldsOperationType apiVersion:string time:*meta/v1.Time fieldsType:string fieldsV1:*meta/v1.FieldsV1 subresource:string
S meta/v1.ObjectMeta name:string generateName:string namespace:string selfLink:string uid:types.UID resourceVersion:string generation:int64 creationTimestamp:meta/v1.Time deletionTimestamp:*meta/v1.Time deletionGracePeriodSeconds:*int64 labels:map[string]string annotations:map[string]string ownerReferences:[]meta/v1.OwnerReference finalizers:[]string managedFields:[]meta/v1.ManagedFieldsEntry
S core/v1.HostPathVolumeSource path:string type:*core/v1.HostPathType
S core/v1.EmptyDirVolumeSource medium:core/v1.StorageMedium sizeLimit:*resource.Quantity
S core/v1.GCEPersistentDiskVolumeSource pdName:string fsType:string partition:int32 readOnly:bool
S core/v1.AWSElasticBlockStoreVolumeSource volumeID:string fsType:string partition:int32 readOnly:bool
S core/v1.GitRepoVolumeSource repository:string revision:string directory:string
S core/v1.KeyToPath key:string path:string mode:*int32
S core/v1.SecretVolumeSource secretName:string items:[]core/v1.KeyToPath defaultMode:*int32 optional:*bool
S core/v1.NFSVolumeSource server:string path:string readOnly:bool
S core/v1.LocalObjectReference name:string
S core/v1.ISCSIVolumeSource targetPortal:string iqn:string lun:int32 iscsiInterface:string fsType:string readOnly:bool portals:[]string chapAuthDiscovery:bool chapAuthSession:bool secretRef:*core/v1.LocalObjectReference initiatorName:*string
S core/v1.GlusterfsVolumeSource endpoints:string path:string readOnly:bool
S core/v1.PersistentVolumeClaimVolumeSource claimName:string readOnly:bool
S core/v1.RBDVolumeSource monitors:[]string image:string fsType:string pool:string user:string keyring:string secretRef:*core/v1.LocalObjectReference readOnly:bool
S core/v1.FlexVolumeSource driver:string fsType:string secretRef:*core/v1.LocalObjectReference readOnly:bool options:map[string]string
S core/v1.CinderVolumeSource volumeID:string fsType:string readOnly:bool secretRef:*core/v1.LocalObjectReference
S core/v1.CephFSVolumeSource monitors:[]string path:string user:string secretFile:string secretRef:*core/v1.LocalObjectReference readOnly:bool
S core/v1.FlockerVolumeSource datasetName:string datasetUUID:string
S core/v1.ObjectFieldSelector apiVersion:string fieldPath:string
S core/v1.ResourceFieldSelector containerName:string resource:string divisor:resource.Quantity
S core/v1.DownwardAPIVolumeFile path:string fieldRef:*core/v1.ObjectFieldSelector resourceFieldRef:*core/v1.ResourceFieldSelector mode:*int32
S core/v1.DownwardAPIVolumeSource items:[]core/v1.DownwardAPIVolumeFile defaultMode:*int32
S core/v1.FCVolumeSource targetWWNs:[]string lun:*int32 fsType:string readOnly:bool wwids:[]string
S core/v1.AzureFileVolumeSource secretName:string shareName:string readOnly:bool
S core/v1.ConfigMapVolumeSource ~:core/v1.LocalObjectReference items:[]core/v1.KeyToPath defaultMode:*int32 optional:*bool
S core/v1.VsphereVirtualDiskVolumeSource volumePath:string fsType:string storagePolicyName:string storagePolicyID:string
S core/v1.QuobyteVolumeSource registry:string volume:string readOnly:bool user:string group:string tenant:string
S core/v1.AzureDiskVolumeSource diskName:string diskURI:string cachingMode:*core/v1.AzureDataDiskCachingMode fsType:*string readOnly:*bool kind:*core/v1.AzureDataDiskKind
S core/v1.PhotonPersistentDiskVolumeSource pdID:string fsType:string
S core/v1.SecretProjection ~:core/v1.LocalObjectReference items:[]core/v1.KeyToPath optional:*bool
S core/v1.DownwardAPIProjection items:[]core/v1.DownwardAPIVolumeFile
S core/v1.ConfigMapProjection ~:core/v1.LocalObjectReference items:[]core/v1.KeyToPath optional:*bool
S core/v1.ServiceAccountTokenProjection audience:string expirationSeconds:*int64 path:string
S meta/v1.LabelSelectorRequirement key:string operator:meta/v1.LabelSelectorOperator values:[]string
S meta/v1.LabelSelector matchLabels:map[string]string matchExpressions:[]meta/v1.LabelSelectorRequirement
S core/v1.ClusterTrustBundleProjection name:*string signerName:*string labelSelector:*meta/v1.LabelSelector optional:*bool path:string
S core/v1.PodCertificateProjection signerName:string keyType:string maxExpirationSeconds:*int32 credentialBundlePath:string keyPath:string certificateChainPath:string userAnnotations:map[string]string
S core/v1.VolumeProjection secret:*core/v1.SecretProjection downwardAPI:*core/v1.DownwardAPIProjection configMap:*core/v1.ConfigMapProjection serviceAccountToken:*core/v1.ServiceAccountTokenProjection clusterTrustBundle:*core/v1.ClusterTrustBundleProjection podCertificate:*core/v1.PodCertificateProjection
S core/v1.ProjectedVolumeSource sources:[]core/v1.VolumeProjection defaultMode:*int32
S core/v1.PortworxVolumeSource volumeID:string fsType:string readOnly:bool
S core/v1.ScaleIOVolumeSource gateway:string system:string secretRef:*core/v1.LocalObjectReference sslEnabled:bool protectionDomain:string storagePool:string storageMode:string volumeName:string fsType:string readOnly:bool
S core/v1.StorageOSVolumeSource volumeName:string volumeNamespace:string fsType:string readOnly:bool secretRef:*core/v1.LocalObjectReference
S core/v1.CSIVolumeSource driver:string readOnly:*bool fsType:*string volumeAttributes:map[string]string nodePublishSecretRef:*core/v1.LocalObjectReference
S core/v1.VolumeResourceRequirements limits:core/v1.ResourceList requests:core/v1.ResourceList
S core/v1.TypedLocalObjectReference apiGroup:*string kind:string name:string
S core/v1.TypedObjectReference apiGroup:*string kind:string name:string namespace:*string
S core/v1.PersistentVolumeClaimSpec accessModes:[]core/v1.PersistentVolumeAccessMode selector:*meta/v1.LabelSelector resources:core/v1.VolumeResourceRequirements volumeName:string storageClassName:*string volumeMode:*core/v1.PersistentVolumeMode dataSource:*core/v1.TypedLocalObjectReference dataSourceRef:*core/v1.TypedObjectReference volumeAttributesClassName:*string
S core/v1.PersistentVolumeClaimTemplate metadata:meta/v1.ObjectMeta spec:core/v1.PersistentVolumeClaimSpec
S core/v1.EphemeralVolumeSource volumeClaimTemplate:*core/v1.PersistentVolumeClaimTemplate
S core/v1.ImageVolumeSource reference:string pullPolicy:core/v1.PullPolicy
S core/v1.VolumeSource hostPath:*core/v1.HostPathVolumeSource emptyDir:*core/v1.EmptyDirVolumeSource gcePersistentDisk:*core/v1.GCEPersistentDiskVolumeSource awsElasticBlockStore:*core/v1.AWSElasticBlockStoreVolumeSource gitRepo:*core/v1.GitRepoVolumeSource secret:*core/v1.SecretVolumeSource nfs:*core/v1.NFSVolumeSource iscsi:*core/v1.ISCSIVolumeSource glusterfs:*core/v1.GlusterfsVolumeSource persistentVolumeClaim:*core/v1.PersistentVolumeClaimVolumeSource rbd:*core/v1.RBDVolumeSource flexVolume:*core/v1.FlexVolumeSource cinder:*core/v1.CinderVolumeSource cephfs:*core/v1.CephFSVolumeSource flocker:*core/v1.FlockerVolumeSource downwardAPI:*core/v1.DownwardAPIVolumeSource fc:*core/v1.FCVolumeSource azureFile:*core/v1.AzureFileVolumeSource configMap:*core/v1.ConfigMapVolumeSource vsphereVolume:*core/v1.VsphereVirtualDiskVolumeSource quobyte:*core/v1.QuobyteVolumeSource azureDisk:*core/v1.AzureDiskVolumeSource photonPersistentDisk:*core/v1.PhotonPersistentDiskVolumeSource projected:*core/v1.ProjectedVolumeSource portworxVolume:*core/v1.PortworxVolumeSource scaleIO:*core/v1.ScaleIOVolumeSource storageos:*core/v1.StorageOSVolumeSource csi:*core/v1.CSIVolumeSource ephemeral:*core/v1.EphemeralVolumeSource image:*core/v1.ImageVolumeSource
S core/v1.Volume name:string ~:core/v1.VolumeSource
S core/v1.ContainerPort name:string hostPort:int32 containerPort:int32 protocol:core/v1.Protocol hostIP:string
S core/v1.ConfigMapEnvSource ~:core/v1.LocalObjectReference optional:*bool
S core/v1.SecretEnvSource ~:core/v1.LocalObjectReference optional:*bool
S core/v1.EnvFromSource prefix:string configMapRef:*core/v1.ConfigMapEnvSource secretRef:*core/v1.SecretEnvSource
S core/v1.ConfigMapKeySelector ~:core/v1.LocalObjectReference key:string optional:*bool
S core/v1.SecretKeySelector ~:core/v1.LocalObjectReference key:string optional:*bool
S core/v1.FileKeySelector volumeName:string path:string key:string optional:*bool
S core/v1.EnvVarSource fieldRef:*core/v1.ObjectFieldSelector resourceFieldRef:*core/v1.ResourceFieldSelector configMapKeyRef:*core/v1.ConfigMapKeySelector secretKeyRef:*core/v1.SecretKeySelector fileKeyRef:*core/v1.FileKeySelector
S core/v1.EnvVar name:string value:string valueFrom:*core/v1.EnvVarSource
S core/v1.ResourceClaim name:string request:string
S core/v1.ResourceRequirements limits:core/v1.ResourceList requests:core/v1.ResourceList claims:[]core/v1.ResourceClaim
S core/v1.ContainerResizePolicy resourceName:core/v1.ResourceName restartPolicy:core/v1.ResourceResizeRestartPolicy
S core/v1.ContainerRestartRuleOnExitCodes operator:core/v1.ContainerRestartRuleOnExitCodesOperator values:[]int32
S core/v1.ContainerRestartRule action:core/v1.ContainerRestartRuleAction exitCodes:*core/v1.ContainerRestartRuleOnExitCodes
S core/v1.VolumeMount name:string readOnly:bool recursiveReadOnly:*core/v1.RecursiveReadOnlyMode mountPath:string subPath:string mountPropagation:*core/v1.MountPropagationMode subPathExpr:string
S core/v1.VolumeDevice name:string devicePath:string
S core/v1.ExecAction command:[]string
S core/v1.HTTPHeader name:string value:string
S core/v1.HTTPGetAction path:string port:intstr.IntOrString host:string scheme:core/v1.URIScheme httpHeaders:[]core/v1.HTTPHeader
S core/v1.TCPSocketAction port:intstr.IntOrString host:string
S core/v1.GRPCAction port:int32 service:*string
S core/v1.ProbeHandler exec:*core/v1.ExecAction httpGet:*core/v1.HTTPGetAction tcpSocket:*core/v1.TCPSocketAction grpc:*core/v1.GRPCAction
S core/v1.Probe ~:core/v1.ProbeHandler initialDelaySeconds:int32 timeoutSeconds:int32 periodSeconds:int32 successThreshold:int32 failureThreshold:int32 terminationGracePeriodSeconds:*int64
S core/v1.SleepAction seconds:int64
S core/v1.LifecycleHandler exec:*core/v1.ExecAction httpGet:*core/v1.HTTPGetAction tcpSocket:*core/v1.TCPSocketAction sleep:*core/v1.SleepAction
S core/v1.Lifecycle postStart:*core/v1.LifecycleHandler preStop:*core/v1.LifecycleHandler stopSignal:*core/v1.Signal
S core/v1.Capabilities add:[]core/v1.Capability drop:[]core/v1.Capability
S core/v1.SELinuxOptions user:string role:string type:string level:string
S core/v1.WindowsSecurityContextOptions gmsaCredentialSpecName:*string gmsaCredentialSpec:*string runAsUserName:*string hostProcess:*bool
S core/v1.SeccompProfile type:core/v1.SeccompProfileType localhostProfile:*string
S core/v1.AppArmorProfile type:core/v1.AppArmorProfileType localhostProfile:*string
S core/v1.SecurityContext capabilities:*core/v1.Capabilities privileged:*bool seLinuxOptions:*core/v1.SELinuxOptions windowsOptions:*core/v1.WindowsSecurityContextOptions runAsUser:*int64 runAsGroup:*int64 runAsNonRoot:*bool readOnlyRootFilesystem:*bool allowPrivilegeEscalation:*bool procMount:*core/v1.ProcMountType seccompProfile:*core/v1.SeccompProfile appArmorProfile:*core/v1.AppArmorProfile
S core/v1.Container name:string image:string command:[]string args:[]string workingDir:string ports:[]core/v1.ContainerPort envFrom:[]core/v1.EnvFromSource env:[]core/v1.EnvVar resources:core/v1.ResourceRequirements resizePolicy:[]core/v1.ContainerResizePolicy restartPolicy:*core/v1.ContainerRestartPolicy restartPolicyRules:[]core/v1.ContainerRestartRule volumeMounts:[]core/v1.VolumeMount volumeDevices:[]core/v1.VolumeDevice livenessProbe:*core/v1.Probe readinessProbe:*core/v1.Probe startupProbe:*core/v1.Probe lifecycle:*core/v1.Lifecycle terminationMessagePath:string terminationMessagePolicy:core/v1.TerminationMessagePolicy imagePullPolicy:core/v1.PullPolicy securityContext:*core/v1.SecurityContext stdin:bool stdinOnce:bool tty:bool
S core/v1.EphemeralContainerCommon name:string image:string command:[]string args:[]string workingDir:string ports:[]core/v1.ContainerPort envFrom:[]core/v1.EnvFromSource env:[]core/v1.EnvVar resources:core/v1.ResourceRequirements resizePolicy:[]core/v1.ContainerResizePolicy restartPolicy:*core/v1.ContainerRestartPolicy restartPolicyRules:[]core/v1.ContainerRestartRule volumeMounts:[]core/v1.VolumeMount volumeDevices:[]core/v1.VolumeDevice livenessProbe:*core/v1.Probe readinessProbe:*core/v1.Probe startupProbe:*core/v1.Probe lifecycle:*core/v1.Lifecycle terminationMessagePath:string terminationMessagePolicy:core/v1.TerminationMessagePolicy imagePullPolicy:core/v1.PullPolicy securityContext:*core/v1.SecurityContext stdin:bool stdinOnce:bool tty:bool
S core/v1.EphemeralContainer ~:core/v1.EphemeralContainerCommon targetContainerName:string
S core/v1.Sysctl name:string value:string
S core/v1.PodSecurityContext seLinuxOptions:*core/v1.SELinuxOptions windowsOptions:*core/v1.WindowsSecurityContextOptions runAsUser:*int64 runAsGroup:*int64 runAsNonRoot:*bool supplementalGroups:[]int64 supplementalGroupsPolicy:*core/v1.SupplementalGroupsPolicy fsGroup:*int64 sysctls:[]core/v1.Sysctl fsGroupChangePolicy:*core/v1.PodFSGroupChangePolicy seccompProfile:*core/v1.SeccompProfile appArmorProfile:*core/v1.AppArmorProfile seLinuxChangePolicy:*core/v1.PodSELinuxChangePolicy
S core/v1.NodeSelectorRequirement key:string operator:core/v1.NodeSelectorOperator values:[]string
S core/v1.NodeSelectorTerm matchExpressions:[]core/v1.NodeSelectorRequirement matchFields:[]core/v1.NodeSelectorRequirement
S core/v1.NodeSelector nodeSelectorTerms:[]core/v1.NodeSelectorTerm
S core/v1.PreferredSchedulingTerm weight:int32 preference:core/v1.NodeSelectorTerm
S core/v1.NodeAffinity requiredDuringSchedulingIgnoredDuringExecution:*core/v1.NodeSelector preferredDuringSchedulingIgnoredDuringExecution:[]core/v1.PreferredSchedulingTerm
S core/v1.PodAffinityTerm labelSelector:*meta/v1.LabelSelector namespaces:[]string topologyKey:string namespaceSelector:*meta/v1.LabelSelector matchLabelKeys:[]string mismatchLabelKeys:[]string
S core/v1.WeightedPodAffinityTerm weight:int32 podAffinityTerm:core/v1.PodAffinityTerm
S core/v1.PodAffinity requiredDuringSchedulingIgnoredDuringExecution:[]core/v1.PodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution:[]core/v1.WeightedPodAffinityTerm
S core/v1.PodAntiAffinity requiredDuringSchedulingIgnoredDuringExecution:[]core/v1.PodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution:[]core/v1.WeightedPodAffinityTerm
S core/v1.Affinity nodeAffinity:*core/v1.NodeAffinity podAffinity:*core/v1.PodAffinity podAntiAffinity:*core/v1.PodAntiAffinity
S core/v1.Toleration key:string operator:core/v1.TolerationOperator value:string effect:core/v1.TaintEffect tolerationSeconds:*int64
S core/v1.HostAlias ip:string hostnames:[]string
S core/v1.PodDNSConfigOption name:string value:*string
S core/v1.PodDNSConfig nameservers:[]string searches:[]string options:[]core/v1.PodDNSConfigOption
S core/v1.PodReadinessGate conditionType:core/v1.PodConditionType
S core/v1.TopologySpreadConstraint maxSkew:int32 topologyKey:string whenUnsatisfiable:core/v1.UnsatisfiableConstraintAction labelSelector:*meta/v1.LabelSelector minDomains:*int32 nodeAffinityPolicy:*core/v1.NodeInclusionPolicy nodeTaintsPolicy:*core/v1.NodeInclusionPolicy matchLabelKeys:[]string
S core/v1.PodOS name:core/v1.OSName
S core/v1.PodSchedulingGate name:string
S core/v1.PodResourceClaim name:string resourceClaimName:*string resourceClaimTemplateName:*string
S core/v1.PodSchedulingGroup podGroupName:*string
S core/v1.PodSpec volumes:[]core/v1.Volume initContainers:[]core/v1.Container containers:[]core/v1.Container ephemeralContainers:[]core/v1.EphemeralContainer restartPolicy:core/v1.RestartPolicy terminationGracePeriodSeconds:*int64 activeDeadlineSeconds:*int64 dnsPolicy:core/v1.DNSPolicy nodeSelector:map[string]string serviceAccountName:string serviceAccount:string automountServiceAccountToken:*bool nodeName:string hostNetwork:bool hostPID:bool hostIPC:bool shareProcessNamespace:*bool securityContext:*core/v1.PodSecurityContext imagePullSecrets:[]core/v1.LocalObjectReference hostname:string subdomain:string affinity:*core/v1.Affinity schedulerName:string tolerations:[]core/v1.Toleration hostAliases:[]core/v1.HostAlias priorityClassName:string priority:*int32 dnsConfig:*core/v1.PodDNSConfig readinessGates:[]core/v1.PodReadinessGate runtimeClassName:*string enableServiceLinks:*bool preemptionPolicy:*core/v1.PreemptionPolicy overhead:core/v1.ResourceList topologySpreadConstraints:[]core/v1.TopologySpreadConstraint setHostnameAsFQDN:*bool os:*core/v1.PodOS hostUsers:*bool schedulingGates:[]core/v1.PodSchedulingGate resourceClaims:[]core/v1.PodResourceClaim resources:*core/v1.ResourceRequirements hostnameOverride:*string schedulingGroup:*core/v1.PodSchedulingGroup
S core/v1.PodCondition type:core/v1.PodConditionType observedGeneration:int64 status:core/v1.ConditionStatus lastProbeTime:meta/v1.Time lastTransitionTime:meta/v1.Time reason:string message:string
S core/v1.HostIP ip:string
S core/v1.PodIP ip:string
S core/v1.ContainerStateWaiting reason:string message:string
S core/v1.ContainerStateRunning startedAt:meta/v1.Time
S core/v1.ContainerStateTerminated exitCode:int32 signal:int32 reason:string message:string startedAt:meta/v1.Time finishedAt:meta/v1.Time containerID:string
S core/v1.ContainerState waiting:*core/v1.ContainerStateWaiting running:*core/v1.ContainerStateRunning terminated:*core/v1.ContainerStateTerminated
S core/v1.ImageVolumeStatus imageRef:string
S core/v1.VolumeStatus image:*core/v1.ImageVolumeStatus
S core/v1.VolumeMountStatus name:string mountPath:string readOnly:bool recursiveReadOnly:*core/v1.RecursiveReadOnlyMode volumeStatus:*core/v1.VolumeStatus
S core/v1.LinuxContainerUser uid:int64 gid:int64 supplementalGroups:[]int64
S core/v1.ContainerUser linux:*core/v1.LinuxContainerUser
S core/v1.ResourceHealth resourceID:core/v1.ResourceID health:core/v1.ResourceHealthStatus message:*string
S core/v1.ResourceStatus name:core/v1.ResourceName resources:[]core/v1.ResourceHealth
S core/v1.ContainerStatus name:string state:core/v1.ContainerState lastState:core/v1.ContainerState ready:bool restartCount:int32 image:string imageID:string containerID:string started:*bool allocatedResources:core/v1.ResourceList resources:*core/v1.ResourceRequirements volumeMounts:[]core/v1.VolumeMountStatus user:*core/v1.ContainerUser allocatedResourcesStatus:[]core/v1.ResourceStatus stopSignal:*core/v1.Signal
S core/v1.PodResourceClaimStatus name:string resourceClaimName:*string
S core/v1.ContainerExtendedResourceRequest containerName:string resourceName:string requestName:string
S core/v1.PodExtendedResourceClaimStatus requestMappings:[]core/v1.ContainerExtendedResourceRequest resourceClaimName:string
S core/v1.NodeAllocatableResourceClaimStatus resourceClaimName:string containers:[]string resources:map[core/v1.ResourceName]resource.Quantity
S core/v1.PodStatus observedGeneration:int64 phase:core/v1.PodPhase conditions:[]core/v1.PodCondition message:string reason:string nominatedNodeName:string hostIP:string hostIPs:[]core/v1.HostIP podIP:string podIPs:[]core/v1.PodIP startTime:*meta/v1.Time initContainerStatuses:[]core/v1.ContainerStatus containerStatuses:[]core/v1.ContainerStatus qosClass:core/v1.PodQOSClass ephemeralContainerStatuses:[]core/v1.ContainerStatus resize:core/v1.PodResizeStatus resourceClaimStatuses:[]core/v1.PodResourceClaimStatus extendedResourceClaimStatus:*core/v1.PodExtendedResourceClaimStatus allocatedResources:core/v1.ResourceList resources:*core/v1.ResourceRequirements nodeAllocatableResourceClaimStatuses:[]core/v1.NodeAllocatableResourceClaimStatus
S core/v1.Pod ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.PodSpec status:core/v1.PodStatus
S core/v1.ServicePort name:string protocol:core/v1.Protocol appProtocol:*string port:int32 targetPort:intstr.IntOrString nodePort:int32
S core/v1.ClientIPConfig timeoutSeconds:*int32
S core/v1.SessionAffinityConfig clientIP:*core/v1.ClientIPConfig
S core/v1.ServiceSpec ports:[]core/v1.ServicePort selector:map[string]string clusterIP:string clusterIPs:[]string type:core/v1.ServiceType externalIPs:[]string sessionAffinity:core/v1.ServiceAffinity loadBalancerIP:string loadBalancerSourceRanges:[]string externalName:string externalTrafficPolicy:core/v1.ServiceExternalTrafficPolicy healthCheckNodePort:int32 publishNotReadyAddresses:bool sessionAffinityConfig:*core/v1.SessionAffinityConfig ipFamilies:[]core/v1.IPFamily ipFamilyPolicy:*core/v1.IPFamilyPolicy allocateLoadBalancerNodePorts:*bool loadBalancerClass:*string internalTrafficPolicy:*core/v1.ServiceInternalTrafficPolicy trafficDistribution:*string
S core/v1.PortStatus port:int32 protocol:core/v1.Protocol error:*string
S core/v1.LoadBalancerIngress ip:string hostname:string ipMode:*core/v1.LoadBalancerIPMode ports:[]core/v1.PortStatus
S core/v1.LoadBalancerStatus ingress:[]core/v1.LoadBalancerIngress
S meta/v1.Condition type:string status:meta/v1.ConditionStatus observedGeneration:int64 lastTransitionTime:meta/v1.Time reason:string message:string
S core/v1.ServiceStatus loadBalancer:core/v1.LoadBalancerStatus conditions:[]meta/v1.Condition
S core/v1.Service ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.ServiceSpec status:core/v1.ServiceStatus
S core/v1.Taint key:string value:string effect:core/v1.TaintEffect timeAdded:*meta/v1.Time
S core/v1.ConfigMapNodeConfigSource namespace:string name:string uid:types.UID resourceVersion:string kubeletConfigKey:string
S core/v1.NodeConfigSource configMap:*core/v1.ConfigMapNodeConfigSource
S core/v1.NodeSpec podCIDR:string podCIDRs:[]string providerID:string unschedulable:bool taints:[]core/v1.Taint configSource:*core/v1.NodeConfigSource externalID:string
S core/v1.NodeCondition type:core/v1.NodeConditionType status:core/v1.ConditionStatus lastHeartbeatTime:meta/v1.Time lastTransitionTime:meta/v1.Time reason:string message:string
S core/v1.NodeAddress type:core/v1.NodeAddressType address:string
S core/v1.DaemonEndpoint Port:int32
S core/v1.NodeDaemonEndpoints kubeletEndpoint:core/v1.DaemonEndpoint
S core/v1.NodeSwapStatus capacity:*int64
S core/v1.NodeSystemInfo machineID:string systemUUID:string bootID:string kernelVersion:string osImage:string containerRuntimeVersion:string kubeletVersion:string kubeProxyVersion:string operatingSystem:string architecture:string swap:*core/v1.NodeSwapStatus
S core/v1.ContainerImage names:[]string sizeBytes:int64
S core/v1.AttachedVolume name:core/v1.UniqueVolumeName devicePath:string
S core/v1.NodeConfigStatus assigned:*core/v1.NodeConfigSource active:*core/v1.NodeConfigSource lastKnownGood:*core/v1.NodeConfigSource error:string
S core/v1.NodeRuntimeHandlerFeatures recursiveReadOnlyMounts:*bool userNamespaces:*bool
S core/v1.NodeRuntimeHandler name:string features:*core/v1.NodeRuntimeHandlerFeatures
S core/v1.NodeFeatures supplementalGroupsPolicy:*bool
S core/v1.NodeStatus capacity:core/v1.ResourceList allocatable:core/v1.ResourceList phase:core/v1.NodePhase conditions:[]core/v1.NodeCondition addresses:[]core/v1.NodeAddress daemonEndpoints:core/v1.NodeDaemonEndpoints nodeInfo:core/v1.NodeSystemInfo images:[]core/v1.ContainerImage volumesInUse:[]core/v1.UniqueVolumeName volumesAttached:[]core/v1.AttachedVolume config:*core/v1.NodeConfigStatus runtimeHandlers:[]core/v1.NodeRuntimeHandler features:*core/v1.NodeFeatures declaredFeatures:[]string
S core/v1.Node ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.NodeSpec status:core/v1.NodeStatus
S core/v1.NamespaceSpec finalizers:[]core/v1.FinalizerName
S core/v1.NamespaceCondition type:core/v1.NamespaceConditionType status:core/v1.ConditionStatus lastTransitionTime:meta/v1.Time reason:string message:string
S core/v1.NamespaceStatus phase:core/v1.NamespacePhase conditions:[]core/v1.NamespaceCondition
S core/v1.Namespace ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.NamespaceSpec status:core/v1.NamespaceStatus
S core/v1.ConfigMap ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta immutable:*bool data:map[string]string binaryData:map[string][]byte
S core/v1.Secret ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta immutable:*bool data:map[string][]byte stringData:map[string]string type:core/v1.SecretType
S core/v1.ObjectReference kind:string namespace:string name:string uid:types.UID apiVersion:string resourceVersion:string fieldPath:string
S core/v1.EndpointAddress ip:string hostname:string nodeName:*string targetRef:*core/v1.ObjectReference
S core/v1.EndpointPort name:string port:int32 protocol:core/v1.Protocol appProtocol:*string
S core/v1.EndpointSubset addresses:[]core/v1.EndpointAddress notReadyAddresses:[]core/v1.EndpointAddress ports:[]core/v1.EndpointPort
S core/v1.Endpoints ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta subsets:[]core/v1.EndpointSubset
S core/v1.ServiceAccount ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta secrets:[]core/v1.ObjectReference imagePullSecrets:[]core/v1.LocalObjectReference automountServiceAccountToken:*bool
S core/v1.PersistentVolumeClaimCondition type:core/v1.PersistentVolumeClaimConditionType status:core/v1.ConditionStatus lastProbeTime:meta/v1.Time lastTransitionTime:meta/v1.Time reason:string message:string
S core/v1.ModifyVolumeStatus targetVolumeAttributesClassName:string status:core/v1.PersistentVolumeClaimModifyVolumeStatus
S core/v1.PersistentVolumeClaimStatus phase:core/v1.PersistentVolumeClaimPhase accessModes:[]core/v1.PersistentVolumeAccessMode capacity:core/v1.ResourceList conditions:[]core/v1.PersistentVolumeClaimCondition allocatedResources:core/v1.ResourceList allocatedResourceStatuses:map[core/v1.ResourceName]core/v1.ClaimResourceStatus currentVolumeAttributesClassName:*string modifyVolumeStatus:*core/v1.ModifyVolumeStatus
S core/v1.PersistentVolumeClaim ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.PersistentVolumeClaimSpec status:core/v1.PersistentVolumeClaimStatus
S core/v1.GlusterfsPersistentVolumeSource endpoints:string path:string readOnly:bool endpointsNamespace:*string
S core/v1.SecretReference name:string namespace:string
S core/v1.RBDPersistentVolumeSource monitors:[]string image:string fsType:string pool:string user:string keyring:string secretRef:*core/v1.SecretReference readOnly:bool
S core/v1.ISCSIPersistentVolumeSource targetPortal:string iqn:string lun:int32 iscsiInterface:string fsType:string readOnly:bool portals:[]string chapAuthDiscovery:bool chapAuthSession:bool secretRef:*core/v1.SecretReference initiatorName:*string
S core/v1.CinderPersistentVolumeSource volumeID:string fsType:string readOnly:bool secretRef:*core/v1.SecretReference
S core/v1.CephFSPersistentVolumeSource monitors:[]string path:string user:string secretFile:string secretRef:*core/v1.SecretReference readOnly:bool
S core/v1.FlexPersistentVolumeSource driver:string fsType:string secretRef:*core/v1.SecretReference readOnly:bool options:map[string]string
S core/v1.AzureFilePersistentVolumeSource secretName:string shareName:string readOnly:bool secretNamespace:*string
S core/v1.ScaleIOPersistentVolumeSource gateway:string system:string secretRef:*core/v1.SecretReference sslEnabled:bool protectionDomain:string storagePool:string storageMode:string volumeName:string fsType:string readOnly:bool
S core/v1.LocalVolumeSource path:string fsType:*string
S core/v1.StorageOSPersistentVolumeSource volumeName:string volumeNamespace:string fsType:string readOnly:bool secretRef:*core/v1.ObjectReference
S core/v1.CSIPersistentVolumeSource driver:string volumeHandle:string readOnly:bool fsType:string volumeAttributes:map[string]string controllerPublishSecretRef:*core/v1.SecretReference nodeStageSecretRef:*core/v1.SecretReference nodePublishSecretRef:*core/v1.SecretReference controllerExpandSecretRef:*core/v1.SecretReference nodeExpandSecretRef:*core/v1.SecretReference
S core/v1.PersistentVolumeSource gcePersistentDisk:*core/v1.GCEPersistentDiskVolumeSource awsElasticBlockStore:*core/v1.AWSElasticBlockStoreVolumeSource hostPath:*core/v1.HostPathVolumeSource glusterfs:*core/v1.GlusterfsPersistentVolumeSource nfs:*core/v1.NFSVolumeSource rbd:*core/v1.RBDPersistentVolumeSource iscsi:*core/v1.ISCSIPersistentVolumeSource cinder:*core/v1.CinderPersistentVolumeSource cephfs:*core/v1.CephFSPersistentVolumeSource fc:*core/v1.FCVolumeSource flocker:*core/v1.FlockerVolumeSource flexVolume:*core/v1.FlexPersistentVolumeSource azureFile:*core/v1.AzureFilePersistentVolumeSource vsphereVolume:*core/v1.VsphereVirtualDiskVolumeSource quobyte:*core/v1.QuobyteVolumeSource azureDisk:*core/v1.AzureDiskVolumeSource photonPersistentDisk:*core/v1.PhotonPersistentDiskVolumeSource portworxVolume:*core/v1.PortworxVolumeSource scaleIO:*core/v1.ScaleIOPersistentVolumeSource local:*core/v1.LocalVolumeSource storageos:*core/v1.StorageOSPersistentVolumeSource csi:*core/v1.CSIPersistentVolumeSource
S core/v1.VolumeNodeAffinity required:*core/v1.NodeSelector
S core/v1.PersistentVolumeSpec capacity:core/v1.ResourceList ~:core/v1.PersistentVolumeSource accessModes:[]core/v1.PersistentVolumeAccessMode claimRef:*core/v1.ObjectReference persistentVolumeReclaimPolicy:core/v1.PersistentVolumeReclaimPolicy storageClassName:string mountOptions:[]string volumeMode:*core/v1.PersistentVolumeMode nodeAffinity:*core/v1.VolumeNodeAffinity volumeAttributesClassName:*string
S core/v1.PersistentVolumeStatus phase:core/v1.PersistentVolumePhase message:string reason:string lastPhaseTransitionTime:*meta/v1.Time
S core/v1.PersistentVolume ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.PersistentVolumeSpec status:core/v1.PersistentVolumeStatus
S core/v1.EventSource component:string host:string
S core/v1.EventSeries count:int32 lastObservedTime:meta/v1.MicroTime
S core/v1.Event ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta involvedObject:core/v1.ObjectReference reason:string message:string source:core/v1.EventSource firstTimestamp:meta/v1.Time lastTimestamp:meta/v1.Time count:int32 type:string eventTime:meta/v1.MicroTime series:*core/v1.EventSeries action:string related:*core/v1.ObjectReference reportingComponent:string reportingInstance:string
S core/v1.Binding ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta target:core/v1.ObjectReference
S core/v1.PodTemplateSpec metadata:meta/v1.ObjectMeta spec:core/v1.PodSpec
S core/v1.PodTemplate ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta template:core/v1.PodTemplateSpec
S core/v1.ReplicationControllerSpec replicas:*int32 minReadySeconds:int32 selector:map[string]string template:*core/v1.PodTemplateSpec
S core/v1.ReplicationControllerCondition type:core/v1.ReplicationControllerConditionType status:core/v1.ConditionStatus lastTransitionTime:meta/v1.Time reason:string message:string
S core/v1.ReplicationControllerStatus replicas:int32 fullyLabeledReplicas:int32 readyReplicas:int32 availableReplicas:int32 observedGeneration:int64 conditions:[]core/v1.ReplicationControllerCondition
S core/v1.ReplicationController ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.ReplicationControllerSpec status:core/v1.ReplicationControllerStatus
S core/v1.LimitRangeItem type:core/v1.LimitType max:core/v1.ResourceList min:core/v1.ResourceList default:core/v1.ResourceList defaultRequest:core/v1.ResourceList maxLimitRequestRatio:core/v1.ResourceList
S core/v1.LimitRangeSpec limits:[]core/v1.LimitRangeItem
S core/v1.LimitRange ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.LimitRangeSpec
S core/v1.ScopedResourceSelectorRequirement scopeName:core/v1.ResourceQuotaScope operator:core/v1.ScopeSelectorOperator values:[]string
S core/v1.ScopeSelector matchExpressions:[]core/v1.ScopedResourceSelectorRequirement
S core/v1.ResourceQuotaSpec hard:core/v1.ResourceList scopes:[]core/v1.ResourceQuotaScope scopeSelector:*core/v1.ScopeSelector
S core/v1.ResourceQuotaStatus hard:core/v1.ResourceList used:core/v1.ResourceList
S core/v1.ResourceQuota ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:core/v1.ResourceQuotaSpec status:core/v1.ResourceQuotaStatus
S apps/v1.RollingUpdateDeployment maxUnavailable:*intstr.IntOrString maxSurge:*intstr.IntOrString
S apps/v1.DeploymentStrategy type:apps/v1.DeploymentStrategyType rollingUpdate:*apps/v1.RollingUpdateDeployment
S apps/v1.DeploymentSpec replicas:*int32 selector:*meta/v1.LabelSelector template:core/v1.PodTemplateSpec strategy:apps/v1.DeploymentStrategy minReadySeconds:int32 revisionHistoryLimit:*int32 paused:bool progressDeadlineSeconds:*int32
S apps/v1.DeploymentCondition type:apps/v1.DeploymentConditionType status:core/v1.ConditionStatus lastUpdateTime:meta/v1.Time lastTransitionTime:meta/v1.Time reason:string message:string
S apps/v1.DeploymentStatus observedGeneration:int64 replicas:int32 updatedReplicas:int32 readyReplicas:int32 availableReplicas:int32 unavailableReplicas:int32 terminatingReplicas:*int32 conditions:[]apps/v1.DeploymentCondition collisionCount:*int32
S apps/v1.Deployment ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:apps/v1.DeploymentSpec status:apps/v1.DeploymentStatus
S apps/v1.ReplicaSetSpec replicas:*int32 minReadySeconds:int32 selector:*meta/v1.LabelSelector template:core/v1.PodTemplateSpec
S apps/v1.ReplicaSetCondition type:apps/v1.ReplicaSetConditionType status:core/v1.ConditionStatus lastTransitionTime:meta/v1.Time reason:string message:string
S apps/v1.ReplicaSetStatus replicas:int32 fullyLabeledReplicas:int32 readyReplicas:int32 availableReplicas:int32 terminatingReplicas:*int32 observedGeneration:int64 conditions:[]apps/v1.ReplicaSetCondition
S apps/v1.ReplicaSet ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:apps/v1.ReplicaSetSpec status:apps/v1.ReplicaSetStatus
S apps/v1.RollingUpdateDaemonSet maxUnavailable:*intstr.IntOrString maxSurge:*intstr.IntOrString
S apps/v1.DaemonSetUpdateStrategy type:apps/v1.DaemonSetUpdateStrategyType rollingUpdate:*apps/v1.RollingUpdateDaemonSet
S apps/v1.DaemonSetSpec selector:*meta/v1.LabelSelector template:core/v1.PodTemplateSpec updateStrategy:apps/v1.DaemonSetUpdateStrategy minReadySeconds:int32 revisionHistoryLimit:*int32
S apps/v1.DaemonSetCondition type:apps/v1.DaemonSetConditionType status:core/v1.ConditionStatus lastTransitionTime:meta/v1.Time reason:string message:string
S apps/v1.DaemonSetStatus currentNumberScheduled:int32 numberMisscheduled:int32 desiredNumberScheduled:int32 numberReady:int32 observedGeneration:int64 updatedNumberScheduled:int32 numberAvailable:int32 numberUnavailable:int32 collisionCount:*int32 conditions:[]apps/v1.DaemonSetCondition
S apps/v1.DaemonSet ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:apps/v1.DaemonSetSpec status:apps/v1.DaemonSetStatus
S apps/v1.RollingUpdateStatefulSetStrategy partition:*int32 maxUnavailable:*intstr.IntOrString
S apps/v1.StatefulSetUpdateStrategy type:apps/v1.StatefulSetUpdateStrategyType rollingUpdate:*apps/v1.RollingUpdateStatefulSetStrategy
S apps/v1.StatefulSetPersistentVolumeClaimRetentionPolicy whenDeleted:apps/v1.PersistentVolumeClaimRetentionPolicyType whenScaled:apps/v1.PersistentVolumeClaimRetentionPolicyType
S apps/v1.StatefulSetOrdinals start:int32
S apps/v1.StatefulSetSpec replicas:*int32 selector:*meta/v1.LabelSelector template:core/v1.PodTemplateSpec volumeClaimTemplates:[]core/v1.PersistentVolumeClaim serviceName:string podManagementPolicy:apps/v1.PodManagementPolicyType updateStrategy:apps/v1.StatefulSetUpdateStrategy revisionHistoryLimit:*int32 minReadySeconds:int32 persistentVolumeClaimRetentionPolicy:*apps/v1.StatefulSetPersistentVolumeClaimRetentionPolicy ordinals:*apps/v1.StatefulSetOrdinals
S apps/v1.StatefulSetCondition type:apps/v1.StatefulSetConditionType status:core/v1.ConditionStatus lastTransitionTime:meta/v1.Time reason:string message:string
S apps/v1.StatefulSetStatus observedGeneration:int64 replicas:int32 readyReplicas:int32 currentReplicas:int32 updatedReplicas:int32 currentRevision:string updateRevision:string collisionCount:*int32 conditions:[]apps/v1.StatefulSetCondition availableReplicas:int32
S apps/v1.StatefulSet ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:apps/v1.StatefulSetSpec status:apps/v1.StatefulSetStatus
S batch/v1.PodFailurePolicyOnExitCodesRequirement containerName:*string operator:batch/v1.PodFailurePolicyOnExitCodesOperator values:[]int32
S batch/v1.PodFailurePolicyOnPodConditionsPattern type:core/v1.PodConditionType status:core/v1.ConditionStatus
S batch/v1.PodFailurePolicyRule action:batch/v1.PodFailurePolicyAction onExitCodes:*batch/v1.PodFailurePolicyOnExitCodesRequirement onPodConditions:[]batch/v1.PodFailurePolicyOnPodConditionsPattern
S batch/v1.PodFailurePolicy rules:[]batch/v1.PodFailurePolicyRule
S batch/v1.SuccessPolicyRule succeededIndexes:*string succeededCount:*int32
S batch/v1.SuccessPolicy rules:[]batch/v1.SuccessPolicyRule
S batch/v1.JobSpec parallelism:*int32 completions:*int32 activeDeadlineSeconds:*int64 podFailurePolicy:*batch/v1.PodFailurePolicy successPolicy:*batch/v1.SuccessPolicy backoffLimit:*int32 backoffLimitPerIndex:*int32 maxFailedIndexes:*int32 selector:*meta/v1.LabelSelector manualSelector:*bool template:core/v1.PodTemplateSpec ttlSecondsAfterFinished:*int32 completionMode:*batch/v1.CompletionMode suspend:*bool podReplacementPolicy:*batch/v1.PodReplacementPolicy managedBy:*string
S batch/v1.JobCondition type:batch/v1.JobConditionType status:core/v1.ConditionStatus lastProbeTime:meta/v1.Time lastTransitionTime:meta/v1.Time reason:string message:string
S batch/v1.UncountedTerminatedPods succeeded:[]types.UID failed:[]types.UID
S batch/v1.JobStatus conditions:[]batch/v1.JobCondition startTime:*meta/v1.Time completionTime:*meta/v1.Time active:int32 succeeded:int32 failed:int32 terminating:*int32 completedIndexes:string failedIndexes:*string uncountedTerminatedPods:*batch/v1.UncountedTerminatedPods ready:*int32
S batch/v1.Job ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:batch/v1.JobSpec status:batch/v1.JobStatus
S batch/v1.JobTemplateSpec metadata:meta/v1.ObjectMeta spec:batch/v1.JobSpec
S batch/v1.CronJobSpec schedule:string timeZone:*string startingDeadlineSeconds:*int64 concurrencyPolicy:batch/v1.ConcurrencyPolicy suspend:*bool jobTemplate:batch/v1.JobTemplateSpec successfulJobsHistoryLimit:*int32 failedJobsHistoryLimit:*int32
S batch/v1.CronJobStatus active:[]core/v1.ObjectReference lastScheduleTime:*meta/v1.Time lastSuccessfulTime:*meta/v1.Time
S batch/v1.CronJob ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta spec:batch/v1.CronJobSpec status:batch/v1.CronJobStatus
S discovery/v1.EndpointConditions ready:*bool serving:*bool terminating:*bool
S discovery/v1.ForZone name:string
S discovery/v1.ForNode name:string
S discovery/v1.EndpointHints forZones:[]discovery/v1.ForZone forNodes:[]discovery/v1.ForNode
S discovery/v1.Endpoint addresses:[]string conditions:discovery/v1.EndpointConditions hostname:*string targetRef:*core/v1.ObjectReference deprecatedTopology:map[string]string nodeName:*string zone:*string hints:*discovery/v1.EndpointHints
S discovery/v1.EndpointPort name:*string protocol:*core/v1.Protocol port:*int32 appProtocol:*string
S discovery/v1.EndpointSlice ~:meta/v1.TypeMeta metadata:meta/v1.ObjectMeta addressType:discovery/v1.AddressType endpoints:[]discovery/v1.Endpoint ports:[]discovery/v1.EndpointPort
"#;
