// The BlobCreated subscription on `raw` that feeds the Event Grid blob trigger (`raw_upload`).
// Deployed after the code (scripts/azd/postdeploy.sh) because the webhook URL carries the
// host's blobs_extension system key, which exists only once the app has started. The key is
// read here with listKeys, so it never passes through a shell or a parameter file.
targetScope = 'resourceGroup'

param functionAppName string
param systemTopicName string
@description('The blob trigger function, as registered in functions/blobs.py.')
param functionName string = 'raw_upload'
param containerName string = 'raw'
param maxDeliveryAttempts int = 30
param eventTimeToLiveInMinutes int = 1440

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' existing = {
  name: systemTopicName
}

var blobsExtensionKey = listKeys('${site.id}/host/default', '2024-04-01').systemKeys.blobs_extension
var webhook = 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'

resource rawCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: topic
  name: '${containerName}-blob-created'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: webhook
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/'
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
  }
}

output subscriptionName string = rawCreated.name
