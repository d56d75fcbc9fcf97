#!/bin/sh
# azd postdeploy hook: wire Event Grid to the blob trigger, then check the app answers.
# The BlobCreated subscription needs the host's blobs_extension key, which exists only after
# the code runs, so it is deployed here (infra-bicep/blob-events.bicep reads the key itself).
set -eu
: "${AZURE_RESOURCE_GROUP:?run azd provision first}"
: "${AZURE_FUNCTION_APP_NAME:?run azd provision first}"
: "${AZURE_EVENT_GRID_TOPIC_NAME:?run azd provision first}"
: "${AZURE_STORAGE_ACCOUNT_NAME:?run azd provision first}"
: "${AZURE_IDENTITY_NAME:?run azd provision first}"

echo "postdeploy: waiting for the blobs_extension system key"
tries=0
until [ -n "$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query systemKeys.blobs_extension -o tsv 2>/dev/null || true)" ]; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "postdeploy: the host never created its blobs_extension key; is the raw_upload function indexed? (az functionapp function list)" >&2
    exit 1
  fi
  sleep 10
done

echo "postdeploy: deploying the BlobCreated subscription on raw"
az deployment group create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --name "blob-events" \
  --template-file infra-bicep/blob-events.bicep \
  --parameters functionAppName="$AZURE_FUNCTION_APP_NAME" systemTopicName="$AZURE_EVENT_GRID_TOPIC_NAME" \
               storageAccountName="$AZURE_STORAGE_ACCOUNT_NAME" identityName="$AZURE_IDENTITY_NAME" \
  --output none

url="${AZURE_FUNCTION_APP_URL:-https://$AZURE_FUNCTION_APP_NAME.azurewebsites.net}"
echo "postdeploy: checking $url/health"
tries=0
until curl -fsS --max-time 10 "$url/health"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 12 ]; then
    echo "postdeploy: $url/health did not answer; read the logs (docs/operations.md)" >&2
    exit 1
  fi
  sleep 10
done
echo
echo "postdeploy: checking the deployment against the security baseline"
sh scripts/azd/verify.sh
# The smoke walk: sign-up, a PDF through the SAS URL, notes, media, read back, clean-up.
# STUDYAID_SKIP_SMOKE=1 skips it (e.g. before the AI and Speech quotas are granted).
if [ "${STUDYAID_SKIP_SMOKE:-0}" != "1" ]; then
  echo "postdeploy: smoke walk against $url"
  .venv/bin/studyaid verify --url "$url" --wait "${STUDYAID_SMOKE_WAIT:-900}"
fi
echo "postdeploy: done"
