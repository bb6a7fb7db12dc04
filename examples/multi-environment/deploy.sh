#!/usr/bin/env bash
# The pipeline's one script: `./deploy.sh preview STACK` on pull requests; `./deploy.sh up STACK`, then
# `./deploy.sh notify STACK` (the stack's testers hear what was deployed, once per commit and run) on main;
# `./deploy.sh drift STACK` on a schedule (fails, naming what changed, when OneSignal no longer matches the stack).
#
# Needs the Pulumi CLI on PATH; a backend: PULUMI_ACCESS_TOKEN (Pulumi Cloud), or PULUMI_BACKEND_URL with
# PULUMI_CONFIG_PASSPHRASE (self-managed: for PostgreSQL, postgres://USER@HOST:5432/DB with the password in
# PGPASSWORD, never in the URL, which the CLI prints and stores); and ONESIGNAL_ORGANIZATION_API_KEY.
# ONESIGNAL_API_URL points every stack at another API (the emulator in tests). PULUMI names the command to run
# as `pulumi` (default pulumi; `npx pulumi-onesignal pulumi` for a CLI without its Node.js language host).
# Everything else comes from Pulumi.<stack>.yaml.
#
# A self-managed backend refuses a second update of a stack at once ("the stack is currently locked"): `up`
# then waits and tries again, DEPLOY_LOCK_WAIT seconds at most (default 900). It clears a lock with
# `pulumi cancel` only when the lock's holder is known to be gone: a process of this machine that no longer
# runs, or a lock older than DEPLOY_STALE_LOCK_AFTER seconds (default 3600; keep it above the jobs'
# timeout-minutes, after which no job of the pipeline can still hold it). The first trusts that no other machine
# has this one's name: where runners share one (containers with a fixed hostname), set DEPLOY_UNIQUE_HOSTNAME=no
# and only a lock's age counts.
set -euo pipefail
read -r -a pulumi <<<"${PULUMI:-pulumi}"

usage() {
  echo "usage: $0 preview|up|notify|drift STACK" >&2
  exit 2
}
[ "$#" -eq 2 ] || usage
operation=$1
stack=$2
case "$operation" in preview | up | notify | drift) ;; *) usage ;; esac
: "${ONESIGNAL_ORGANIZATION_API_KEY:?set ONESIGNAL_ORGANIZATION_API_KEY (a secret of the pipeline)}"

cd "$(dirname "$0")"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

if [ "$operation" = notify ]; then
  # The key derives from the commit and the workflow run, not the attempt: a re-run of the job sends nothing twice.
  ONESIGNAL_APP_ID=$("${pulumi[@]}" stack output appId --stack "$stack")
  ONESIGNAL_APP_API_KEY=$("${pulumi[@]}" stack output deployApiKey --show-secrets --stack "$stack")
  export ONESIGNAL_APP_ID ONESIGNAL_APP_API_KEY
  exec npx pulumi-onesignal notify --segment Testers --message "Deployed to $stack: ${GITHUB_SHA:-a local build}" \
    --idempotency-key-from "deploy-$stack-${GITHUB_SHA:-local}-${GITHUB_RUN_ID:-local}" --allow-no-recipients
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Whether process $1 of this machine has ended (a zombie has: it only waits for its parent to reap it). Only these
# answers count; a process that cannot be signalled (another user's) is taken as alive.
gone() {
  [[ "$(kill -0 "$1" 2>&1)" == *"No such process"* ]] || [[ "$(ps -o stat= -p "$1" 2>/dev/null)" == Z* ]]
}

# Whether every lock that the failed run's output names is abandoned. The backend lists each as
# "  URL: created by USER@HOST (pid PID) at TIME". `pulumi cancel` removes every lock of the stack, so all must be.
stale_locks() {
  local host pid taken age found=no
  while read -r host pid taken; do
    found=yes
    if [ "${DEPLOY_UNIQUE_HOSTNAME:-yes}" = yes ] && [ "$host" = "$(uname -n)" ] && gone "$pid"; then
      echo "deploy.sh: the lock of pid $pid on this machine ($taken) outlived its process" >&2
      continue
    fi
    age=$(node -e 'process.stdout.write(String(Math.floor((Date.now() - Date.parse(process.argv[1])) / 1000)))' "$taken")
    if [[ "$age" =~ ^[0-9]+$ ]] && [ "$age" -gt "${DEPLOY_STALE_LOCK_AFTER:-3600}" ]; then
      echo "deploy.sh: the lock of pid $pid on $host is ${age}s old (DEPLOY_STALE_LOCK_AFTER=${DEPLOY_STALE_LOCK_AFTER:-3600})" >&2
      continue
    fi
    echo "deploy.sh: the lock of pid $pid on $host ($taken) may still be held" >&2
    return 1
  done < <(sed -n 's/.*: created by .*@\([^@ ]*\) (pid \([0-9]*\)) at \([^ ]*\)$/\1 \2 \3/p' "$log")
  [ "$found" = yes ]
}

# `pulumi up`, after `pulumi-onesignal recover` has settled what a killed run's creates left (it adopts what they
# made, so that nothing is made twice; a no-op when no run was killed); while another update holds the stack, waits
# (a pause that doubles, with a random part so that two pipelines that met at the lock do not meet again) and tries
# again.
up_when_unlocked() {
  local pause=5 sleep_for deadline=$((SECONDS + ${DEPLOY_LOCK_WAIT:-900}))
  until { npx pulumi-onesignal recover --stack "$stack" && "${pulumi[@]}" up --stack "$stack" --yes; } 2>&1 | tee "$log"; do
    grep -q 'the stack is currently locked by' "$log" || return 1
    if stale_locks; then
      echo "deploy.sh: clearing the abandoned lock of $stack (pulumi cancel)" >&2
      "${pulumi[@]}" cancel --stack "$stack" --yes
      continue
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "deploy.sh: $stack is still locked after ${DEPLOY_LOCK_WAIT:-900}s (DEPLOY_LOCK_WAIT); see README.md, 'A stuck lock'" >&2
      return 1
    fi
    sleep_for=$((pause + RANDOM % pause))
    echo "deploy.sh: another update holds $stack; trying again in ${sleep_for}s" >&2
    sleep "$sleep_for"
    pause=$((pause < 30 ? pause * 2 : 60))
  done
}

# A refreshing preview: reads every resource back from OneSignal, then fails if the program would change any
# (the diff names the resource and property). It writes nothing, to OneSignal or to the state, and takes no lock.
drift() {
  "${pulumi[@]}" preview --stack "$stack" --refresh --expect-no-changes --diff 2>&1 | tee "$log" && return 0
  if grep -q 'no changes were expected' "$log"; then
    echo "deploy.sh: $stack has drifted from its program (what changed is above): \`pulumi up --refresh --stack $stack\`" \
      "puts OneSignal back as the program declares it; to keep a change, make it in the program or Pulumi.$stack.yaml too" >&2
  fi
  return 1
}

case "$operation" in
  preview)
    "${pulumi[@]}" stack select --create "$stack"
    "${pulumi[@]}" preview --stack "$stack" --diff
    ;;
  up)
    # Another runner may make the stack at the same moment: then it is there to select.
    "${pulumi[@]}" stack select --create "$stack" || "${pulumi[@]}" stack select "$stack"
    up_when_unlocked
    ;;
  drift)
    "${pulumi[@]}" stack select "$stack"
    drift
    ;;
esac
