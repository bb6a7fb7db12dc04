#!/usr/bin/env bash
# The pipeline's one step: `./deploy.sh preview STACK` on pull requests, `./deploy.sh up STACK` on main.
#
# Needs the Pulumi CLI on PATH; a backend: PULUMI_ACCESS_TOKEN (Pulumi Cloud), or PULUMI_BACKEND_URL with
# PULUMI_CONFIG_PASSPHRASE (self-managed); and ONESIGNAL_ORGANIZATION_API_KEY. ONESIGNAL_API_URL points
# every stack at another API (the emulator in tests). PULUMI names the command to run as `pulumi` (default
# pulumi; `npx pulumi-onesignal pulumi` for a CLI without its Node.js language host). Everything else comes
# from Pulumi.<stack>.yaml.
set -euo pipefail
read -r -a pulumi <<<"${PULUMI:-pulumi}"

usage() {
  echo "usage: $0 preview|up STACK" >&2
  exit 2
}
[ "$#" -eq 2 ] || usage
operation=$1
stack=$2
case "$operation" in preview | up) ;; *) usage ;; esac
: "${ONESIGNAL_ORGANIZATION_API_KEY:?set ONESIGNAL_ORGANIZATION_API_KEY (a secret of the pipeline)}"

cd "$(dirname "$0")"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

"${pulumi[@]}" stack select --create "$stack"
if [ "$operation" = preview ]; then
  "${pulumi[@]}" preview --stack "$stack" --diff
else
  "${pulumi[@]}" up --stack "$stack" --yes
fi
