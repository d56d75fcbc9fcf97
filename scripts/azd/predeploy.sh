#!/bin/sh
# azd predeploy hook: apply forward-only database migrations before new code starts, reading
# the connection string from Key Vault (the operator needs Key Vault Secrets Officer/User).
set -eu
: "${AZURE_KEY_VAULT_NAME:?run azd provision first}"

url="$(az keyvault secret show --vault-name "$AZURE_KEY_VAULT_NAME" --name postgres-url --query value -o tsv 2>/dev/null || true)"
if [ -z "$url" ]; then
  echo "predeploy: Key Vault has no postgres-url yet; set it (azd env set POSTGRES_URL ...; azd provision) and deploy again" >&2
  exit 1
fi
if [ ! -x .venv/bin/studyaid ]; then
  bash scripts/bootstrap.sh
fi
echo "predeploy: applying migrations"
# Only the connection string matters here; production-only checks of other settings would
# refuse this partial environment, so the migrator runs with the default APP_ENV.
env -u APP_ENV POSTGRES_URL="$url" .venv/bin/studyaid migrate
