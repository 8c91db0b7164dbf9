//! kube-apiserver: the only component that talks to etcd. (Being written.)

pub mod validation;
