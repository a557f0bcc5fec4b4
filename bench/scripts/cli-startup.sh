#!/bin/sh
# Start-up of the netns-ts command: from its one-file bundle (with V8's code cache) against its
# separate modules (NETNS_TS_BUNDLE=0), with `node -e 0` for scale; alternating runs, times
# sorted. Read-only commands; run it in the sandbox like everything else, after `npm run build`:
#
#   unshare --net --mount --propagation private -- sh -c 'mount -t tmpfs netns-ts-run /run && \
#     ip link set lo up && sh bench/scripts/cli-startup.sh 11 ip link show'
#   ... sh bench/scripts/cli-startup.sh 11 nft list ruleset
set -e
N=${1:-11}
shift
[ $# -gt 0 ] || set -- ip link show
cd "$(dirname "$0")/../.."
ms() { s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
for i in $(seq "$N"); do
  echo "bundle $(ms node dist/cli/main.js "$@")"
  echo "modules $(ms env NETNS_TS_BUNDLE=0 node dist/cli/main.js "$@")"
  echo "node-e-0 $(ms node -e 0)"
done | sort -k1,1 -k2n | awk '{ t[$1] = t[$1] " " $2; n[$1]++; v[$1, n[$1]] = $2 }
  END { for (k in t) printf "%-9s median %4d ms |%s\n", k, v[k, int((n[k] + 1) / 2)], t[k] }'
