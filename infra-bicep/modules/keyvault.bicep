// Key Vault in RBAC mode holding the app's secrets. A secret is written only when a value is
// given, so a redeploy with empty parameters never blanks a secret an operator set or rotated.
param name string
param location string
param tags object
@secure()
param postgresUrl string = ''
@secure()
param jwtSecret string = ''
@secure()
param tokenEncryptionKeys string = ''
@secure()
param canvasClientSecret string = ''
@secure()
param googleClientSecret string = ''
@secure()
param microsoftClientSecret string = ''
@secure()
param opsApiKey string = ''

// Secret names are what the function app's Key Vault references point at (function-app.bicep).
var secretList = [
  {
    name: 'postgres-url'
    value: postgresUrl
    contentType: 'text/plain; Postgres connection string (Neon pooled endpoint, sslmode=verify-full)'
  }
  {
    name: 'jwt-secret'
    value: jwtSecret
    contentType: 'text/plain; HMAC key for mobile JWTs'
  }
  {
    name: 'token-encryption-keys'
    value: tokenEncryptionKeys
    contentType: 'text/plain; AES-GCM keys for stored Canvas tokens (id:base64key,...)'
  }
  {
    name: 'canvas-client-secret'
    value: canvasClientSecret
    contentType: 'text/plain; Canvas developer key secret'
  }
  {
    name: 'google-client-secret'
    value: googleClientSecret
    contentType: 'text/plain; Google OIDC client secret'
  }
  {
    name: 'microsoft-client-secret'
    value: microsoftClientSecret
    contentType: 'text/plain; Microsoft Entra app client secret'
  }
  {
    name: 'ops-api-key'
    value: opsApiKey
    contentType: 'text/plain; operator API key for the logs endpoints'
  }
]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  // checkov:skip=CKV_AZURE_109: Flex Consumption without VNet integration resolves Key Vault references over the public endpoint; access is RBAC-only for one identity.
  // checkov:skip=CKV_AZURE_189: Same reason as CKV_AZURE_109: public network access is needed without VNet integration and private endpoints.
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in secretList: if (!empty(secret.value)) {
  // checkov:skip=CKV_AZURE_41: No fixed expiry: an expired secret makes every Key Vault reference fail and takes the app down; rotation is an operator task with its own runbook (docs/operations.md).
  parent: vault
  name: secret.name
  properties: {
    value: secret.value
    contentType: secret.contentType
  }
}]

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
