#!/bin/sh
# azd hook (prepackage, predeploy): refuse to package or deploy a build without the Event Hub-triggered function.
# MSBuild reads the environment variable EnableEventHubsTrigger as a property (Directory.Build.props).
if [ "$EnableEventHubsTrigger" != "true" ]; then
  echo "Set EnableEventHubsTrigger=true so the Event Hub-triggered ingestion function is deployed:" >&2
  echo "  EnableEventHubsTrigger=true azd up" >&2
  exit 1
fi
