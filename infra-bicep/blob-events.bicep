// The BlobCreated subscription on `raw` that feeds the Event Grid blob trigger (`raw_upload`).
// Deployed after the code (scripts/azd/postdeploy.sh) because the webhook URL carries the
// host's blobs_extension system key, which exists only once the app has started. The key is
// read here with listKeys, so it never passes through a shell or a parameter file.
targetScope = 'resourceGroup'

param functionAppName string
param systemTopicName string
param storageAccountName string
@description('The user-assigned identity the system topic carries; it writes dead letters.')
param identityName string
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

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
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
    // Events still undelivered after the retries are kept, not dropped (docs/operations.md).
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: identity.id
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: 'eventgrid-deadletter'
        }
      }
    }
  }
}

output subscriptionName string = rawCreated.name
