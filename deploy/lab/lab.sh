#!/usr/bin/env bash
# The main job. Until the lab topology lands: build Release and show both daemons' help.
set -euo pipefail
cd "$(dirname "$0")/../.."
tests/prerequisites.sh
dotnet build Replicator.sln -c Release -nologo -clp:ErrorsOnly
dotnet ServiceNode/bin/Release/net10.0/vxsnd.dll --help
dotnet RegistrationDaemon/bin/Release/net10.0/vxrd.dll --help
