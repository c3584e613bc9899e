namespace Webhooks.Core.Benchmarks;

/// <summary>A realistic HPE Compute Ops Management server event, about 1 KB of data.</summary>
internal static class ServerEvent
{
    public const string Json = """
        {
          "operation": "Updated",
          "new": {
            "id": "875765-S01+2M291401N4",
            "type": "compute-ops/server",
            "resourceUri": "/compute-ops-mgmt/v1beta2/servers/875765-S01+2M291401N4",
            "generation": 42,
            "createdAt": "2023-11-02T08:11:45.123Z",
            "updatedAt": "2024-03-01T10:00:00.987Z",
            "hardware": {
              "serialNumber": "2M291401N4",
              "model": "ProLiant DL360 Gen10 Plus",
              "uuid": "38373535-3636-4D32-3239-313430314E34",
              "productId": "875765-S01",
              "powerState": "ON",
              "indicatorLed": "OFF",
              "health": { "summary": "WARNING", "fans": "OK", "memory": "OK", "processor": "OK", "storage": "DEGRADED", "temperature": "OK" },
              "bmc": { "mac": "B4:7A:F1:4E:2A:10", "ip": "10.1.2.3", "hostname": "ilo-prod-web-01" }
            },
            "state": "DEGRADED",
            "subscription": { "managed": true, "connected": true, "subscriptionState": "SUBSCRIBED", "subscriptionTier": "ENHANCED" },
            "firmwareInventory": [ { "name": "iLO 5", "version": "2.81" }, { "name": "System ROM", "version": "U46 v2.80" } ],
            "name": "prod-web-01",
            "powerState": "ON",
            "host": { "osName": "VMware ESXi", "osVersion": "8.0.2", "hostname": "esx-prod-web-01.example.com" },
            "platformFamily": "PROLIANT",
            "processorVendor": "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz"
          },
          "changed": { "hardware": true, "state": false, "name": false }
        }
        """;
}
