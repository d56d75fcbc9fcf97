// The heavy stages as Azure Container Apps: the image (infra-bicep/workers/Dockerfile) has
// LibreOffice, Tesseract, ffmpeg and espeak-ng, which Flex Consumption lacks. Each stream gets
// one app running `studyaid worker` (the stream in WORKER_STREAM) in the code's consumer group,
// scaled by KEDA's Redis Streams scaler between a floor and a ceiling: on the group's lag
// (entries not yet delivered) to add replicas, and on its pending entries (delivered, not yet
// acknowledged) so a replica mid-way through a long job is not scaled in under it.
// Each app is an azd service (azure.yaml): `azd deploy` builds the image and rolls it out.
param namePrefix string
param location string
param tags object
param logAnalyticsName string
param identityId string
param identityClientId string
param appInsightsConnectionString string
@description('Container registry server the apps pull from with the identity (AcrPull).')
param registryServer string
@description('Image per stream, e.g. {"ingest.request": "<registry>/studyaid/ingest:azd-123"}; an empty or missing one runs a placeholder until `azd deploy` sets it.')
param images object = {}
param redisHost string
param keyVaultUri string
param appSettings array
param secretSettings array
param streamPrefix string = ''
@description('The consumer group the code reads with (shared/workers.py GROUP).')
param streams array = [
  'ingest.request'
  'ai.request'
  'media.request'
]
@description('Floor and ceiling of replicas per stream, e.g. {"media.request": {"min": 0, "max": 30}}; streams not named use defaultScale.')
param scale object = {}
param defaultScale object = {
  min: 0
  max: 10
}
@description('Undelivered entries per replica before KEDA adds one.')
param lagPerReplica int = 5
@description('Entries in progress per replica (the drain runs DRAIN_CONCURRENCY at once).')
param pendingPerReplica int = 2

// Shown until azd deploys the stage image over it (the first `azd up` provisions before it builds).
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart:latest'

// Each stream's consumer group, as the specification names them (shared/registry.py GROUPS).
var consumerGroups = {
  'ingest.request': 'ingestion:group'
  'ai.request': 'ai:group'
  'media.request': 'media:group'
  'notify.request': 'notify:group'
  'canvas.sync': 'canvas:group'
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

// Secrets are Key Vault references resolved by the platform with the app's identity.
var keyVaultSecrets = [for setting in secretSettings: {
  name: setting.secret
  keyVaultUrl: '${keyVaultUri}secrets/${setting.secret}'
  identity: identityId
}]
var secretEnv = [for setting in secretSettings: {
  name: setting.name
  secretRef: setting.secret
}]
var scalerSecret = [
  {
    name: 'redis-password'
    keyVaultUrl: '${keyVaultUri}secrets/redis-password'
    identity: identityId
  }
]
// What every process needs beside the code's settings: which identity to use, where telemetry goes.
var platformEnv = [
  {
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
  }
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'ClientId=${identityClientId};Authorization=AAD'
  }
]
var scalerAuth = [
  {
    secretRef: 'redis-password'
    triggerParameter: 'password'
  }
]

resource workers 'Microsoft.App/containerApps@2024-03-01' = [for stream in streams: {
  // Container App names: lower-case letters, digits and dashes, at most 32 characters.
  name: '${namePrefix}-${replace(replace(stream, '.request', ''), '.', '-')}'
  location: location
  tags: union(tags, {
    'azd-service-name': split(stream, '.')[0]
  })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      secrets: concat(keyVaultSecrets, scalerSecret)
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: empty(images[?stream] ?? '') ? placeholderImage : images[stream]
          env: concat(appSettings, secretEnv, platformEnv, [
            {
              name: 'WORKER_STREAM'
              value: stream
            }
          ])
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
        }
      ]
      scale: {
        minReplicas: (scale[?stream] ?? defaultScale).min
        maxReplicas: (scale[?stream] ?? defaultScale).max
        rules: [
          {
            name: 'redis-stream-lag'
            custom: {
              type: 'redis-streams'
              metadata: {
                address: '${redisHost}:10000'
                stream: '${streamPrefix}${stream}'
                consumerGroup: consumerGroups[stream]
                lagCount: string(lagPerReplica)
                activationLagCount: '0'
                enableTLS: 'true'
              }
              auth: scalerAuth
            }
          }
          {
            name: 'redis-stream-pending'
            custom: {
              type: 'redis-streams'
              metadata: {
                address: '${redisHost}:10000'
                stream: '${streamPrefix}${stream}'
                consumerGroup: consumerGroups[stream]
                pendingEntriesCount: string(pendingPerReplica)
                enableTLS: 'true'
              }
              auth: scalerAuth
            }
          }
        ]
      }
    }
  }
}]

output environmentName string = environment.name
output appNames array = [for (stream, i) in streams: workers[i].name]
