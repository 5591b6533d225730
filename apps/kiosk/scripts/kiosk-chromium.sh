#!/usr/bin/env bash
# The kiosk (取号机) without Electron: the kiosk agent (printer, ID-card reader) as a Node process listening on
# 127.0.0.1, and Chromium in kiosk mode showing the queue server's kiosk page, which reaches the agent with a
# random key made for this run. When Chromium exits the agent is stopped (and when the agent dies Chromium is
# closed), so a supervisor (systemd, the desktop's autostart) that restarts this script restarts both.
#
#   YIMEN_SERVER_URL=http://192.168.1.10:8080 YIMEN_KIOSK_TOKEN=<device token> \
#   YIMEN_PRINTER=/dev/usb/lp0 YIMEN_PAPER=80 YIMEN_ID_READER=/dev/ttyUSB0 \
#     apps/kiosk/scripts/kiosk-chromium.sh
#
# or with the settings in a file (kiosk.json, as the Electron app reads; the environment wins over it):
#   YIMEN_KIOSK_CONFIG=/etc/yimen/kiosk.json apps/kiosk/scripts/kiosk-chromium.sh
#
# Needs the kiosk built (dist/agent/main.js). Optional: YIMEN_AGENT_PORT (default 17480), CHROMIUM (the browser
# binary), YIMEN_CHROMIUM_FLAGS (more flags, split on spaces), NODE (the node binary), YIMEN_AGENT_MAIN.
# Run it as the kiosk's desktop user, not root (Chromium refuses to run as root without --no-sandbox).
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
kiosk_dir=$(dirname -- "$here")

die() {
  printf 'kiosk-chromium: %s\n' "$*" >&2
  exit 1
}

# Percent-encodes one query-string value (RFC 3986 unreserved characters kept).
urlencode() {
  local LC_ALL=C
  local s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c" && out+=$c ;;
    esac
  done
  printf '%s' "$out"
}

node_bin=${NODE:-node}
agent_main=${YIMEN_AGENT_MAIN:-$kiosk_dir/dist/agent/main.js}
[[ -f $agent_main ]] || die "$agent_main not found: build the kiosk first (npx turbo run build --filter=@yimen/kiosk...)"

server_url=${YIMEN_SERVER_URL:-}
token=${YIMEN_KIOSK_TOKEN:-}
agent_args=()
if [[ -n ${YIMEN_KIOSK_CONFIG:-} ]]; then
  [[ -f $YIMEN_KIOSK_CONFIG ]] || die "YIMEN_KIOSK_CONFIG: no such file: $YIMEN_KIOSK_CONFIG"
  agent_args=(--config "$YIMEN_KIOSK_CONFIG")
  # The page's address needs the server and the token too: from the file, where the environment says nothing.
  from_file=$("$node_bin" -e 'const c = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
console.log(String(c.serverUrl ?? "")); console.log(String(c.deviceToken ?? ""));' "$YIMEN_KIOSK_CONFIG") ||
    die "YIMEN_KIOSK_CONFIG: cannot read $YIMEN_KIOSK_CONFIG as JSON"
  file_server='' file_token=''
  {
    IFS= read -r file_server || true
    IFS= read -r file_token || true
  } <<<"$from_file"
  server_url=${server_url:-$file_server}
  token=${token:-$file_token}
fi
[[ -n $server_url ]] || die 'YIMEN_SERVER_URL is not set (e.g. http://192.168.1.10:8080), nor serverUrl in YIMEN_KIOSK_CONFIG'
[[ -n $token ]] || die 'YIMEN_KIOSK_TOKEN is not set (the kiosk device token), nor deviceToken in YIMEN_KIOSK_CONFIG'
[[ $server_url =~ ^https?:// ]] || die "the server is not an http(s) address: $server_url"

port=${YIMEN_AGENT_PORT:-17480}
if ! [[ $port =~ ^[0-9]{1,5}$ ]] || ((10#$port < 1 || 10#$port > 65535)); then
  die "YIMEN_AGENT_PORT is not a port: $port"
fi

chromium=${CHROMIUM:-}
if [[ -z $chromium ]]; then
  for candidate in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
      chromium=$candidate
      break
    fi
  done
fi
[[ -n $chromium ]] || die 'no Chromium found: apt-get install chromium, or set CHROMIUM'

# A new key each run: only the page opened below knows it.
key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
[[ ${#key} -eq 64 ]] || die 'could not read /dev/urandom'

agent_pid=''
chromium_pid=''
profile=''

# shellcheck disable=SC2317 # run by the EXIT trap, which shellcheck does not follow
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $chromium_pid ]] && kill -0 "$chromium_pid" 2>/dev/null; then
    kill -TERM "$chromium_pid" 2>/dev/null || true
    wait "$chromium_pid" 2>/dev/null || true
  fi
  if [[ -n $agent_pid ]] && kill -0 "$agent_pid" 2>/dev/null; then
    kill -TERM "$agent_pid" 2>/dev/null || true
    # Up to 5 s for the agent to close the printer and the reader.
    for _ in {1..50}; do
      kill -0 "$agent_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$agent_pid" 2>/dev/null || true
    wait "$agent_pid" 2>/dev/null || true
  fi
  if [[ -n $profile ]]; then
    rm -rf -- "$profile"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The agent: YIMEN_SERVER_URL, YIMEN_KIOSK_TOKEN, YIMEN_PRINTER, YIMEN_PAPER, YIMEN_ID_READER come from this
# environment as they are (and the file, if any); the socket for the page is 127.0.0.1:<port> with the key.
YIMEN_AGENT_HOST=127.0.0.1 YIMEN_AGENT_PORT=$port YIMEN_AGENT_KEY=$key "$node_bin" "$agent_main" "${agent_args[@]}" &
agent_pid=$!

# Wait (up to 20 s) for the agent's socket; the page would retry anyway, but not show the printer meanwhile.
for _ in {1..200}; do
  kill -0 "$agent_pid" 2>/dev/null || die 'the kiosk agent exited at start (see its messages above)'
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
  sleep 0.1
done

# A fresh profile each run: no "restore pages?" bubble after a power cut, nothing cached from the last day.
profile=$(mktemp -d "${TMPDIR:-/tmp}/yimen-kiosk-chromium.XXXXXX")

url="${server_url%/}/kiosk?token=$(urlencode "$token")"
url+="&agent=$(urlencode "http://127.0.0.1:$port")&agentKey=$key"

extra_flags=()
if [[ -n ${YIMEN_CHROMIUM_FLAGS:-} ]]; then
  read -r -a extra_flags <<<"$YIMEN_CHROMIUM_FLAGS"
fi

"$chromium" \
  --kiosk \
  --noerrdialogs \
  --disable-pinch \
  --overscroll-history-navigation=0 \
  --autoplay-policy=no-user-gesture-required \
  --user-data-dir="$profile" \
  --no-first-run \
  --no-default-browser-check \
  --disable-session-crashed-bubble \
  --disable-features=Translate \
  --password-store=basic \
  "${extra_flags[@]}" \
  "$url" &
chromium_pid=$!

# Whichever exits first ends the run (cleanup stops the other).
status=0
wait -n "$agent_pid" "$chromium_pid" || status=$?
if ! kill -0 "$chromium_pid" 2>/dev/null; then
  chromium_pid=''
  printf 'kiosk-chromium: Chromium exited (%s): stopping the agent\n' "$status" >&2
else
  printf 'kiosk-chromium: the kiosk agent exited (%s): closing Chromium\n' "$status" >&2
  status=1
fi
exit "$status"
