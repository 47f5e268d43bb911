// MeterToCash on Azure: a Flex Consumption Function App whose every connection is identity-based (no keys in
// settings), its storage (host + task hub + the app's tables, blobs and queues), Event Hubs for meter-reading
// streams, and Application Insights. Deployed by `azd up` (see azure.yaml); the app is built with
// EnableEventHubsTrigger=true so the Event Hub-triggered function is compiled in.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('azd environment name; prefixes resource names.')
param environmentName string

@description('Region of every resource.')
param location string = resourceGroup().location

@description('Partitions of the meter-readings hub: partition key = meter number, so readings of a meter stay ordered.')
@minValue(2)
@maxValue(32)
param meterReadingPartitions int = 32

@description('Largest number of instances Flex Consumption may scale out to.')
param maximumInstanceCount int = 100

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, app: 'metertocash' }
var deploymentContainer = 'app-package'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-m2c-${token}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stm2c${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      // Raw meter payloads are the source of truth for re-processing: keep deleted or overwritten blobs recoverable.
      deleteRetentionPolicy: { enabled: true, days: 30 }
      isVersioningEnabled: true
    }

    resource package 'containers' = {
      name: deploymentContainer
    }
  }
}

// Data-plane roles for the app's identity: blobs (packages, imports, raw readings), queues (durable task hub,
// notifications) and tables (archive, meter data, durable history).
var storageRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource eventHubs 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: 'evhns-m2c-${token}'
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: 2 }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    isAutoInflateEnabled: true
    maximumThroughputUnits: 20
  }

  resource meterReadings 'eventhubs' = {
    name: 'meter-readings'
    properties: {
      partitionCount: meterReadingPartitions
      messageRetentionInDays: 7
    }

    resource consumer 'consumergroups' = {
      name: 'metertocash'
    }
  }
}

resource eventHubsReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(eventHubs.id, identity.id, 'receiver')
  scope: eventHubs
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde') // Azure Event Hubs Data Receiver
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-m2c-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-m2c-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, 'metrics')
  scope: insights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb') // Monitoring Metrics Publisher
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-m2c-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-m2c-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Functions host and durable task hub storage, identity-based.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'DurableTaskHubName', value: 'MeterToCash' }
        // The app's own data (same account; a separate connection name so it can move to its own account).
        { name: 'MeterToCashStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'MeterToCashStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'MeterToCashStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'MeterToCashStorage__clientId', value: identity.properties.clientId }
        // Meter-reading stream.
        { name: 'EventHubConnection__fullyQualifiedNamespace', value: '${eventHubs.name}.servicebus.windows.net' }
        { name: 'EventHubConnection__credential', value: 'managedidentity' }
        { name: 'EventHubConnection__clientId', value: identity.properties.clientId }
        { name: 'Ingestion__EventHubName', value: eventHubs::meterReadings.name }
        { name: 'Ingestion__EventHubConsumerGroup', value: eventHubs::meterReadings::consumer.name }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        // Archive bulk import and housekeeping.
        { name: 'Archive__ImportBatchSize', value: '2000' }
        { name: 'Archive__BatchesPerSubOrchestration', value: '8' }
        { name: 'Archive__MaxImportBytes', value: '52428800' }
        { name: 'Archive__ImportRetentionDays', value: '30' }
        { name: 'Archive__PurgeSchedule', value: '0 30 19 * * *' } // 03:30 China time, in UTC
        // Interval-curve retention: day tables older than this are dropped.
        { name: 'Ingestion__CurveRetentionDays', value: '1100' }
        { name: 'Ingestion__CurveRetentionSchedule', value: '0 45 19 * * *' } // 03:45 China time, in UTC
        // Online monitoring: the silence sweep over every transformer area.
        { name: 'Monitoring__SweepSchedule', value: '0 */5 * * * *' }
        { name: 'Monitoring__Silence', value: '01:00:00' }
        { name: 'Monitoring__NoReadAfter', value: '2.00:00:00' }
        { name: 'Monitoring__OutboxSchedule', value: '0 */5 * * * *' }
        // Load monitoring (heavy load / overload on the monitoring sweep) and nightly line loss (台区线损) after the VEE.
        { name: 'Load__PowerFactor', value: '0.9' }
        { name: 'Load__HeavyShare', value: '0.80' }
        { name: 'Load__OverloadShare', value: '1.00' }
        { name: 'Load__HeavyIntervals', value: '4' }
        { name: 'Load__LineLossNormalMax', value: '0.10' }
        { name: 'Load__LineLossCompleteness', value: '0.95' }
        { name: 'Load__LineLossPersistDays', value: '3' }
        { name: 'Load__LineLossSchedule', value: '0 30 18 * * *' } // 02:30 China time, in UTC
        // Nightly VEE (estimation, consumption alarms) of the previous China-local day.
        { name: 'Vee__DailySchedule', value: '0 30 17 * * *' } // 01:30 China time, in UTC
        // Billing cycles: the daily start of every group whose cycle day it is, due days, review window.
        { name: 'Billing__CycleSchedule', value: '0 0 18 * * *' } // 02:00 China time, in UTC
        { name: 'Billing__DueDays', value: '15' }
        { name: 'Billing__ReviewHours', value: '72' }
        // Late fees (违约金) on overdue bills, daily; the bill-ready notification outbox drain.
        { name: 'Billing__LateFeeSchedule', value: '0 30 18 * * *' } // 02:30 China time, in UTC
        { name: 'Billing__OutboxSchedule', value: '0 */5 * * * *' }
        { name: 'Billing__OutboxGrace', value: '00:01:00' }
        // Day-ahead load forecast of every area, nightly after VEE; areas map to weather stations.
        { name: 'Forecast__Schedule', value: '0 15 18 * * *' } // 02:15 China time, in UTC
        { name: 'Forecast__DefaultStation', value: '' }
        { name: 'Forecast__Stations', value: '' }
        // Bulk meter-reading files (upload and the meter-drop container).
        { name: 'ReadingFiles__MaxFileBytes', value: '67108864' }
        { name: 'ReadingFiles__BatchValues', value: '5000' }
        { name: 'ReadingFiles__BatchesPerSubOrchestration', value: '8' }
        { name: 'ReadingFiles__DropScanSchedule', value: '0 * * * * *' }
      ]
    }
  }
  dependsOn: [storageRoleAssignments, eventHubsReceiver, metricsPublisher]
}

output AZURE_FUNCTION_APP_NAME string = functionApp.name
output AZURE_FUNCTION_URL string = 'https://${functionApp.properties.defaultHostName}'
output AZURE_STORAGE_ACCOUNT string = storage.name
output AZURE_EVENTHUBS_NAMESPACE string = eventHubs.name
