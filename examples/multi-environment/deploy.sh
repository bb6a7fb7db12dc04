#!/usr/bin/env bash
# The pipeline's one script: `./deploy.sh preview STACK` on pull requests; `./deploy.sh up STACK`, then
# `./deploy.sh notify STACK` (the stack's testers hear what was deployed, once per commit and run) on main.
#
# Needs the Pulumi CLI on PATH; a backend: PULUMI_ACCESS_TOKEN (Pulumi Cloud), or PULUMI_BACKEND_URL with
# PULUMI_CONFIG_PASSPHRASE (self-managed); and ONESIGNAL_ORGANIZATION_API_KEY. ONESIGNAL_API_URL points
# every stack at another API (the emulator in tests). PULUMI names the command to run as `pulumi` (default
# pulumi; `npx pulumi-onesignal pulumi` for a CLI without its Node.js language host). Everything else comes
# from Pulumi.<stack>.yaml.
set -euo pipefail
read -r -a pulumi <<<"${PULUMI:-pulumi}"

usage() {
  echo "usage: $0 preview|up|notify STACK" >&2
  exit 2
}
[ "$#" -eq 2 ] || usage
operation=$1
stack=$2
case "$operation" in preview | up | notify) ;; *) usage ;; esac
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

"${pulumi[@]}" stack select --create "$stack"
if [ "$operation" = preview ]; then
  "${pulumi[@]}" preview --stack "$stack" --diff
else
  "${pulumi[@]}" up --stack "$stack" --yes
fi
