// The Event Grid system topic on the storage account. Its BlobCreated subscription to the
// blob trigger's webhook is deployed after the code (../blob-events.bicep) because the webhook
// URL carries the host's blobs_extension key, which exists only once the app runs.
param name string
param location string
param tags object
param storageId string
@description('Identity the topic uses to write undeliverable events to the dead-letter container.')
param identityId string

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    source: storageId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output id string = topic.id
output name string = topic.name
