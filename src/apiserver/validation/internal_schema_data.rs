//! The internal (`k8s.io/kubernetes/pkg/apis/core`) layout of the pod spec types: every struct
//! reachable from `core.PodSpec`, its Go fields in declaration order, and for each the v1 JSON field
//! it is converted from. The internal types have no `json` tags, so `encoding/json` writes them
//! with their Go field names, every field present, embedded structs flattened; the meta/v1 types
//! they use keep their tags (`matchLabels?` marks `omitempty`). This is what `diff.Diff` prints
//! when a pod update is refused (k8s.io/kubernetes v1.35.4 `pkg/apis/core/types.go`, with the
//! v1.36 change of `WorkloadRef` into `SchedulingGroup`).
//!
//! Line format: `S <type> <Key>[?]=<v1json>:<type> ... ~:<embedded type>`, `N <type> <underlying>`.

pub const DATA: &str = r#"
N core.AppArmorProfileType string
N core.AzureDataDiskCachingMode string
N core.AzureDataDiskKind string
N core.Capability string
N core.ContainerRestartPolicy string
N core.ContainerRestartRuleAction string
N core.ContainerRestartRuleOnExitCodesOperator string
N core.DNSPolicy string
N core.HostPathType string
N core.MountPropagationMode string
N core.NodeInclusionPolicy string
N core.NodeSelectorOperator string
N core.OSName string
N core.PersistentVolumeAccessMode string
N core.PersistentVolumeMode string
N core.PodConditionType string
N core.PodFSGroupChangePolicy string
N core.PodSELinuxChangePolicy string
N core.PreemptionPolicy string
N core.ProcMountType string
N core.Protocol string
N core.PullPolicy string
N core.RecursiveReadOnlyMode string
N core.ResourceList map[core.ResourceName]resource.Quantity
N core.ResourceName string
N core.ResourceResizeRestartPolicy string
N core.RestartPolicy string
N core.SeccompProfileType string
N core.Signal string
N core.StorageMedium string
N core.SupplementalGroupsPolicy string
N core.TaintEffect string
N core.TerminationMessagePolicy string
N core.TolerationOperator string
N core.URIScheme string
N core.UnsatisfiableConstraintAction string
N meta.LabelSelectorOperator string
N meta.ManagedFieldsOperationType string
S core.HostPathVolumeSource Path=path:string Type=type:*core.HostPathType
S core.EmptyDirVolumeSource Medium=medium:core.StorageMedium SizeLimit=sizeLimit:*resource.Quantity
S core.GCEPersistentDiskVolumeSource PDName=pdName:string FSType=fsType:string Partition=partition:int32 ReadOnly=readOnly:bool
S core.AWSElasticBlockStoreVolumeSource VolumeID=volumeID:string FSType=fsType:string Partition=partition:int32 ReadOnly=readOnly:bool
S core.GitRepoVolumeSource Repository=repository:string Revision=revision:string Directory=directory:string
S core.KeyToPath Key=key:string Path=path:string Mode=mode:*int32
S core.SecretVolumeSource SecretName=secretName:string Items=items:[]core.KeyToPath DefaultMode=defaultMode:*int32 Optional=optional:*bool
S core.NFSVolumeSource Server=server:string Path=path:string ReadOnly=readOnly:bool
S core.LocalObjectReference Name=name:string
S core.ISCSIVolumeSource TargetPortal=targetPortal:string IQN=iqn:string Lun=lun:int32 ISCSIInterface=iscsiInterface:string FSType=fsType:string ReadOnly=readOnly:bool Portals=portals:[]string DiscoveryCHAPAuth=chapAuthDiscovery:bool SessionCHAPAuth=chapAuthSession:bool SecretRef=secretRef:*core.LocalObjectReference InitiatorName=initiatorName:*string
S core.GlusterfsVolumeSource EndpointsName=endpoints:string Path=path:string ReadOnly=readOnly:bool
S core.PersistentVolumeClaimVolumeSource ClaimName=claimName:string ReadOnly=readOnly:bool
S core.RBDVolumeSource CephMonitors=monitors:[]string RBDImage=image:string FSType=fsType:string RBDPool=pool:string RadosUser=user:string Keyring=keyring:string SecretRef=secretRef:*core.LocalObjectReference ReadOnly=readOnly:bool
S core.QuobyteVolumeSource Registry=registry:string Volume=volume:string ReadOnly=readOnly:bool User=user:string Group=group:string Tenant=tenant:string
S core.FlexVolumeSource Driver=driver:string FSType=fsType:string SecretRef=secretRef:*core.LocalObjectReference ReadOnly=readOnly:bool Options=options:map[string]string
S core.CinderVolumeSource VolumeID=volumeID:string FSType=fsType:string ReadOnly=readOnly:bool SecretRef=secretRef:*core.LocalObjectReference
S core.CephFSVolumeSource Monitors=monitors:[]string Path=path:string User=user:string SecretFile=secretFile:string SecretRef=secretRef:*core.LocalObjectReference ReadOnly=readOnly:bool
S core.FlockerVolumeSource DatasetName=datasetName:string DatasetUUID=datasetUUID:string
S core.ObjectFieldSelector APIVersion=apiVersion:string FieldPath=fieldPath:string
S core.ResourceFieldSelector ContainerName=containerName:string Resource=resource:string Divisor=divisor:resource.Quantity
S core.DownwardAPIVolumeFile Path=path:string FieldRef=fieldRef:*core.ObjectFieldSelector ResourceFieldRef=resourceFieldRef:*core.ResourceFieldSelector Mode=mode:*int32
S core.DownwardAPIVolumeSource Items=items:[]core.DownwardAPIVolumeFile DefaultMode=defaultMode:*int32
S core.FCVolumeSource TargetWWNs=targetWWNs:[]string Lun=lun:*int32 FSType=fsType:string ReadOnly=readOnly:bool WWIDs=wwids:[]string
S core.AzureFileVolumeSource SecretName=secretName:string ShareName=shareName:string ReadOnly=readOnly:bool
S core.ConfigMapVolumeSource ~:core.LocalObjectReference Items=items:[]core.KeyToPath DefaultMode=defaultMode:*int32 Optional=optional:*bool
S core.VsphereVirtualDiskVolumeSource VolumePath=volumePath:string FSType=fsType:string StoragePolicyName=storagePolicyName:string StoragePolicyID=storagePolicyID:string
S core.AzureDiskVolumeSource DiskName=diskName:string DataDiskURI=diskURI:string CachingMode=cachingMode:*core.AzureDataDiskCachingMode FSType=fsType:*string ReadOnly=readOnly:*bool Kind=kind:*core.AzureDataDiskKind
S core.PhotonPersistentDiskVolumeSource PdID=pdID:string FSType=fsType:string
S core.SecretProjection ~:core.LocalObjectReference Items=items:[]core.KeyToPath Optional=optional:*bool
S core.DownwardAPIProjection Items=items:[]core.DownwardAPIVolumeFile
S core.ConfigMapProjection ~:core.LocalObjectReference Items=items:[]core.KeyToPath Optional=optional:*bool
S core.ServiceAccountTokenProjection Audience=audience:string ExpirationSeconds=expirationSeconds:int64 Path=path:string
S meta.LabelSelectorRequirement key=key:string operator=operator:meta.LabelSelectorOperator values?=values:[]string
S meta.LabelSelector matchLabels?=matchLabels:map[string]string matchExpressions?=matchExpressions:[]meta.LabelSelectorRequirement
S core.ClusterTrustBundleProjection Name=name:*string SignerName=signerName:*string LabelSelector=labelSelector:*meta.LabelSelector Optional=optional:*bool Path=path:string
S core.PodCertificateProjection SignerName=signerName:string KeyType=keyType:string MaxExpirationSeconds=maxExpirationSeconds:*int32 CredentialBundlePath=credentialBundlePath:string KeyPath=keyPath:string CertificateChainPath=certificateChainPath:string UserAnnotations=userAnnotations:map[string]string
S core.VolumeProjection Secret=secret:*core.SecretProjection DownwardAPI=downwardAPI:*core.DownwardAPIProjection ConfigMap=configMap:*core.ConfigMapProjection ServiceAccountToken=serviceAccountToken:*core.ServiceAccountTokenProjection ClusterTrustBundle=clusterTrustBundle:*core.ClusterTrustBundleProjection PodCertificate=podCertificate:*core.PodCertificateProjection
S core.ProjectedVolumeSource Sources=sources:[]core.VolumeProjection DefaultMode=defaultMode:*int32
S core.PortworxVolumeSource VolumeID=volumeID:string FSType=fsType:string ReadOnly=readOnly:bool
S core.ScaleIOVolumeSource Gateway=gateway:string System=system:string SecretRef=secretRef:*core.LocalObjectReference SSLEnabled=sslEnabled:bool ProtectionDomain=protectionDomain:string StoragePool=storagePool:string StorageMode=storageMode:string VolumeName=volumeName:string FSType=fsType:string ReadOnly=readOnly:bool
S core.StorageOSVolumeSource VolumeName=volumeName:string VolumeNamespace=volumeNamespace:string FSType=fsType:string ReadOnly=readOnly:bool SecretRef=secretRef:*core.LocalObjectReference
S core.CSIVolumeSource Driver=driver:string ReadOnly=readOnly:*bool FSType=fsType:*string VolumeAttributes=volumeAttributes:map[string]string NodePublishSecretRef=nodePublishSecretRef:*core.LocalObjectReference
S meta.OwnerReference apiVersion=apiVersion:string kind=kind:string name=name:string uid=uid:types.UID controller?=controller:*bool blockOwnerDeletion?=blockOwnerDeletion:*bool
S meta.ManagedFieldsEntry manager?=manager:string operation?=operation:meta.ManagedFieldsOperationType apiVersion?=apiVersion:string time?=time:*meta.Time fieldsType?=fieldsType:string fieldsV1?=fieldsV1:*meta.FieldsV1 subresource?=subresource:string
S meta.ObjectMeta name?=name:string generateName?=generateName:string namespace?=namespace:string selfLink?=selfLink:string uid?=uid:types.UID resourceVersion?=resourceVersion:string generation?=generation:int64 creationTimestamp?=creationTimestamp:meta.Time deletionTimestamp?=deletionTimestamp:*meta.Time deletionGracePeriodSeconds?=deletionGracePeriodSeconds:*int64 labels?=labels:map[string]string annotations?=annotations:map[string]string ownerReferences?=ownerReferences:[]meta.OwnerReference finalizers?=finalizers:[]string managedFields?=managedFields:[]meta.ManagedFieldsEntry
S core.VolumeResourceRequirements Limits=limits:core.ResourceList Requests=requests:core.ResourceList
S core.TypedLocalObjectReference APIGroup=apiGroup:*string Kind=kind:string Name=name:string
S core.TypedObjectReference APIGroup=apiGroup:*string Kind=kind:string Name=name:string Namespace=namespace:*string
S core.PersistentVolumeClaimSpec AccessModes=accessModes:[]core.PersistentVolumeAccessMode Selector=selector:*meta.LabelSelector Resources=resources:core.VolumeResourceRequirements VolumeName=volumeName:string StorageClassName=storageClassName:*string VolumeMode=volumeMode:*core.PersistentVolumeMode DataSource=dataSource:*core.TypedLocalObjectReference DataSourceRef=dataSourceRef:*core.TypedObjectReference VolumeAttributesClassName=volumeAttributesClassName:*string
S core.PersistentVolumeClaimTemplate ~:meta.ObjectMeta Spec=spec:core.PersistentVolumeClaimSpec
S core.EphemeralVolumeSource VolumeClaimTemplate=volumeClaimTemplate:*core.PersistentVolumeClaimTemplate
S core.ImageVolumeSource Reference=reference:string PullPolicy=pullPolicy:core.PullPolicy
S core.VolumeSource HostPath=hostPath:*core.HostPathVolumeSource EmptyDir=emptyDir:*core.EmptyDirVolumeSource GCEPersistentDisk=gcePersistentDisk:*core.GCEPersistentDiskVolumeSource AWSElasticBlockStore=awsElasticBlockStore:*core.AWSElasticBlockStoreVolumeSource GitRepo=gitRepo:*core.GitRepoVolumeSource Secret=secret:*core.SecretVolumeSource NFS=nfs:*core.NFSVolumeSource ISCSI=iscsi:*core.ISCSIVolumeSource Glusterfs=glusterfs:*core.GlusterfsVolumeSource PersistentVolumeClaim=persistentVolumeClaim:*core.PersistentVolumeClaimVolumeSource RBD=rbd:*core.RBDVolumeSource Quobyte=quobyte:*core.QuobyteVolumeSource FlexVolume=flexVolume:*core.FlexVolumeSource Cinder=cinder:*core.CinderVolumeSource CephFS=cephfs:*core.CephFSVolumeSource Flocker=flocker:*core.FlockerVolumeSource DownwardAPI=downwardAPI:*core.DownwardAPIVolumeSource FC=fc:*core.FCVolumeSource AzureFile=azureFile:*core.AzureFileVolumeSource ConfigMap=configMap:*core.ConfigMapVolumeSource VsphereVolume=vsphereVolume:*core.VsphereVirtualDiskVolumeSource AzureDisk=azureDisk:*core.AzureDiskVolumeSource PhotonPersistentDisk=photonPersistentDisk:*core.PhotonPersistentDiskVolumeSource Projected=projected:*core.ProjectedVolumeSource PortworxVolume=portworxVolume:*core.PortworxVolumeSource ScaleIO=scaleIO:*core.ScaleIOVolumeSource StorageOS=storageos:*core.StorageOSVolumeSource CSI=csi:*core.CSIVolumeSource Ephemeral=ephemeral:*core.EphemeralVolumeSource Image=image:*core.ImageVolumeSource
S core.Volume Name=name:string ~:core.VolumeSource
S core.ContainerPort Name=name:string HostPort=hostPort:int32 ContainerPort=containerPort:int32 Protocol=protocol:core.Protocol HostIP=hostIP:string
S core.ConfigMapEnvSource ~:core.LocalObjectReference Optional=optional:*bool
S core.SecretEnvSource ~:core.LocalObjectReference Optional=optional:*bool
S core.EnvFromSource Prefix=prefix:string ConfigMapRef=configMapRef:*core.ConfigMapEnvSource SecretRef=secretRef:*core.SecretEnvSource
S core.ConfigMapKeySelector ~:core.LocalObjectReference Key=key:string Optional=optional:*bool
S core.SecretKeySelector ~:core.LocalObjectReference Key=key:string Optional=optional:*bool
S core.FileKeySelector VolumeName=volumeName:string Path=path:string Key=key:string Optional=optional:*bool
S core.EnvVarSource FieldRef=fieldRef:*core.ObjectFieldSelector ResourceFieldRef=resourceFieldRef:*core.ResourceFieldSelector ConfigMapKeyRef=configMapKeyRef:*core.ConfigMapKeySelector SecretKeyRef=secretKeyRef:*core.SecretKeySelector FileKeyRef=fileKeyRef:*core.FileKeySelector
S core.EnvVar Name=name:string Value=value:string ValueFrom=valueFrom:*core.EnvVarSource
S core.ResourceClaim Name=name:string Request=request:string
S core.ResourceRequirements Limits=limits:core.ResourceList Requests=requests:core.ResourceList Claims=claims:[]core.ResourceClaim
S core.ContainerResizePolicy ResourceName=resourceName:core.ResourceName RestartPolicy=restartPolicy:core.ResourceResizeRestartPolicy
S core.ContainerRestartRuleOnExitCodes Operator=operator:core.ContainerRestartRuleOnExitCodesOperator Values=values:[]int32
S core.ContainerRestartRule Action=action:core.ContainerRestartRuleAction ExitCodes=exitCodes:*core.ContainerRestartRuleOnExitCodes
S core.VolumeMount Name=name:string ReadOnly=readOnly:bool RecursiveReadOnly=recursiveReadOnly:*core.RecursiveReadOnlyMode MountPath=mountPath:string SubPath=subPath:string MountPropagation=mountPropagation:*core.MountPropagationMode SubPathExpr=subPathExpr:string
S core.VolumeDevice Name=name:string DevicePath=devicePath:string
S core.ExecAction Command=command:[]string
S core.HTTPHeader Name=name:string Value=value:string
S core.HTTPGetAction Path=path:string Port=port:intstr.IntOrString Host=host:string Scheme=scheme:core.URIScheme HTTPHeaders=httpHeaders:[]core.HTTPHeader
S core.TCPSocketAction Port=port:intstr.IntOrString Host=host:string
S core.GRPCAction Port=port:int32 Service=service:*string
S core.ProbeHandler Exec=exec:*core.ExecAction HTTPGet=httpGet:*core.HTTPGetAction TCPSocket=tcpSocket:*core.TCPSocketAction GRPC=grpc:*core.GRPCAction
S core.Probe ~:core.ProbeHandler InitialDelaySeconds=initialDelaySeconds:int32 TimeoutSeconds=timeoutSeconds:int32 PeriodSeconds=periodSeconds:int32 SuccessThreshold=successThreshold:int32 FailureThreshold=failureThreshold:int32 TerminationGracePeriodSeconds=terminationGracePeriodSeconds:*int64
S core.SleepAction Seconds=seconds:int64
S core.LifecycleHandler Exec=exec:*core.ExecAction HTTPGet=httpGet:*core.HTTPGetAction TCPSocket=tcpSocket:*core.TCPSocketAction Sleep=sleep:*core.SleepAction
S core.Lifecycle PostStart=postStart:*core.LifecycleHandler PreStop=preStop:*core.LifecycleHandler StopSignal=stopSignal:*core.Signal
S core.Capabilities Add=add:[]core.Capability Drop=drop:[]core.Capability
S core.SELinuxOptions User=user:string Role=role:string Type=type:string Level=level:string
S core.WindowsSecurityContextOptions GMSACredentialSpecName=gmsaCredentialSpecName:*string GMSACredentialSpec=gmsaCredentialSpec:*string RunAsUserName=runAsUserName:*string HostProcess=hostProcess:*bool
S core.SeccompProfile Type=type:core.SeccompProfileType LocalhostProfile=localhostProfile:*string
S core.AppArmorProfile Type=type:core.AppArmorProfileType LocalhostProfile=localhostProfile:*string
S core.SecurityContext Capabilities=capabilities:*core.Capabilities Privileged=privileged:*bool SELinuxOptions=seLinuxOptions:*core.SELinuxOptions WindowsOptions=windowsOptions:*core.WindowsSecurityContextOptions RunAsUser=runAsUser:*int64 RunAsGroup=runAsGroup:*int64 RunAsNonRoot=runAsNonRoot:*bool ReadOnlyRootFilesystem=readOnlyRootFilesystem:*bool AllowPrivilegeEscalation=allowPrivilegeEscalation:*bool ProcMount=procMount:*core.ProcMountType SeccompProfile=seccompProfile:*core.SeccompProfile AppArmorProfile=appArmorProfile:*core.AppArmorProfile
S core.Container Name=name:string Image=image:string Command=command:[]string Args=args:[]string WorkingDir=workingDir:string Ports=ports:[]core.ContainerPort EnvFrom=envFrom:[]core.EnvFromSource Env=env:[]core.EnvVar Resources=resources:core.ResourceRequirements ResizePolicy=resizePolicy:[]core.ContainerResizePolicy RestartPolicy=restartPolicy:*core.ContainerRestartPolicy RestartPolicyRules=restartPolicyRules:[]core.ContainerRestartRule VolumeMounts=volumeMounts:[]core.VolumeMount VolumeDevices=volumeDevices:[]core.VolumeDevice LivenessProbe=livenessProbe:*core.Probe ReadinessProbe=readinessProbe:*core.Probe StartupProbe=startupProbe:*core.Probe Lifecycle=lifecycle:*core.Lifecycle TerminationMessagePath=terminationMessagePath:string TerminationMessagePolicy=terminationMessagePolicy:core.TerminationMessagePolicy ImagePullPolicy=imagePullPolicy:core.PullPolicy SecurityContext=securityContext:*core.SecurityContext Stdin=stdin:bool StdinOnce=stdinOnce:bool TTY=tty:bool
S core.EphemeralContainerCommon Name=name:string Image=image:string Command=command:[]string Args=args:[]string WorkingDir=workingDir:string Ports=ports:[]core.ContainerPort EnvFrom=envFrom:[]core.EnvFromSource Env=env:[]core.EnvVar Resources=resources:core.ResourceRequirements ResizePolicy=resizePolicy:[]core.ContainerResizePolicy RestartPolicy=restartPolicy:*core.ContainerRestartPolicy RestartPolicyRules=restartPolicyRules:[]core.ContainerRestartRule VolumeMounts=volumeMounts:[]core.VolumeMount VolumeDevices=volumeDevices:[]core.VolumeDevice LivenessProbe=livenessProbe:*core.Probe ReadinessProbe=readinessProbe:*core.Probe StartupProbe=startupProbe:*core.Probe Lifecycle=lifecycle:*core.Lifecycle TerminationMessagePath=terminationMessagePath:string TerminationMessagePolicy=terminationMessagePolicy:core.TerminationMessagePolicy ImagePullPolicy=imagePullPolicy:core.PullPolicy SecurityContext=securityContext:*core.SecurityContext Stdin=stdin:bool StdinOnce=stdinOnce:bool TTY=tty:bool
S core.EphemeralContainer ~:core.EphemeralContainerCommon TargetContainerName=targetContainerName:string
S core.Sysctl Name=name:string Value=value:string
S core.PodSecurityContext HostNetwork=hostNetwork:bool HostPID=hostPID:bool HostIPC=hostIPC:bool ShareProcessNamespace=shareProcessNamespace:*bool HostUsers=hostUsers:*bool SELinuxOptions=seLinuxOptions:*core.SELinuxOptions WindowsOptions=windowsOptions:*core.WindowsSecurityContextOptions RunAsUser=runAsUser:*int64 RunAsGroup=runAsGroup:*int64 RunAsNonRoot=runAsNonRoot:*bool SupplementalGroups=supplementalGroups:[]int64 SupplementalGroupsPolicy=supplementalGroupsPolicy:*core.SupplementalGroupsPolicy FSGroup=fsGroup:*int64 FSGroupChangePolicy=fsGroupChangePolicy:*core.PodFSGroupChangePolicy Sysctls=sysctls:[]core.Sysctl SeccompProfile=seccompProfile:*core.SeccompProfile AppArmorProfile=appArmorProfile:*core.AppArmorProfile SELinuxChangePolicy=seLinuxChangePolicy:*core.PodSELinuxChangePolicy
S core.NodeSelectorRequirement Key=key:string Operator=operator:core.NodeSelectorOperator Values=values:[]string
S core.NodeSelectorTerm MatchExpressions=matchExpressions:[]core.NodeSelectorRequirement MatchFields=matchFields:[]core.NodeSelectorRequirement
S core.NodeSelector NodeSelectorTerms=nodeSelectorTerms:[]core.NodeSelectorTerm
S core.PreferredSchedulingTerm Weight=weight:int32 Preference=preference:core.NodeSelectorTerm
S core.NodeAffinity RequiredDuringSchedulingIgnoredDuringExecution=requiredDuringSchedulingIgnoredDuringExecution:*core.NodeSelector PreferredDuringSchedulingIgnoredDuringExecution=preferredDuringSchedulingIgnoredDuringExecution:[]core.PreferredSchedulingTerm
S core.PodAffinityTerm LabelSelector=labelSelector:*meta.LabelSelector Namespaces=namespaces:[]string TopologyKey=topologyKey:string NamespaceSelector=namespaceSelector:*meta.LabelSelector MatchLabelKeys=matchLabelKeys:[]string MismatchLabelKeys=mismatchLabelKeys:[]string
S core.WeightedPodAffinityTerm Weight=weight:int32 PodAffinityTerm=podAffinityTerm:core.PodAffinityTerm
S core.PodAffinity RequiredDuringSchedulingIgnoredDuringExecution=requiredDuringSchedulingIgnoredDuringExecution:[]core.PodAffinityTerm PreferredDuringSchedulingIgnoredDuringExecution=preferredDuringSchedulingIgnoredDuringExecution:[]core.WeightedPodAffinityTerm
S core.PodAntiAffinity RequiredDuringSchedulingIgnoredDuringExecution=requiredDuringSchedulingIgnoredDuringExecution:[]core.PodAffinityTerm PreferredDuringSchedulingIgnoredDuringExecution=preferredDuringSchedulingIgnoredDuringExecution:[]core.WeightedPodAffinityTerm
S core.Affinity NodeAffinity=nodeAffinity:*core.NodeAffinity PodAffinity=podAffinity:*core.PodAffinity PodAntiAffinity=podAntiAffinity:*core.PodAntiAffinity
S core.Toleration Key=key:string Operator=operator:core.TolerationOperator Value=value:string Effect=effect:core.TaintEffect TolerationSeconds=tolerationSeconds:*int64
S core.HostAlias IP=ip:string Hostnames=hostnames:[]string
S core.PodDNSConfigOption Name=name:string Value=value:*string
S core.PodDNSConfig Nameservers=nameservers:[]string Searches=searches:[]string Options=options:[]core.PodDNSConfigOption
S core.PodReadinessGate ConditionType=conditionType:core.PodConditionType
S core.TopologySpreadConstraint MaxSkew=maxSkew:int32 TopologyKey=topologyKey:string WhenUnsatisfiable=whenUnsatisfiable:core.UnsatisfiableConstraintAction LabelSelector=labelSelector:*meta.LabelSelector MinDomains=minDomains:*int32 NodeAffinityPolicy=nodeAffinityPolicy:*core.NodeInclusionPolicy NodeTaintsPolicy=nodeTaintsPolicy:*core.NodeInclusionPolicy MatchLabelKeys=matchLabelKeys:[]string
S core.PodOS Name=name:core.OSName
S core.PodSchedulingGate Name=name:string
S core.PodResourceClaim Name=name:string ResourceClaimName=resourceClaimName:*string ResourceClaimTemplateName=resourceClaimTemplateName:*string
S core.PodSchedulingGroup PodGroupName=podGroupName:*string
S core.PodSpec Volumes=volumes:[]core.Volume InitContainers=initContainers:[]core.Container Containers=containers:[]core.Container EphemeralContainers=ephemeralContainers:[]core.EphemeralContainer RestartPolicy=restartPolicy:core.RestartPolicy TerminationGracePeriodSeconds=terminationGracePeriodSeconds:*int64 ActiveDeadlineSeconds=activeDeadlineSeconds:*int64 DNSPolicy=dnsPolicy:core.DNSPolicy NodeSelector=nodeSelector:map[string]string ServiceAccountName=serviceAccountName:string AutomountServiceAccountToken=automountServiceAccountToken:*bool NodeName=nodeName:string SecurityContext=securityContext:*core.PodSecurityContext ImagePullSecrets=imagePullSecrets:[]core.LocalObjectReference Hostname=hostname:string Subdomain=subdomain:string SetHostnameAsFQDN=setHostnameAsFQDN:*bool Affinity=affinity:*core.Affinity SchedulerName=schedulerName:string Tolerations=tolerations:[]core.Toleration HostAliases=hostAliases:[]core.HostAlias PriorityClassName=priorityClassName:string Priority=priority:*int32 PreemptionPolicy=preemptionPolicy:*core.PreemptionPolicy DNSConfig=dnsConfig:*core.PodDNSConfig ReadinessGates=readinessGates:[]core.PodReadinessGate RuntimeClassName=runtimeClassName:*string Overhead=overhead:core.ResourceList EnableServiceLinks=enableServiceLinks:*bool TopologySpreadConstraints=topologySpreadConstraints:[]core.TopologySpreadConstraint OS=os:*core.PodOS SchedulingGates=schedulingGates:[]core.PodSchedulingGate ResourceClaims=resourceClaims:[]core.PodResourceClaim Resources=resources:*core.ResourceRequirements HostnameOverride=hostnameOverride:*string SchedulingGroup=schedulingGroup:*core.PodSchedulingGroup
"#;
