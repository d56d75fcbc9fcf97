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

// What the code reads (shared/settings.py) that differs per environment. Tunables with fixed
// values are in app-settings.json; secrets come from Key Vault below.
@description('Allowed browser origins, comma-separated (e.g. https://app.example.com); empty allows none.')
param corsOrigins string = ''
@description('Public URL of the API; empty means https://<app>.azurewebsites.net.')
param publicBaseUrl string = ''
@description('The React app\'s URL: the Canvas and sign-in callbacks send the browser back there; empty means the first CORS origin.')
param appUrl string = ''
@description('Where the browser lands after an OAuth sign-in: a path on appUrl, or an absolute URL.')
param oauthSuccessRedirect string = '/'
@allowed([
  'DEBUG'
  'INFO'
  'WARNING'
  'ERROR'
  'CRITICAL'
])
param logLevel string = 'INFO'
param streamPrefix string = ''
@description('The school\'s Canvas, e.g. https://school.instructure.com (https only).')
param canvasBaseUrl string = ''
param canvasClientId string = ''
@description('Extra origins Canvas file downloads may redirect to, comma-separated (https only).')
param canvasFileHosts string = ''
@description('Key id (in TOKEN_ENCRYPTION_KEYS) that encrypts new Canvas tokens; older ids still decrypt.')
param tokenEncryptionActiveKey string = 'k1'
param googleClientId string = ''
param microsoftClientId string = ''
param microsoftAuthority string = 'https://login.microsoftonline.com/organizations'

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

// The heavy stages on Azure Container Apps (modules/workers-aca.bicep): ingest needs LibreOffice
// and Tesseract, media needs ffmpeg, which Flex Consumption does not have; AI is there to scale
// past one timer drain. Their timer drains in the function app are switched off.
@description('Run workerStreams on Container Apps from the stage image (azure.yaml services ingest, ai, media). Off leaves every stream on the timer drains of the function app, without the native tools.')
param deployWorkers bool = true
param workerStreams array = [
  'ingest.request'
  'ai.request'
  'media.request'
]
@description('Stage images; azd sets SERVICE_<NAME>_IMAGE_NAME after it builds them. Empty runs a placeholder until the first deploy.')
param ingestImage string = ''
param aiImage string = ''
param mediaImage string = ''
@description('Replica floor and ceiling per stream (docs/operations.md, capacity model).')
param workerScale object = {
  'ingest.request': {
    min: 0
    max: 30
  }
  'ai.request': {
    min: 0
    max: 40
  }
  'media.request': {
    min: 0
    max: 60
  }
}

// Secrets: written to Key Vault only when given (empty keeps what the vault holds).
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
    corsOrigins: empty(corsOrigins) ? [] : split(corsOrigins, ',')
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
    tokenEncryptionKeys: tokenEncryptionKeys
    canvasClientSecret: canvasClientSecret
    googleClientSecret: googleClientSecret
    microsoftClientSecret: microsoftClientSecret
    opsApiKey: opsApiKey
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
    identityId: identity.outputs.id
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

// Every setting shared/settings.py reads in production, by its environment name:
// wiredSettings (per environment, from parameters and the resources above) + app-settings.json
// (tunables) + secretSettings (Key Vault secret names). tests/unit/test_infra_settings.py fails
// when these drift from the code in either direction.
var baseUrl = empty(publicBaseUrl) ? 'https://${appName}.azurewebsites.net' : publicBaseUrl
var wiredSettings = [
  {
    name: 'APP_ENV'
    value: 'production'
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
  {
    name: 'PUBLIC_BASE_URL'
    value: baseUrl
  }
  {
    name: 'CORS_ORIGINS'
    value: empty(corsOrigins) ? '[]' : string(split(corsOrigins, ','))
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
    name: 'KEY_VAULT_URL'
    value: keyVault.outputs.uri
  }
  {
    name: 'SESSION_COOKIE_SECURE'
    value: 'true'
  }
  {
    name: 'OAUTH_REDIRECT_BASE'
    value: baseUrl
  }
  {
    name: 'OAUTH_SUCCESS_REDIRECT'
    value: oauthSuccessRedirect
  }
  {
    name: 'APP_URL'
    value: !empty(appUrl) ? appUrl : (empty(corsOrigins) ? baseUrl : first(split(corsOrigins, ',')))
  }
  {
    name: 'GOOGLE_CLIENT_ID'
    value: googleClientId
  }
  {
    name: 'MICROSOFT_CLIENT_ID'
    value: microsoftClientId
  }
  {
    name: 'MICROSOFT_AUTHORITY'
    value: microsoftAuthority
  }
  {
    name: 'CANVAS_BASE_URL'
    value: canvasBaseUrl
  }
  {
    name: 'CANVAS_CLIENT_ID'
    value: canvasClientId
  }
  {
    name: 'CANVAS_REDIRECT_URI'
    value: '${baseUrl}/v1/canvas/callback'
  }
  {
    name: 'CANVAS_FILE_HOSTS'
    value: empty(canvasFileHosts) ? '[]' : string(split(canvasFileHosts, ','))
  }
  {
    name: 'TOKEN_ENCRYPTION_ACTIVE_KEY'
    value: tokenEncryptionActiveKey
  }
  {
    name: 'AI_PROVIDER'
    value: 'openai'
  }
  {
    name: 'AZURE_OPENAI_ENDPOINT'
    value: openAi.outputs.endpoint
  }
  {
    name: 'AZURE_OPENAI_DEPLOYMENT'
    value: openAiDeploymentName
  }
  {
    name: 'AI_MODEL'
    value: openAiModel
  }
  {
    name: 'TTS_PROVIDER'
    value: 'azure'
  }
  {
    name: 'AZURE_SPEECH_REGION'
    value: location
  }
  {
    name: 'AZURE_SPEECH_RESOURCE_ID'
    value: speech.outputs.id
  }
  {
    name: 'EMAIL_PROVIDER'
    value: 'acs'
  }
  {
    name: 'ACS_ENDPOINT'
    value: communication.outputs.endpoint
  }
  {
    name: 'EMAIL_FROM'
    value: 'Study Aid <${communication.outputs.senderAddress}>'
  }
]
var tunedSettings = loadJsonContent('app-settings.json', '$.settings')
var appSettings = concat(wiredSettings, tunedSettings)

var secretSettings = [
  {
    name: 'POSTGRES_URL'
    secret: 'postgres-url'
  }
  {
    name: 'REDIS_URL'
    secret: 'redis-url'
  }
  {
    name: 'JWT_SECRET'
    secret: 'jwt-secret'
  }
  {
    name: 'TOKEN_ENCRYPTION_KEYS'
    secret: 'token-encryption-keys'
  }
  {
    name: 'CANVAS_CLIENT_SECRET'
    secret: 'canvas-client-secret'
  }
  {
    name: 'GOOGLE_CLIENT_SECRET'
    secret: 'google-client-secret'
  }
  {
    name: 'MICROSOFT_CLIENT_SECRET'
    secret: 'microsoft-client-secret'
  }
  {
    name: 'OPS_API_KEY'
    secret: 'ops-api-key'
  }
]

// A stream's timer drain is `drain_<first word of the stream>` (functions/drains.py).
var drainsMovedToWorkers = [for stream in workerStreams: 'drain_${split(stream, '.')[0]}']

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
    logLevel: logLevel
    appSettings: appSettings
    secretSettings: secretSettings
    disabledFunctions: deployWorkers ? drainsMovedToWorkers : []
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    name: 'cr${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
}

module workers 'modules/workers-aca.bicep' = if (deployWorkers) {
  name: 'workers'
  scope: rg
  params: {
    namePrefix: 'ca-${token}'
    location: location
    tags: tags
    logAnalyticsName: monitoring.outputs.workspaceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    appInsightsConnectionString: monitoring.outputs.connectionString
    registryServer: registry.outputs.loginServer
    images: {
      'ingest.request': ingestImage
      'ai.request': aiImage
      'media.request': mediaImage
    }
    redisHost: redis.outputs.hostName
    keyVaultUri: keyVault.outputs.uri
    appSettings: appSettings
    secretSettings: secretSettings
    streamPrefix: streamPrefix
    streams: workerStreams
    scale: workerScale
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
output AZURE_IDENTITY_NAME string = identity.outputs.name
output AZURE_LOG_ANALYTICS_NAME string = monitoring.outputs.workspaceName
output AZURE_APP_INSIGHTS_NAME string = monitoring.outputs.appInsightsName
// azd pushes the stage image here (azure.yaml services ingest, ai, media).
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
