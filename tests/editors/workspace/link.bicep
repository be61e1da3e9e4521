// A shared private link from Web PubSub to a Key Vault: the group ID is wrong, and nothing
// approves the connection on the vault.
param keyVaultName string = 'kv-contoso-bicep'
param serviceName string = 'wps-contoso-bicep'

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    publicNetworkAccess: 'Disabled'
  }
}

resource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: serviceName
  location: resourceGroup().location
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
    properties: { requestMessage: 'Zugriff für Zertifikate 🔑', groupId: 'vaults', privateLinkResourceId: kv.id }
  }
}
