#!/bin/sh
# azd preprovision hook: make sure the generated secrets exist in the azd environment before
# the first provision, so Key Vault gets them. Values already set (or rotated) are kept.
# Secrets from outside (POSTGRES_URL, CANVAS/GOOGLE/MICROSOFT_CLIENT_SECRET) are set by the
# operator with `azd env set` (docs/operations.md); an unset one leaves the vault's value alone.
set -eu

ensure_generated() {
  name="$1"
  if [ -z "$(azd env get-value "$name" 2>/dev/null || true)" ]; then
    echo "preprovision: generating $name"
    azd env set "$name" "$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"
  fi
}

ensure_generated JWT_SECRET
ensure_generated TOKEN_ENCRYPTION_KEY

for name in POSTGRES_URL CANVAS_CLIENT_SECRET GOOGLE_CLIENT_SECRET MICROSOFT_CLIENT_SECRET; do
  if [ -z "$(azd env get-value "$name" 2>/dev/null || true)" ]; then
    echo "preprovision: $name is not set in the azd environment; Key Vault keeps its current value (set it with: azd env set $name ...)"
  fi
done
