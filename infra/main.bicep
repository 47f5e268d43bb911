// MeterToCash on Azure: a Flex Consumption Function App whose every connection is identity-based (no keys in
// settings), two storage accounts, Event Hubs for meter-reading streams, and Application Insights (Entra ID auth).
// Deployed by `azd up` (see azure.yaml); the app is built with EnableEventHubsTrigger=true so the Event Hub-triggered
// function is compiled in.
//
// Storage is split by what it holds:
// - the host account: Functions host, Durable task hub, Event Hubs checkpoints and the deployment package. These blobs
//   are rewritten constantly (leases, checkpoints), so no versioning and no soft delete, as Microsoft's checkpoint-store
//   guidance asks;
// - the app-data account: the app's tables, queues and blobs (raw meter payloads, imports, quarantine). Raw payloads are
//   the source of truth for re-processing, so blobs are versioned and soft-deleted, and a lifecycle rule deletes
//   previous versions after `appDataVersionRetentionDays` so they do not pile up.
//
// Endpoints (storage, Event Hubs) are read from the resources' own properties, never built from public-cloud suffixes,
// so the template works unchanged in sovereign clouds.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('azd environment name; prefixes resource names.')
param environmentName string

// Regions that offer Flex Consumption (`az functionapp list-flexconsumption-locations --query "[].name" -o tsv`),
// so a deployment cannot fail late on the plan. Refresh the list when Microsoft adds regions.
@description('Region of every resource: one that offers the Flex Consumption plan.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'japanwest'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'switzerlandnorth'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
param location string

// LRS by default, as the Flex Consumption quickstarts: ZRS fails in regions without availability zones.
@description('Redundancy of both storage accounts.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days a previous version of an app-data blob (e.g. an overwritten raw payload) is kept before the lifecycle rule deletes it.')
@minValue(1)
@maxValue(3650)
param appDataVersionRetentionDays int = 90

@description('Days a deleted app-data blob stays recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param appDataSoftDeleteDays int = 30

@description('Object id of the deploying user (azd fills it from the signed-in account).')
param principalId string = ''

@description('Give `principalId` data roles on Event Hubs (send, receive) and the app-data account, so the simulator and tools work with local auth disabled. Turn off for production environments.')
param deployerDataAccess bool = true

@description('Kind of principal `principalId` is: a user at a desk, or a CI service principal.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Partitions of the meter-readings hub: partition key = meter number, so readings of a meter stay ordered.')
@minValue(2)
@maxValue(32)
param meterReadingPartitions int = 32

@description('Largest number of instances Flex Consumption may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Bank and counter payment channels (contract: ../shared/contracts/payment-channels.md). Each secret is a Key Vault secret named channel-{id}, set by an operator (az keyvault secret set --vault-name <vault> --name channel-BANK-ICBC --value <base64 of 32+ random bytes>); the app reads it through a Key Vault reference, never from this file.')
param paymentChannels array = [
  { id: 'BANK-ICBC', kind: 'Bank', enabled: true }
  { id: 'BANK-CCB', kind: 'Bank', enabled: true }
  { id: 'COUNTER-HQ', kind: 'Counter', enabled: true }
]

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, app: 'metertocash' }
var deploymentContainer = 'app-package'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-m2c-${token}'
  location: location
  tags: tags
}

// Channel secrets: RBAC-authorised, read by the app's identity through Key Vault references.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-m2c-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

// Key Vault Secrets User: read secret values (the Key Vault references of the channel settings).
resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
  }
}

// Channels__{id}__Kind|Enabled|Secret for every payment channel; the secret as a Key Vault reference.
var channelSettings = flatten(map(paymentChannels, c => [
  { name: 'Channels__${c.id}__Kind', value: c.kind }
  { name: 'Channels__${c.id}__Enabled', value: string(c.enabled) }
  { name: 'Channels__${c.id}__Secret', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=channel-${c.id})' }
]))

// Host account: Functions host, Durable task hub (queues, tables, lease blobs), Event Hubs checkpoints, deployment
// package. No versioning, no soft delete: checkpoint and lease blobs are rewritten all the time.
resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stm2chost${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: storageSku }
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
      isVersioningEnabled: false
      deleteRetentionPolicy: { enabled: false }
    }

    resource package 'containers' = {
      name: deploymentContainer
    }
  }
}

// App-data account: the app's tables (archive, curves, registers, alarms, bills, ledger), queues (notifications) and
// blobs (raw meter payloads, imports, quarantine). Raw payloads are the source of truth for re-processing: deleted or
// overwritten blobs stay recoverable, and the lifecycle rule below bounds how long.
resource dataStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stm2c${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: storageSku }
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
      isVersioningEnabled: true
      deleteRetentionPolicy: { enabled: true, days: appDataSoftDeleteDays }
      containerDeleteRetentionPolicy: { enabled: true, days: appDataSoftDeleteDays }
    }
  }

  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'delete-old-versions'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: { blobTypes: [ 'blockBlob' ] }
              actions: {
                version: { delete: { daysAfterCreationGreaterThan: appDataVersionRetentionDays } }
              }
            }
          }
        ]
      }
    }
    dependsOn: [dataStorage::blobService] // versioning must be on before a version rule is accepted
  }
}

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

// serviceBusEndpoint is `https://{namespace}.servicebus.{cloud suffix}:443/`; the trigger wants the host name alone.
var eventHubsHostName = split(split(split(eventHubs.properties.serviceBusEndpoint, '//')[1], '/')[0], ':')[0]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-m2c-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

// Local (instrumentation-key) auth is off: the app sends with its identity (Monitoring Metrics Publisher), as
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING tells the host and the worker's Azure Monitor exporter.
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

// Every data-plane role (the app's identity; the deployer's with deployerDataAccess and a principalId), named so that
// a recreated identity gets new assignments: see app/rbac.bicep.
module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  params: {
    hostStorageName: hostStorage.name
    dataStorageName: dataStorage.name
    eventHubsName: eventHubs.name
    insightsName: insights.name
    appPrincipalId: identity.properties.principalId
    deployerPrincipalId: deployerDataAccess ? principalId : ''
    deployerPrincipalType: principalType
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
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Every setting the app reads is here or listed as optional (code default) in docs/operations.md;
      // tests/MeterToCash.Functions.Tests/Infra/AppSettingsTests.cs fails the build when one is missing.
      appSettings: concat([
        // Functions host, Durable task hub and Event Hubs checkpoints: the host account, identity-based, by service URI.
        { name: 'AzureWebJobsStorage__blobServiceUri', value: hostStorage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: hostStorage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: hostStorage.properties.primaryEndpoints.table }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'DurableTaskHubName', value: 'MeterToCash' }
        // The app's own data: the app-data account.
        { name: 'MeterToCashStorage__tableServiceUri', value: dataStorage.properties.primaryEndpoints.table }
        { name: 'MeterToCashStorage__blobServiceUri', value: dataStorage.properties.primaryEndpoints.blob }
        { name: 'MeterToCashStorage__queueServiceUri', value: dataStorage.properties.primaryEndpoints.queue }
        { name: 'MeterToCashStorage__clientId', value: identity.properties.clientId }
        // Meter-reading stream.
        { name: 'EventHubConnection__fullyQualifiedNamespace', value: eventHubsHostName }
        { name: 'EventHubConnection__credential', value: 'managedidentity' }
        { name: 'EventHubConnection__clientId', value: identity.properties.clientId }
        { name: 'Ingestion__EventHubName', value: eventHubs::meterReadings.name }
        { name: 'Ingestion__EventHubConsumerGroup', value: eventHubs::meterReadings::consumer.name }
        // Telemetry: host and worker (OpenTelemetry, Azure Monitor exporter) send with the identity (Entra ID auth).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        // Archive bulk import and housekeeping.
        { name: 'Archive__ImportBatchSize', value: '2000' }
        { name: 'Archive__BatchesPerSubOrchestration', value: '8' }
        { name: 'Archive__MaxImportBytes', value: '52428800' }
        { name: 'Archive__ImportRetentionDays', value: '30' }
        { name: 'Archive__PurgeSchedule', value: '0 30 19 * * *' } // 03:30 China time, in UTC
        // Push body limit (413 above).
        { name: 'Ingestion__MaxPushBytes', value: '4194304' }
        // Interval-curve retention: day tables older than this are dropped.
        { name: 'Ingestion__CurveRetentionDays', value: '1100' }
        { name: 'Ingestion__CurveRetentionSchedule', value: '0 45 19 * * *' } // 03:45 China time, in UTC
        // Online monitoring: the silence sweep over every transformer area.
        { name: 'Monitoring__SweepSchedule', value: '0 */5 * * * *' }
        { name: 'Monitoring__Silence', value: '01:00:00' }
        { name: 'Monitoring__NoReadAfter', value: '2.00:00:00' }
        { name: 'Monitoring__SweepAreasPerBatch', value: '50' }
        { name: 'Monitoring__OutboxSchedule', value: '0 */5 * * * *' }
        { name: 'Monitoring__OutboxGrace', value: '00:01:00' }
        // Consumers (dispatch, SMS) read alarm notifications from this queue of the app-data account.
        { name: 'Monitoring__NotificationQueue', value: 'alarm-notifications' }
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
        { name: 'Vee__AreasPerBatch', value: '20' }
        // Billing cycles: the daily start of every group whose cycle day it is, due days, review window.
        { name: 'Billing__CycleSchedule', value: '0 0 18 * * *' } // 02:00 China time, in UTC
        { name: 'Billing__DueDays', value: '15' }
        { name: 'Billing__ReviewHours', value: '72' }
        { name: 'Billing__AccountsPerBatch', value: '100' }
        { name: 'Billing__MaxBatchesPerCycle', value: '100' }
        { name: 'Billing__BatchesPerSubOrchestration', value: '10' }
        // Late fees (违约金) on overdue bills, daily; the bill-ready notification outbox drain.
        { name: 'Billing__LateFeeSchedule', value: '0 30 18 * * *' } // 02:30 China time, in UTC
        { name: 'Billing__OutboxSchedule', value: '0 */5 * * * *' }
        { name: 'Billing__OutboxGrace', value: '00:01:00' }
        // Day-ahead load forecast of every area, nightly after VEE; areas map to weather stations.
        { name: 'Forecast__Schedule', value: '0 15 18 * * *' } // 02:15 China time, in UTC
        { name: 'Forecast__DefaultStation', value: '' }
        { name: 'Forecast__Stations', value: '' }
        // Nightly customer classification (load shape, value, payment) after the forecast.
        { name: 'Segments__Schedule', value: '0 45 18 * * *' } // 02:45 China time, in UTC
        // Bulk meter-reading files (upload and the meter-drop container).
        { name: 'ReadingFiles__MaxFileBytes', value: '67108864' }
        { name: 'ReadingFiles__BatchValues', value: '5000' }
        { name: 'ReadingFiles__BatchesPerSubOrchestration', value: '8' }
        { name: 'ReadingFiles__DropScanSchedule', value: '0 * * * * *' }
        // Payment channels: the sweep finishing transactions a stopped request left pending, and nonces' purge.
        { name: 'Payments__PendingStaleSeconds', value: '60' }
        { name: 'Payments__SweepSchedule', value: '0 * * * * *' }
        // Bank reconciliation: file size limit (inclusive), decision deadline before the overdue alarm, the id-less
        // pairing tolerance, and the scan taking dropped files in and starting days whose file came before their close.
        { name: 'Reconciliation__MaxFileBytes', value: '67108864' }
        { name: 'Reconciliation__DecisionHours', value: '48' }
        { name: 'Reconciliation__TimeToleranceMinutes', value: '10' }
        { name: 'Reconciliation__ScanSchedule', value: '0 * * * * *' }
      ], channelSettings)
    }
  }
  dependsOn: [rbac, vaultSecretsUser] // the host reads its storage with the identity at start-up; channel secrets through Key Vault references
}

output AZURE_FUNCTION_APP_NAME string = functionApp.name
output AZURE_FUNCTION_URL string = 'https://${functionApp.properties.defaultHostName}'
output AZURE_STORAGE_ACCOUNT string = dataStorage.name
output AZURE_HOST_STORAGE_ACCOUNT string = hostStorage.name
output AZURE_EVENTHUBS_NAMESPACE string = eventHubs.name
// For the simulator and tools on the deployer's machine (with the roles above when principalId was set).
output EVENTHUBS_FULLY_QUALIFIED_NAMESPACE string = eventHubsHostName
output METERTOCASH_STORAGE_BLOB_ENDPOINT string = dataStorage.properties.primaryEndpoints.blob
output AZURE_KEY_VAULT_NAME string = vault.name
