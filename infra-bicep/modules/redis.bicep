// Azure Managed Redis: the stream queues. TLS only (port 10000), no eviction (a stream is a
// queue, never a cache), AOF persistence, and an Entra access policy for the app's identity.
// The app reads REDIS_URL from Key Vault; this module writes that secret so no key is handled
// by hand. With access keys disabled the URL carries no password and the client must use Entra.
param name string
param location string
param tags object
param skuName string = 'Balanced_B1'
param accessKeysEnabled bool = true
param aofEnabled bool = true
param principalId string
param keyVaultName string

resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
    highAvailability: 'Enabled'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cluster
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    clusteringPolicy: 'EnterpriseCluster'
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: accessKeysEnabled ? 'Enabled' : 'Disabled'
    persistence: {
      aofEnabled: aofEnabled
      aofFrequency: '1s'
    }
  }
}

resource appAccess 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-07-01' = {
  parent: database
  name: guid(database.id, principalId, 'default')
  properties: {
    accessPolicyName: 'default'
    user: {
      objectId: principalId
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

var hostName = cluster.properties.hostName
// Only the taken branch of a conditional is evaluated, so listKeys runs only when keys are on.
var redisSecrets = accessKeysEnabled ? [
  {
    name: 'redis-url'
    value: 'rediss://:${database.listKeys().primaryKey}@${hostName}:10000/0'
    contentType: 'text/plain; Redis URL with access key (TLS, port 10000)'
  }
  {
    name: 'redis-password'
    value: database.listKeys().primaryKey
    contentType: 'text/plain; Redis access key (for the KEDA scaler of the stage apps)'
  }
] : [
  {
    name: 'redis-url'
    value: 'rediss://${hostName}:10000/0'
    contentType: 'text/plain; Redis URL without a key (Entra authentication)'
  }
]

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in redisSecrets: {
  // checkov:skip=CKV_AZURE_41: No fixed expiry: the value follows the Redis key and is rewritten by every deployment; rotation is in docs/operations.md.
  parent: vault
  name: secret.name
  properties: {
    value: secret.value
    contentType: secret.contentType
  }
}]

output id string = cluster.id
output name string = cluster.name
output hostName string = hostName
output port int = 10000
