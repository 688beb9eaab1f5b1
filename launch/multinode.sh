#!/usr/bin/env bash
# Multi-node training on a Ray cluster you start by hand (no scheduler): one head, any number of workers, then
# submit `reasonrl train` as a Ray job that runs on the cluster with topology.mode=cluster.
#
#     launch/multinode.sh head [--port 6379] [--num-gpus N]     # on the head node
#     launch/multinode.sh worker HEAD_IP:PORT                   # on every other node
#     launch/multinode.sh submit HEAD_IP:PORT CONFIG [overrides...]  # from any machine that reaches the head
#     launch/multinode.sh stop                                  # on every node: stops ALL Ray processes there
#
# Environment: RAY_NUM_CPUS (CPUs Ray may use on this node; default: all), DASHBOARD_PORT (8265; `submit` talks
# to the head's job server on it), RAY_AUTH_TOKEN (recent Ray, 2.60 here, turns on token authentication for a
# new head and keeps the token in ~/.ray/auth_token: copy that file to the workers and the submitting machine,
# or export the same RAY_AUTH_TOKEN everywhere).
set -euo pipefail

DASHBOARD_PORT="${DASHBOARD_PORT:-8265}"

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

die() {
  echo "error: $*" >&2
  exit 2
}

need_address() {
  [[ "${1:-}" =~ ^[^:]+:[0-9]+$ ]] || die "expected HEAD_IP:PORT (e.g. 10.0.0.1:6379), got '${1:-}'"
}

CPU_ARGS=()
if [[ -n "${RAY_NUM_CPUS:-}" ]]; then
  CPU_ARGS=(--num-cpus "$RAY_NUM_CPUS")
fi

cmd_head() {
  local port=6379 gpus=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) port="${2:?--port needs a value}"; shift 2 ;;
      --num-gpus) gpus="${2:?--num-gpus needs a value}"; shift 2 ;;
      *) die "head: unknown option '$1' (use --port N, --num-gpus N)" ;;
    esac
  done
  local args=(--head --port "$port" --dashboard-host 0.0.0.0 --dashboard-port "$DASHBOARD_PORT"
    --disable-usage-stats)
  if [[ -n "$gpus" ]]; then
    args+=(--num-gpus "$gpus")
  fi
  ray start "${args[@]}" "${CPU_ARGS[@]}"
  local ip
  ip="$(hostname -I 2>/dev/null | awk '{print $1}')"
  echo
  echo "head started. On each worker node:  launch/multinode.sh worker ${ip:-HEAD_IP}:$port"
  echo "then submit a run:                  launch/multinode.sh submit ${ip:-HEAD_IP}:$port CONFIG"
}

cmd_worker() {
  [[ $# -eq 1 ]] || die "worker takes exactly one argument, HEAD_IP:PORT"
  need_address "$1"
  ray start --address "$1" --disable-usage-stats "${CPU_ARGS[@]}"
}

cmd_submit() {
  [[ $# -ge 2 ]] || die "submit needs HEAD_IP:PORT and CONFIG (then any key=value overrides)"
  need_address "$1"
  local head_ip="${1%:*}" config="$2"
  shift 2
  [[ -f "$config" ]] || die "config file '$config' not found (relative to this folder, which is shipped to the cluster)"
  ray job submit --address "http://$head_ip:$DASHBOARD_PORT" --working-dir . -- \
    reasonrl train "$config" topology.mode=cluster topology.address=auto "$@"
}

cmd_stop() {
  [[ $# -eq 0 ]] || die "stop takes no arguments"
  ray stop
}

[[ $# -ge 1 ]] || usage
sub="$1"
shift
if [[ "$sub" =~ ^(head|worker|submit|stop)$ ]] && ! command -v ray >/dev/null; then
  die "the 'ray' command is not on PATH (activate the environment with reasonrl installed)"
fi
case "$sub" in
  head) cmd_head "$@" ;;
  worker) cmd_worker "$@" ;;
  submit) cmd_submit "$@" ;;
  stop) cmd_stop "$@" ;;
  -h | --help | help) usage 0 ;;
  *) die "unknown command '$sub' (head, worker, submit, stop)" ;;
esac
