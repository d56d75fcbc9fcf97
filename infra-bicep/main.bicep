// The study-aid backend on Azure: one Flex Consumption function app and what it depends on.
// `azd up` deploys this (azure.yaml); the Event Grid subscription that feeds the blob trigger is
// deployed after the code by scripts/azd/postdeploy.sh (blob-events.bicep).
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Environment name (azd), e.g. dev or prod: names the resource group and seeds resource names.')
param environmentName string
@minLength(1)
param location string
@description('Operator (user or CI principal) who may set secrets and read blobs; empty for none.')
param operatorPrincipalId string = ''
param operatorPrincipalType string = 'User'

// Function app shape
param pythonVersion string = '3.11'
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 40
param httpAlwaysReady int = 0

// What the code reads (shared/settings.py); secrets come from Key Vault below.
@description('Allowed browser origins, comma-separated (e.g. https://app.example.com); empty allows none.')
param corsOrigins string = ''
@description('Public URL of the API; empty means https://<app>.azurewebsites.net.')
param publicBaseUrl string = ''
param logLevel string = 'INFO'
param streamPrefix string = ''
param postgresPoolMax int = 5
param sasTtlSeconds int = 900
param streamVisibilityTimeoutMs int = 120000
param streamMaxDeliveries int = 5
param drainBudgetSeconds int = 50
param drainConcurrency int = 2

// Services
param redisSku string = 'Balanced_B1'
@description('Redis access keys on: the app authenticates with the key in REDIS_URL (Key Vault). Off: Entra only.')
param redisAccessKeysEnabled bool = true
param emailDataLocation string = 'United States'
param openAiLocation string = location
param openAiModel string = 'gpt-4o-mini'
param openAiModelVersion string = '2024-07-18'
param openAiDeploymentName string = 'studyaid-chat'
param openAiCapacity int = 30

// Optional Container Apps workers (modules/workers-aca.bicep)
param deployWorkers bool = false
param workerImage string = ''
param workerRegistryServer string = ''
param workerMaxReplicas int = 10

// Secrets: written to Key Vault only when given (empty keeps what the vault holds).
@secure()
param postgresUrl string = ''
@secure()
param jwtSecret string = ''
@secure()
param tokenEncryptionKey string = ''
@secure()
param canvasClientSecret string = ''
@secure()
param googleClientSecret string = ''
@secure()
param microsoftClientSecret string = ''

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  app: 'studyaid'
}
var appName = 'func-studyaid-${token}'
var deploymentContainerName = 'app-package-${token}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-studyaid-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-studyaid-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-studyaid-${token}'
    appInsightsName: 'appi-studyaid-${token}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${token}'
    location: location
    tags: tags
    postgresUrl: postgresUrl
    jwtSecret: jwtSecret
    tokenEncryptionKey: tokenEncryptionKey
    canvasClientSecret: canvasClientSecret
    googleClientSecret: googleClientSecret
    microsoftClientSecret: microsoftClientSecret
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  scope: rg
  params: {
    name: 'amr-studyaid-${token}'
    location: location
    tags: tags
    skuName: redisSku
    accessKeysEnabled: redisAccessKeysEnabled
    principalId: identity.outputs.principalId
    keyVaultName: keyVault.outputs.name
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    communicationName: 'acs-studyaid-${token}'
    emailServiceName: 'ecs-studyaid-${token}'
    tags: tags
    dataLocation: emailDataLocation
  }
}

module speech 'modules/cognitive.bicep' = {
  name: 'speech'
  scope: rg
  params: {
    name: 'spch-studyaid-${token}'
    location: location
    tags: tags
    kind: 'SpeechServices'
  }
}

module openAi 'modules/cognitive.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: 'oai-studyaid-${token}'
    location: openAiLocation
    tags: tags
    kind: 'OpenAI'
    deployments: [
      {
        name: openAiDeploymentName
        model: openAiModel
        version: openAiModelVersion
        skuName: 'GlobalStandard'
        capacity: openAiCapacity
      }
    ]
  }
}

module eventGridTopic 'modules/eventgrid-topic.bicep' = {
  name: 'eventgrid-topic'
  scope: rg
  params: {
    name: 'evgt-studyaid-${token}'
    location: location
    tags: tags
    storageId: storage.outputs.id
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
    storageName: storage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.name
    openAiName: openAi.outputs.name
    speechName: speech.outputs.name
    communicationName: communication.outputs.name
  }
}

// Every setting shared/settings.py reads in production, by its environment name. Plain values
// here; secrets in secretSettings (Key Vault secret names). tests/unit/test_infra_settings.py
// fails when this drifts from the code in either direction.
var appSettings = [
  {
    name: 'APP_ENV'
    value: 'production'
  }
  {
    name: 'SERVICE_NAME'
    value: 'studyaid'
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
  {
    name: 'PUBLIC_BASE_URL'
    value: empty(publicBaseUrl) ? 'https://${appName}.azurewebsites.net' : publicBaseUrl
  }
  {
    name: 'CORS_ORIGINS'
    value: empty(corsOrigins) ? '[]' : string(split(corsOrigins, ','))
  }
  {
    name: 'POSTGRES_POOL_MAX'
    value: string(postgresPoolMax)
  }
  {
    name: 'STREAM_PREFIX'
    value: streamPrefix
  }
  {
    name: 'AZURE_STORAGE_ACCOUNT_URL'
    value: storage.outputs.blobEndpoint
  }
  {
    name: 'SAS_TTL_SECONDS'
    value: string(sasTtlSeconds)
  }
  {
    name: 'KEY_VAULT_URL'
    value: keyVault.outputs.uri
  }
  {
    name: 'STREAM_VISIBILITY_TIMEOUT_MS'
    value: string(streamVisibilityTimeoutMs)
  }
  {
    name: 'STREAM_MAX_DELIVERIES'
    value: string(streamMaxDeliveries)
  }
  {
    name: 'DRAIN_BUDGET_SECONDS'
    value: string(drainBudgetSeconds)
  }
  {
    name: 'DRAIN_CONCURRENCY'
    value: string(drainConcurrency)
  }
]

var secretSettings = [
  {
    name: 'POSTGRES_URL'
    secret: 'postgres-url'
  }
  {
    name: 'REDIS_URL'
    secret: 'redis-url'
  }
]

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  dependsOn: [
    rbac
  ]
  params: {
    planName: 'plan-studyaid-${token}'
    appName: appName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: keyVault.outputs.name
    pythonVersion: pythonVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpAlwaysReady: httpAlwaysReady
    appSettings: appSettings
    secretSettings: secretSettings
  }
}

module workers 'modules/workers-aca.bicep' = if (deployWorkers) {
  name: 'workers'
  scope: rg
  params: {
    namePrefix: 'ca-studyaid-${token}'
    location: location
    tags: tags
    logAnalyticsName: monitoring.outputs.workspaceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    image: workerImage
    registryServer: workerRegistryServer
    redisHost: redis.outputs.hostName
    keyVaultUri: keyVault.outputs.uri
    appSettings: appSettings
    secretSettings: secretSettings
    streamPrefix: streamPrefix
    maxReplicas: workerMaxReplicas
  }
}

// azd stores these in the environment; the post-deploy hook and the runbook use them.
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_REDIS_NAME string = redis.outputs.name
output AZURE_REDIS_HOST string = redis.outputs.hostName
output AZURE_EVENT_GRID_TOPIC_NAME string = eventGridTopic.outputs.name
output AZURE_LOG_ANALYTICS_NAME string = monitoring.outputs.workspaceName
output AZURE_APP_INSIGHTS_NAME string = monitoring.outputs.appInsightsName
