// The container registry the stage image is pushed to. `azd deploy` builds the image remotely
// (ACR Tasks, azure.yaml `docker.remoteBuild`), so no Docker engine is needed where azd runs.
// The app's identity pulls (AcrPull); the operator who runs azd pushes (AcrPush).
param name string
param location string
param tags object
param principalId string
param operatorPrincipalId string = ''
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param operatorPrincipalType string = 'User'

var roles = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  acrPush: '8311e382-0749-4cb8-b61a-304f252e45ec'
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  // checkov:skip=CKV_AZURE_139: Public endpoint on purpose: ACR Tasks and Container Apps pull over it with Entra tokens; private endpoints need Premium and a VNet (docs/operations.md).
  // checkov:skip=CKV_AZURE_163: Vulnerability scanning is Defender for Containers, a subscription-level plan the operator turns on, not a registry property.
  // checkov:skip=CKV_AZURE_166: Quarantine needs Premium and an external scanner; images come only from our own remote build.
  // checkov:skip=CKV_AZURE_233: Zone redundancy needs Premium; a registry outage blocks new revisions only, running replicas keep their image.
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource appPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, principalId, roles.acrPull)
  scope: registry
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

resource operatorPush 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(registry.id, operatorPrincipalId, roles.acrPush)
  scope: registry
  properties: {
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPush)
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
