#!/usr/bin/env bash
#
# Memory of the built node at plant scale: unpacks karaf-distribution/target/fogwerk-*.tar.gz into
# benchmarks/target/node-memory/, moves every port to a free one, turns the simulated OPC UA machine
# into 10,000 tags that all change every second (patterns = counter) and points the demo connection
# sim-opcua at all of them, starts the node with its own bin/start and the shipped bin/setenv, lets it
# stream 10,000 values/s for a warm-up, then samples the node's resident memory (VmRSS) every 5 s and
# prints min / median / max next to the 250 MB target and the previous run's figure, with the values/s
# that reached the tag bus, the uplink, and the node's CPU use. Everything else is the demo profile:
# the Modbus machine and its connection, the shadow store, the uplink `local` to the MQTT broker on
# 127.0.0.1:1883 (one QoS 1 message per value).
#
#   mvn -B -q install -DskipTests && benchmarks/node-memory.sh
#
# Environment:
#   MEASURE_SECONDS   sampling time after the warm-up (default 300)
#   WARMUP_SECONDS    streaming time before sampling starts (default 60)
#   NMT=1             also run with -XX:NativeMemoryTracking=summary and print `jcmd VM.native_memory
#                     summary` at the end (NMT itself costs a few MB of resident memory)
#   EXTRA_JAVA_OPTS   added to the shipped JVM options (as bin/setenv does), e.g. to try a setting
#   BROKER_URL        the uplink's broker (default tcp://127.0.0.1:1883)
#   MACHINE=external  the simulated OPC UA machine runs in a second node of its own (a copy of the
#                     distribution with only the simulator configured) instead of inside the measured
#                     node, as a real machine would: the measured node then holds only what it needs
#                     to read 10,000 tags, not the machine's address space and OPC UA server
#   KEEP=1            leave the node running at the end (stop it with .../bin/stop)
#
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dist=$(ls "$root"/karaf-distribution/target/fogwerk-*.tar.gz 2>/dev/null | head -n 1 || true)
if [ -z "$dist" ]; then
  echo "no karaf-distribution/target/fogwerk-*.tar.gz: build first (mvn -B -q install -DskipTests)" >&2
  exit 1
fi
measure=${MEASURE_SECONDS:-300}
warmup=${WARMUP_SECONDS:-60}
broker=${BROKER_URL:-tcp://127.0.0.1:1883}
target_mb=250
work="$here/target/node-memory"
last="$here/target/node-memory-last.txt"
tags=10000

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# key = value in a .cfg file: replaced where present, appended otherwise
set_key() {
  local file=$1 key=$2 value=$3
  if grep -qE "^[[:space:]]*${key//./\\.}[[:space:]]*=" "$file"; then
    sed -i -E "s|^[[:space:]]*${key//./\\.}[[:space:]]*=.*|${key} = ${value}|" "$file"
  else
    printf '%s = %s\n' "$key" "$value" >>"$file"
  fi
}

machine=${MACHINE:-inside}
case "$machine" in
  inside | external) ;;
  *) echo "MACHINE is inside or external, not $machine" >&2; exit 1 ;;
esac

rm -rf "$work"
mkdir -p "$work/node"
tar xzf "$dist" -C "$work/node"
home=$(find "$work/node" -mindepth 1 -maxdepth 1 -type d | head -n 1)
etc="$home/etc"

# every port of an unpacked node moved to a free one; prints the SSH port
free_ports() {
  local etc=$1 ssh
  ssh=$(free_port)
  set_key "$etc/org.apache.karaf.shell.cfg" sshPort "$ssh"
  set_key "$etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$(free_port)"
  set_key "$etc/org.fogwerk.broker.cfg" port "$(free_port)"
  echo "$ssh"
}

ssh_port=$(free_ports "$etc")
opcua_port=$(free_port)
modbus_port=$(free_port)
set_key "$etc/org.fogwerk.simulator.modbus.cfg" port "$modbus_port"
set_key "$etc/org.fogwerk.connector.modbus-sim-modbus.cfg" port "$modbus_port"
node_id="mem$(date +%s)"
set_key "$etc/custom.properties" fogwerk.node "$node_id"
set_key "$etc/org.fogwerk.uplink.mqtt-local.cfg" broker.urls "$broker"

# 10,000 tags, every one a counter (each changes at every update), none writable
machine_home=""
sim="$etc/org.fogwerk.simulator.opcua.cfg"
if [ "$machine" = external ]; then
  # the machine: a second copy of the node whose only work is the OPC UA simulator
  mkdir -p "$work/machine"
  tar xzf "$dist" -C "$work/machine"
  machine_home=$(find "$work/machine" -mindepth 1 -maxdepth 1 -type d | head -n 1)
  free_ports "$machine_home/etc" >/dev/null
  rm -f "$machine_home"/etc/org.fogwerk.connector.*.cfg "$machine_home"/etc/org.fogwerk.uplink.*.cfg \
    "$machine_home/etc/org.fogwerk.simulator.modbus.cfg"
  set_key "$machine_home/etc/custom.properties" fogwerk.node "machine$(date +%s)"
  mv "$sim" "$work/simulator.opcua.cfg.unused"
  sim="$machine_home/etc/org.fogwerk.simulator.opcua.cfg"
fi
set_key "$sim" port "$opcua_port"
set_key "$sim" tag.count "$tags"
set_key "$sim" update.interval 1000
set_key "$sim" patterns counter
set_key "$sim" writable.count 0
set_key "$etc/org.fogwerk.connector.opcua-sim-opcua.cfg" endpoint.url "opc.tcp://127.0.0.1:${opcua_port}/fogwerk"
python3 - "$etc/tags/sim-opcua.csv" "$tags" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
types = ["Boolean", "Int16", "Int32", "UInt16", "Float", "Double", "String"]
with open(path, "w") as f:
    f.write("# 10,000 counter tags of the simulated OPC UA machine (benchmarks/node-memory.sh)\n")
    f.write("name,nodeId,samplingInterval,deadband,access,min,max,unit,description\n")
    for i in range(n):
        name = "counter%s%02d" % (types[i % 7], i + 1)
        f.write("%s,nsu=urn:fogwerk:simulator;s=%s,,,r,,,,\n" % (name, name))
EOF

if [ "${NMT:-0}" = "1" ]; then
  EXTRA_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${EXTRA_JAVA_OPTS:-}"
fi
export EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-}"

# one shell command, as README shows: printf 'command\n' | bin/client -u admin -p admin -b
shell() {
  printf '%s\n' "$1" | "$home/bin/client" -u admin -p admin -a "$ssh_port" -r 3 -d 2 -b 2>/dev/null
}

stop_node() {
  if [ -n "$machine_home" ]; then
    "$machine_home/bin/stop" >/dev/null 2>&1 || true
  fi
  if [ "${KEEP:-0}" != "1" ]; then
    "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do
      [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
  fi
}

echo "Fogwerk node memory: $tags tags at 1 s, machine $machine, $(basename "$dist"), $(java -version 2>&1 | head -n 1), $(nproc) cores"
echo "node: $home (ssh $ssh_port, OPC UA simulator $opcua_port), uplink to $broker as fogwerk/$node_id/#"
trap stop_node EXIT
if [ -n "$machine_home" ]; then
  echo "machine: the OPC UA simulator in a node of its own, $machine_home"
  (unset EXTRA_JAVA_OPTS; "$machine_home/bin/start")
  for _ in $(seq 1 120); do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
      "$opcua_port" 2>/dev/null && break
    sleep 1
  done
fi
"$home/bin/start"

# the node's JVM: the java process whose command line names this home
pid=""
for _ in $(seq 1 60); do
  pid=$(pgrep -f -- "-Dkaraf.home=$home " | head -n 1 || true)
  [ -n "$pid" ] && break
  sleep 1
done
if [ -z "$pid" ]; then
  echo "the node did not start: see $home/data/log/karaf.log" >&2
  exit 1
fi
echo "pid $pid, JVM options: $(tr '\0' ' ' </proc/"$pid"/cmdline | grep -oE -- ' -X[^ ]+| -Dio\.netty[^ ]+| -Djdk\.nio[^ ]+' | tr -d '\n')"
if [ -r "/proc/$pid/environ" ] && tr '\0' '\n' <"/proc/$pid/environ" | grep -q '^MALLOC_ARENA_MAX='; then
  echo "$(tr '\0' '\n' <"/proc/$pid/environ" | grep '^MALLOC_ARENA_MAX=')"
fi

# values of one connection that reached the tag bus: "Values: 759678 in, ..." of fogwerk:connector-status
values_of() {
  shell "fogwerk:connector-status $1" | awk '/^Values:/ { print $2; exit }'
}
sent_of_uplink() {
  shell "fogwerk:uplink-status local" | awk -F'|' '/^Sent  / { gsub(/[^0-9]/, "", $2); print $2; exit }'
}
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
# young collections, their seconds, full collections, their seconds
gc_counts() {
  jstat -gcutil "$1" 2>/dev/null | awk 'NR == 2 { print $7, $8, $9, $10 }'
}
rss_kb() {
  awk '/^VmRSS/ { print $2 }' "/proc/$1/status"
}

echo "waiting for $tags tags to be subscribed ..."
for _ in $(seq 1 120); do
  if grep -q "subscribed $tags of $tags tags" "$home/data/log/karaf.log" 2>/dev/null; then
    break
  fi
  sleep 1
done
grep -o "subscribed $tags of $tags tags.*" "$home/data/log/karaf.log" | head -n 1 || echo "not all tags subscribed: see $home/data/log/karaf.log"
echo "streaming: warm-up $warmup s, then RSS every 5 s for $measure s"
sleep "$warmup"

hz=$(getconf CLK_TCK)
v0=$(values_of sim-opcua || true)
u0=$(sent_of_uplink || true)
c0=$(cpu_ticks "$pid")
g0=$(gc_counts "$pid" || echo "0 0 0 0")
t0=$(date +%s.%N)
samples=()
end=$(($(date +%s) + measure))
while [ "$(date +%s)" -lt "$end" ]; do
  samples+=("$(rss_kb "$pid")")
  sleep 5
done
samples+=("$(rss_kb "$pid")")
t1=$(date +%s.%N)
c1=$(cpu_ticks "$pid")
g1=$(gc_counts "$pid" || echo "0 0 0 0")
v1=$(values_of sim-opcua || true)
u1=$(sent_of_uplink || true)

stats=$(printf '%s\n' "${samples[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.0f %.0f %.0f %d", a[1] / 1024, a[int((NR + 1) / 2)] / 1024, a[NR] / 1024, NR }')
read -r min med max n <<<"$stats"
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo
printf 'RSS (MiB, %d samples over %s s): min %d, median %d, max %d; target %d MB (%.0f MiB)\n' \
  "$n" "$secs" "$min" "$med" "$max" "$target_mb" "$(awk -v t=$target_mb 'BEGIN { print t * 1000000 / 1048576 }')"
if [ -f "$last" ]; then
  echo "previous run: $(cat "$last")"
fi
# a figure without the rate it was measured at is no figure: an unanswered status fails the run
unanswered=0
for v in "$v0" "$v1" "$u0" "$u1"; do
  case "$v" in '' | *[!0-9]*) unanswered=1 ;; esac
done
if [ "$unanswered" = 1 ]; then
  echo "values/s: unknown, the node's shell did not answer connector-status / uplink-status (read: '$v0' '$v1' '$u0' '$u1')" >&2
else
  awk -v v0="$v0" -v v1="$v1" -v u0="$u0" -v u1="$u1" -v c0="$c0" -v c1="$c1" -v hz="$hz" -v s="$secs" 'BEGIN {
    printf "values/s: %.0f from sim-opcua to the tag bus, %.0f sent by the uplink; node CPU %.0f %% of one core\n",
      (v1 - v0) / s, (u1 - u0) / s, 100 * (c1 - c0) / hz / s }'
fi
read -r yc0 yt0 fc0 ft0 <<<"$g0"
read -r yc1 yt1 fc1 ft1 <<<"$g1"
awk -v yc="$((yc1 - yc0))" -v yt0="$yt0" -v yt1="$yt1" -v fc="$((fc1 - fc0))" -v ft0="$ft0" -v ft1="$ft1" -v s="$secs" 'BEGIN {
  printf "GC: %d young collections (%.2f s), %d full (%.2f s), %.1f %% of the time\n", yc, yt1 - yt0, fc, ft1 - ft0,
    100 * (yt1 - yt0 + ft1 - ft0) / s }'
heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | sed -n '2,4p' || true)
[ -n "$heap" ] && printf 'heap:\n%s\n' "$heap"
if [ "${NMT:-0}" = "1" ]; then
  echo
  jcmd "$pid" VM.native_memory summary scale=MB | grep -E '^(Total|-| +\(mmap|  +\(malloc| +\(classes|  +\(threads|  +\(stack)' || true
fi
printf 'min %d, median %d, max %d MiB (%s, machine %s, %s)\n' "$min" "$med" "$max" "$(date -u +%Y-%m-%dT%H:%MZ)" \
  "$machine" "${EXTRA_JAVA_OPTS:-shipped settings}" >"$last"
[ "$unanswered" = 0 ] || exit 1
