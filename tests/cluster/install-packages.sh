#!/bin/sh
# Debian's packages the cluster harness runs on (root): containerd and runc (the node's runtime),
# the CNI plugins (pod network), buildah and debootstrap (the images), iptables and conntrack
# (kube-proxy), iproute2 and util-linux (the network namespace, nsenter), openssl (certificates),
# git (the node's git server). Everything else is built from the Go module proxy (build.py).
set -eu
missing=""
for tool in containerd runc buildah debootstrap iptables conntrack ip nsenter openssl git; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -d /usr/lib/cni ] || missing="$missing cni"
if [ -z "$missing" ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends containerd runc containernetworking-plugins \
    buildah debootstrap iptables conntrack iproute2 util-linux openssl git ca-certificates \
    >/dev/null
