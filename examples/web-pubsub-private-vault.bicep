// A Web PubSub service that fetches its custom certificate from a private Key Vault: the
// shared private link reaches the vault, and the template approves the connection the link
// creates on it. wps-lint finds nothing here.
param location string = resourceGroup().location
param keyVaultName string = 'kv-contoso-bicep'
param serviceName string = 'wps-contoso-bicep'
param connectionName string

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'None'
    }
  }
}

resource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: serviceName
  location: location
  sku: {
    name: 'Premium_P1'
    tier: 'Premium'
    capacity: 1
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {}

  resource link 'sharedPrivateLinkResources' = {
    name: 'kv-link'
    properties: {
      groupId: 'vault'
      privateLinkResourceId: kv.id
      requestMessage: 'Web PubSub custom certificate access'
    }
  }
}

resource approval 'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01' = {
  parent: kv
  name: connectionName
  properties: {
    privateLinkServiceConnectionState: {
      status: 'Approved'
      description: 'Approved for Web PubSub'
    }
  }
  dependsOn: [
    wps::link
  ]
}
