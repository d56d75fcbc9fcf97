// The Flex Consumption plan and the Linux function app. Runtime, memory, scale and the
// deployment container live in functionAppConfig (Flex ignores FUNCTIONS_WORKER_RUNTIME and
// WEBSITE_RUN_FROM_PACKAGE). App settings = the host's platform settings below + what the code
// reads (built in main.bicep); tests/unit/test_infra_settings.py holds them to shared/settings.py.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string
param keyVaultName string
param pythonVersion string = '3.11'
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40
param httpAlwaysReady int = 0
@description('LOG_LEVEL (Python names); the host\'s own filter for function logs follows it.')
param logLevel string = 'INFO'
@description('What the code reads, as {name, value}: built in main.bicep, shared with the stage apps on Container Apps.')
param appSettings array
@description('Secrets the code reads, as {name, secret}: each becomes a Key Vault reference.')
param secretSettings array
@description('Functions switched off here, e.g. drains whose streams the Container Apps workers consume.')
param disabledFunctions array = []

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  // checkov:skip=CKV_AZURE_225: Zone redundancy on Flex Consumption is offered only in some regions; turn it on per region when available (docs/operations.md).
  properties: {
    reserved: true
  }
}

// Platform settings the Functions host reads: its storage and telemetry, by identity (no keys).
// AZURE_CLIENT_ID tells DefaultAzureCredential in the app which identity to use.
// The host drops function logs below host.json's level; this override makes LOG_LEVEL=DEBUG reach
// the worker's records too (Python level names → the host's).
var hostLogLevels = {
  DEBUG: 'Debug'
  INFO: 'Information'
  WARNING: 'Warning'
  ERROR: 'Error'
  CRITICAL: 'Critical'
}
var platformSettings = [
  {
    name: 'AzureFunctionsJobHost__logging__logLevel__Function'
    value: hostLogLevels[toUpper(logLevel)]
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  {
    name: 'AzureWebJobsStorage__blobServiceUri'
    value: blobEndpoint
  }
  {
    name: 'AzureWebJobsStorage__queueServiceUri'
    value: queueEndpoint
  }
  {
    name: 'AzureWebJobsStorage__tableServiceUri'
    value: tableEndpoint
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
  }
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'ClientId=${identityClientId};Authorization=AAD'
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
]

// A Key Vault reference without a version follows the latest secret version (see rotation runbook).
var keyVaultSettings = [for setting in secretSettings: {
  name: setting.name
  value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${setting.secret})'
}]

// The platform's switch for one function: AzureWebJobs.<name>.Disabled = true.
var disabledSettings = [for name in disabledFunctions: {
  name: 'AzureWebJobs.${name}.Disabled'
  value: 'true'
}]

resource site 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_17: Client certificates: the API serves a browser app with cookie sessions and mobile JWTs; mutual TLS would lock both out.
  // checkov:skip=CKV_AZURE_16: The check wants a system-assigned identity; the app runs as a user-assigned identity (created first, so its role assignments exist before the app starts).
  // checkov:skip=CKV_AZURE_222: The API is public by design (a React app and mobile clients call it from the internet).
  // checkov:skip=CKV_AZURE_212: Flex Consumption scales from zero by design; warm instances are set with httpAlwaysReady, and instance failure is handled by the platform.
  name: appName
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      remoteDebuggingEnabled: false
      healthCheckPath: '/health'
      // No platform CORS: it would override the app's own allow-list (CORS_ORIGINS, shared/platform/cors.py).
      appSettings: concat(platformSettings, appSettings, keyVaultSettings, disabledSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: httpAlwaysReady > 0 ? [
          {
            name: 'http'
            instanceCount: httpAlwaysReady
          }
        ] : []
      }
      runtime: {
        name: 'python'
        version: pythonVersion
      }
    }
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
