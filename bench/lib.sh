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

# start_sentry_standin PORT [COUNT_FILE]: starts bench/sentry-standin.py in the background on the load CPU (the
# caller's load_cpu) and adds its pid to the caller's pids. It runs ahead of the load generator there (nice -10, as
# root), because a real Sentry answers within tens of milliseconds whatever our load: starved behind wrk, the stand-in
# took seconds per envelope, the SDK's offline cache filled to its 30-file limit, and every new envelope then paid for
# listing and sorting that backlog on the server's CPU and some were dropped (bench/README.md).
start_sentry_standin() {
  local priority=()
  if ((EUID == 0)); then priority=(nice -n -10); fi
  "${priority[@]}" "${load_cpu[@]}" python3 "$(dirname "${BASH_SOURCE[0]}")/sentry-standin.py" "$@" &
  pids+=("$!")
}

# wait_live URL PID LOG: waits until the API at URL answers /health/live; if its process PID ends first, or after 60 s,
# exits with the end of its LOG.
wait_live() {
  local url=$1 pid=$2 log=$3
  for _ in {1..120}; do
    if curl -fsS -o /dev/null "$url/health/live" 2>/dev/null; then
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server at $url exited before it was live:" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "the server at $url was not live after 60 s:" >&2
  tail -n 40 "$log" >&2
  exit 1
}

# sign_up_reader URL: registers a new user on the API at URL, signs in and orders three books (they stay queued when
# no job server runs), so that GET /api/books reads real rows; prints the user's access token. It returns at the first
# failure: called in $(...), where set -e does not reach, so the caller's assignment fails instead.
sign_up_reader() {
  local base=$1 email="bench-$RANDOM$RANDOM@example.com" password="Bench-$RANDOM-Passw0rd!" token theme
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/auth/register" || return
  token=$(curl -fsS -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/auth/login" | jq -r .accessToken) || return
  for theme in forest-friends bedtime forest-friends; do
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"theme\":\"$theme\",\"pageCount\":2}" "$base/api/books" || return
  done
  echo "$token"
}
