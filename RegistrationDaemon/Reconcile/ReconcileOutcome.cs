namespace Replicator.RegistrationDaemon.Reconcile;

/// <summary>What one device's reconciliation did.</summary>
internal readonly record struct ReconcileOutcome(bool Ok, int Added, int Deleted, int Failed, int DriftRepaired)
{
    public static readonly ReconcileOutcome DumpFailed = new(false, 0, 0, 0, 0);
}
