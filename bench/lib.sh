# Shared by the bench scripts: source it.

# free_port NAME: sets NAME to a loopback port nothing answers on and not handed out before (a port handed out is not
# bound at once, so the next call could pick it again). Not in a $(...) subshell, which would forget what it gave.
# Below Linux's ephemeral range (32768-60999 by default), where the client side of every connection the benchmarks
# open (wrk, curl, the servers' own) takes its port: a port there can be taken by one between the check and the bind.
given_ports=" "
free_port() {
  local candidate
  for _ in {1..100}; do
    candidate=$((20000 + RANDOM % 12000))
    if [[ $given_ports != *" $candidate "* ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      given_ports+="$candidate "
      printf -v "$1" '%s' "$candidate"
      return
    fi
  done
  echo "no free loopback port found" >&2
  exit 1
}
