#!/bin/sh
# azd preprovision hook: make sure the generated secrets exist in the azd environment before
# the first provision, so Key Vault gets them. Values already set (or rotated) are kept.
# Secrets from outside (POSTGRES_URL, CANVAS/GOOGLE/MICROSOFT_CLIENT_SECRET) are set by the
# operator with `azd env set` (docs/operations.md); an unset one leaves the vault's value alone.
set -eu

random_key() {
  python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())'
}

# ensure_generated NAME PREFIX: set NAME to PREFIX + 32 random bytes (base64) unless it has a value.
ensure_generated() {
  if [ -z "$(azd env get-value "$1" 2>/dev/null || true)" ]; then
    echo "preprovision: generating $1"
    azd env set "$1" "$2$(random_key)"
  fi
}

ensure_generated JWT_SECRET ""
ensure_generated OPS_API_KEY ""
# Canvas token keys are `id:base64key,...`; TOKEN_ENCRYPTION_ACTIVE_KEY (default k1) picks one.
ensure_generated TOKEN_ENCRYPTION_KEYS "k1:"

for name in POSTGRES_URL CANVAS_CLIENT_SECRET GOOGLE_CLIENT_SECRET MICROSOFT_CLIENT_SECRET; do
  if [ -z "$(azd env get-value "$name" 2>/dev/null || true)" ]; then
    echo "preprovision: $name is not set in the azd environment; Key Vault keeps its current value (set it with: azd env set $name ...)"
  fi
done
