# azd hook (prepackage, predeploy): refuse to package or deploy a build without the Event Hub-triggered function.
# MSBuild reads the environment variable EnableEventHubsTrigger as a property (Directory.Build.props).
if ($env:EnableEventHubsTrigger -ne 'true') {
    [Console]::Error.WriteLine('Set EnableEventHubsTrigger=true so the Event Hub-triggered ingestion function is deployed:')
    [Console]::Error.WriteLine('  $env:EnableEventHubsTrigger = "true"; azd up')
    exit 1
}
