namespace Replicator.ServiceNode.Registry;

/// <summary>Outcome of a registry change: success, or the typed reason with an operator-readable sentence.</summary>
internal readonly record struct RegistryResult(RegistryError Error, string? Message = null)
{
    public static RegistryResult Ok => default;

    public bool Succeeded => Error == RegistryError.None;

    public static RegistryResult Fail(RegistryError error, string message) => new(error, message);
}
