// The storage account: the Flex deployment package, the host's state, and the app's blobs.
// Shared keys are off: every client (host, app, Event Grid delivery) uses Entra ID.
param name string
param location string
param tags object
param deploymentContainerName string
@description('Origins of the React app (the API\'s CORS_ORIGINS): browsers PUT uploads to SAS URLs and fetch signed results.')
param corsOrigins array = []

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_35: Flex Consumption without VNet integration reaches storage over its public endpoint; access is Entra-only (shared keys off) and RBAC-scoped.
  // checkov:skip=CKV_AZURE_59: Same reason as CKV_AZURE_35: public network access is needed without VNet integration; anonymous blob access is off (allowBlobPublicAccess false).
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    // Geo-zone-redundant: the raw uploads and generated media are the users' data.
    name: 'Standard_GZRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
        }
        file: {
          enabled: true
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    // The same rules `make dev` sets on Azurite (devtools/devhost/blob_cors.py).
    cors: {
      corsRules: empty(corsOrigins) ? [] : [
        {
          allowedOrigins: corsOrigins
          allowedMethods: [ 'GET', 'HEAD', 'PUT', 'OPTIONS' ]
          allowedHeaders: [ 'content-type', 'x-ms-blob-type', 'x-ms-version', 'x-ms-date', 'x-ms-client-request-id', 'range', 'x-ms-meta-request_id' ]
          exposedHeaders: [ 'etag', 'content-length', 'content-range', 'content-type', 'x-ms-request-id' ]
          maxAgeInSeconds: 3600
        }
      ]
    }
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource rawContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'raw'
  properties: {
    publicAccess: 'None'
  }
}

resource derivedContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'derived'
  properties: {
    publicAccess: 'None'
  }
}

resource mediaContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'media'
  properties: {
    publicAccess: 'None'
  }
}

// Event Grid writes BlobCreated events it could not deliver here (blob-events.bicep).
resource eventDeadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'eventgrid-deadletter'
  properties: {
    publicAccess: 'None'
  }
}

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
