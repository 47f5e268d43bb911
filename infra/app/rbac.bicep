// Data-plane role assignments of the app's identity and, optionally, of the deploying user.
//
// Assignment names are guid(scope, principal id, role). A module gets the principal ids as parameters, so they are known
// when the deployment starts (the main template cannot name an assignment after a property of a resource it creates).
// A recreated identity has a new principal id and so gets new assignment names; names derived from the identity's
// resource id would stay the same and the deployment would fail with RoleAssignmentUpdateNotPermitted, since an
// existing assignment's principal cannot change.

@description('Host account: Functions host, Durable task hub, Event Hubs checkpoints, deployment package.')
param hostStorageName string

@description('App-data account: the app\'s tables, queues and blobs.')
param dataStorageName string

param eventHubsName string

param insightsName string

@description('Principal id of the Function App\'s user-assigned identity.')
param appPrincipalId string

@description('Object id of the deploying user or CI principal; empty = no deployer roles.')
param deployerPrincipalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
])
param deployerPrincipalType string = 'User'

var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Host account: blobs (package, leases, checkpoints: the host needs Owner), queues and tables (task hub).
var hostStorageRoles = [roles.blobDataOwner, roles.queueDataContributor, roles.tableDataContributor]
// App-data account: read and write data; nobody needs to manage ACLs, so Contributor, not Owner.
var dataStorageRoles = [roles.blobDataContributor, roles.queueDataContributor, roles.tableDataContributor]
// The deployer sends (the simulator) and may read the stream back; the app only receives.
var deployerEventHubsRoles = [roles.eventHubsDataSender, roles.eventHubsDataReceiver]
var withDeployer = !empty(deployerPrincipalId)

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource dataStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageName
}

resource eventHubs 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource appHostStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in hostStorageRoles: {
  name: guid(hostStorage.id, appPrincipalId, role)
  scope: hostStorage
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource appDataStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in dataStorageRoles: {
  name: guid(dataStorage.id, appPrincipalId, role)
  scope: dataStorage
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource appEventHubsReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(eventHubs.id, appPrincipalId, roles.eventHubsDataReceiver)
  scope: eventHubs
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventHubsDataReceiver)
  }
}

// Application Insights with local auth disabled accepts telemetry only from principals with this role.
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource deployerDataStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in dataStorageRoles: if (withDeployer) {
  name: guid(dataStorage.id, deployerPrincipalId, role)
  scope: dataStorage
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource deployerEventHubs 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in deployerEventHubsRoles: if (withDeployer) {
  name: guid(eventHubs.id, deployerPrincipalId, role)
  scope: eventHubs
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]
