#!/bin/sh
# The deployed app against the security baseline (run by postdeploy.sh, or by hand with the azd
# environment loaded: `azd env get-values > .env.azd && set -a && . ./.env.azd && sh scripts/azd/verify.sh`).
# Prints one line per check and exits non-zero on any deviation.
set -eu
: "${AZURE_RESOURCE_GROUP:?}" "${AZURE_FUNCTION_APP_NAME:?}" "${AZURE_STORAGE_ACCOUNT_NAME:?}" "${AZURE_REDIS_NAME:?}"
rg="$AZURE_RESOURCE_GROUP"
app="$AZURE_FUNCTION_APP_NAME"
deviations=0

check() {
  if [ "$2" = "$3" ]; then
    echo "ok    $1"
  else
    echo "FAIL  $1: got '$2', want '$3'"
    deviations=$((deviations + 1))
  fi
}

site() { az functionapp show -g "$rg" -n "$app" --query "$1" -o tsv; }
config() { az functionapp config show -g "$rg" -n "$app" --query "$1" -o tsv; }
storage() { az storage account show -g "$rg" -n "$AZURE_STORAGE_ACCOUNT_NAME" --query "$1" -o tsv; }

check "function app: HTTPS only" "$(site httpsOnly)" "true"
check "function app: managed identity" "$(site identity.type)" "UserAssigned"
check "function app: minimum TLS" "$(config minTlsVersion)" "1.2"
check "function app: SCM minimum TLS" "$(config scmMinTlsVersion)" "1.2"
check "function app: FTP off" "$(config ftpsState)" "Disabled"
check "function app: remote debugging off" "$(config remoteDebuggingEnabled)" "false"
origins="$(az functionapp cors show -g "$rg" -n "$app" --query allowedOrigins -o tsv 2>/dev/null || true)"
check "function app: no CORS wildcard" "$(printf '%s\n' "$origins" | tr '\t' '\n' | grep -cx '[*]' || true)" "0"
raw_secrets="$(az functionapp config appsettings list -g "$rg" -n "$app" \
  --query "[?contains(value || '', 'AccountKey=') || contains(value || '', 'assword=') || contains(value || '', 'SharedAccessSignature=') || contains(value || '', 'rediss://:')].name" -o tsv)"
check "function app: no raw secret in app settings" "$raw_secrets" ""
site_id="$(site id)"
unresolved="$(az rest --method get --url "https://management.azure.com${site_id}/config/configreferences/appsettings?api-version=2024-04-01" \
  --query "value[?properties.status != 'Resolved'].name" -o tsv)"
check "function app: every Key Vault reference resolved" "$unresolved" ""
check "storage: shared keys off" "$(storage allowSharedKeyAccess)" "false"
check "storage: no anonymous blob access" "$(storage allowBlobPublicAccess)" "false"
check "storage: minimum TLS" "$(storage minimumTlsVersion)" "TLS1_2"
check "redis: TLS clients only" "$(az redisenterprise database show -g "$rg" --cluster-name "$AZURE_REDIS_NAME" --query clientProtocol -o tsv)" "Encrypted"
check "redis: minimum TLS" "$(az redisenterprise show -g "$rg" -n "$AZURE_REDIS_NAME" --query minimumTlsVersion -o tsv)" "1.2"

echo "$deviations deviation(s)"
[ "$deviations" -eq 0 ]
