#!/bin/sh
# Container entry point of the ActorRpc demo-host image (deploy/Dockerfile): fills in the address other nodes
# reach this one at, then runs the node as PID 1 so it receives SIGTERM and leaves the cluster cleanly.
#
# Cluster__Hostname, when set, wins: docker-compose sets it to the service name, Kubernetes to the
# pod's stable DNS name (deploy/k8s/statefulset.yaml). When it is unset, this container's own IP is
# used, so a plain `docker run` of several containers on one network still forms a cluster. Never
# 0.0.0.0: Akka.NET advertises the address it is given, and peers must be able to dial it.
set -eu

if [ -z "${Cluster__Hostname:-}" ]; then
  own_ip="$(getent hosts "$(cat /proc/sys/kernel/hostname)" 2>/dev/null | awk '{ print $1; exit }')" || own_ip=""
  if [ -n "$own_ip" ]; then
    Cluster__Hostname="$own_ip"
    export Cluster__Hostname
  else
    echo "docker-entrypoint: could not find this container's IP; set Cluster__Hostname" >&2
  fi
fi

# The app sits next to this script (/app in the image).
exec dotnet "$(dirname "$0")/ActorRpc.DemoHost.dll" "$@"
