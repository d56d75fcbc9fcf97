// One Azure AI services account (Speech or Azure OpenAI) with Entra-only access and, for
// OpenAI, its model deployments. A custom subdomain is required for Entra token auth.
param name string
param location string
param tags object
@allowed([
  'OpenAI'
  'SpeechServices'
])
param kind string
param deployments array = []

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  // checkov:skip=CKV_AZURE_134: The Flex app has no VNet integration, so the account is reached over its public endpoint; local (key) auth is disabled and access is RBAC-only.
  name: name
  location: location
  tags: tags
  kind: kind
  sku: {
    name: 'S0'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
    }
  }
}

@batchSize(1)
resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = [for item in deployments: {
  parent: account
  name: item.name
  sku: {
    name: item.skuName
    capacity: item.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: item.model
      version: item.version
    }
  }
}]

output id string = account.id
output name string = account.name
output endpoint string = account.properties.endpoint
