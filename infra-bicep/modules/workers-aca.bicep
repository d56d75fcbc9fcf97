// Optional: the stage workers as Azure Container Apps, for when one timer-driven drain per
// stream is not enough. Each stream gets one app running `studyaid worker <stream>` in the
// stream's consumer group, scaled by KEDA's Redis Streams scaler on the group's lag (entries
// not yet delivered), from zero to maxReplicas. Same settings and secrets as the function app.
param namePrefix string
param location string
param tags object
param logAnalyticsName string
param identityId string
param identityClientId string
@description('Worker image with the app installed (infra-bicep/workers/Dockerfile), e.g. <registry>/studyaid-worker:<tag>.')
param image string
@description('Container registry server, pulled with the identity (AcrPull); empty for a public image.')
param registryServer string = ''
param redisHost string
param keyVaultUri string
param appSettings array
param secretSettings array
param streamPrefix string = ''
param streams array = [
  'ingest.request'
  'ai.request'
  'media.request'
  'notify.request'
  'canvas.sync'
]
param minReplicas int = 0
param maxReplicas int = 10
@description('Undelivered entries per replica before KEDA adds one.')
param lagPerReplica int = 20

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
var identityEnv = [
  {
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
]
var registries = empty(registryServer) ? [] : [
  {
    server: registryServer
    identity: identityId
  }
]

resource workers 'Microsoft.App/containerApps@2024-03-01' = [for stream in streams: {
  // Container App names: lower-case letters, digits and dashes, at most 32 characters.
  name: '${namePrefix}-${replace(replace(stream, '.request', ''), '.', '-')}'
  location: location
  tags: tags
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
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          command: [
            'studyaid'
          ]
          args: [
            'worker'
            stream
          ]
          env: concat(appSettings, secretEnv, identityEnv)
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
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
              auth: [
                {
                  secretRef: 'redis-password'
                  triggerParameter: 'password'
                }
              ]
            }
          }
        ]
      }
    }
  }
}]

output environmentName string = environment.name
