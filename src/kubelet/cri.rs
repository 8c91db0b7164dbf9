//! containerd as the kubelet sees it through the CRI: images on the node, pulls from a registry,
//! pod sandboxes, and containers with their states.

use std::collections::BTreeMap;

use crate::sim::{Millis, Rng};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// `docker.io/library/nginx:1.27`
    pub reference: String,
    /// `docker.io/library/nginx@sha256:…`
    pub digest_ref: String,
    pub size_bytes: i64,
}

/// The fully qualified reference of an image name (`nginx` → `docker.io/library/nginx:latest`).
pub fn normalize_image(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), format!(":{t}")),
        _ if image.contains('@') => (image.to_string(), String::new()),
        _ => (image.to_string(), ":latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or_default();
    let qualified = if !name.contains('/') {
        format!("docker.io/library/{name}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        name
    } else {
        format!("docker.io/{name}")
    };
    format!("{qualified}{tag}")
}

/// A plausible compressed size for well-known images, so pulls take a believable time.
fn image_size(reference: &str) -> i64 {
    match reference.rsplit('/').next().unwrap_or_default().split(':').next().unwrap_or_default() {
        "busybox" => 2_156_000,
        "nginx" => 72_950_000,
        "alpine" => 3_640_000,
        "redis" => 45_000_000,
        "postgres" => 158_000_000,
        "httpd" => 58_000_000,
        _ => 30_000_000,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    Created,
    Running { started_at: Millis },
    Exited { started_at: Millis, finished_at: Millis, exit_code: i32, reason: String },
}

#[derive(Debug, Clone)]
pub struct Container {
    pub id: String,
    pub name: String,
    pub image: String,
    pub state: ContainerState,
}

#[derive(Debug, Clone)]
pub struct Sandbox {
    pub id: String,
    pub ip: String,
}

/// The container runtime of one node.
#[derive(Debug, Clone)]
pub struct Runtime {
    images: BTreeMap<String, Image>,
    /// Whether a registry is reachable (the default cluster) or only local images exist.
    pub can_pull: bool,
    pub sandboxes: BTreeMap<String, Sandbox>,
    pub containers: BTreeMap<String, Container>,
}

impl Runtime {
    pub fn new(preloaded: &[String], can_pull: bool, rng: &mut Rng) -> Self {
        let mut rt = Runtime { images: BTreeMap::new(), can_pull, sandboxes: BTreeMap::new(), containers: BTreeMap::new() };
        for img in preloaded {
            rt.store(img, rng);
        }
        rt
    }

    fn store(&mut self, image: &str, rng: &mut Rng) -> Image {
        let reference = normalize_image(image);
        let repo = reference.rsplit_once(':').map(|(r, _)| r.to_string()).unwrap_or(reference.clone());
        let img = Image { digest_ref: format!("{repo}@sha256:{}", rng.hex(32)), size_bytes: image_size(&reference), reference: reference.clone() };
        self.images.insert(reference, img.clone());
        img
    }

    pub fn image(&self, image: &str) -> Option<&Image> {
        self.images.get(&normalize_image(image))
    }

    /// The images on the node, for the Node's `status.images`.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values()
    }

    /// PullImage: how long the pull takes, or the registry's error.
    pub fn pull(&mut self, image: &str, rng: &mut Rng) -> Result<(Image, Millis), String> {
        if !self.can_pull {
            let reference = normalize_image(image);
            return Err(format!(
                "failed to pull and unpack image \"{reference}\": failed to resolve reference \"{reference}\": failed to do request: Head \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host"
            ));
        }
        let img = self.store(image, rng);
        // About 40 MB/s plus the registry round trips.
        let ms = 300 + (img.size_bytes / 40_000) as Millis;
        Ok((img, ms))
    }

    pub fn run_pod_sandbox(&mut self, pod_uid: &str, ip: String, rng: &mut Rng) -> String {
        let id = rng.hex(32);
        self.sandboxes.insert(pod_uid.to_string(), Sandbox { id: id.clone(), ip });
        id
    }

    pub fn remove_pod_sandbox(&mut self, pod_uid: &str) -> Option<Sandbox> {
        self.sandboxes.remove(pod_uid)
    }

    pub fn create_container(&mut self, name: &str, image: &str, rng: &mut Rng) -> String {
        let id = rng.hex(32);
        self.containers.insert(id.clone(), Container { id: id.clone(), name: name.into(), image: image.into(), state: ContainerState::Created });
        id
    }

    pub fn start_container(&mut self, id: &str, now: Millis) {
        if let Some(c) = self.containers.get_mut(id) {
            c.state = ContainerState::Running { started_at: now };
        }
    }

    /// StopContainer: the process ends with `exit_code` (0 after a clean SIGTERM, 137 after SIGKILL).
    pub fn stop_container(&mut self, id: &str, now: Millis, exit_code: i32, reason: &str) {
        if let Some(c) = self.containers.get_mut(id) {
            let started_at = match c.state {
                ContainerState::Running { started_at } => started_at,
                _ => now,
            };
            c.state = ContainerState::Exited { started_at, finished_at: now, exit_code, reason: reason.into() };
        }
    }

    pub fn remove_container(&mut self, id: &str) {
        self.containers.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_are_qualified_as_containerd_does() {
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalize_image("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(normalize_image("bitnami/redis:7"), "docker.io/bitnami/redis:7");
        assert_eq!(normalize_image("registry.k8s.io/pause:3.10"), "registry.k8s.io/pause:3.10");
        assert_eq!(normalize_image("localhost:5000/app"), "localhost:5000/app:latest");
    }

    #[test]
    fn offline_nodes_cannot_pull() {
        let mut rng = Rng::seeded(1);
        let mut rt = Runtime::new(&["busybox:1.36".into()], false, &mut rng);
        assert!(rt.image("docker.io/library/busybox:1.36").is_some());
        assert!(rt.pull("nginx", &mut rng).is_err());
    }
}
