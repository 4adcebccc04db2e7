namespace Replicator.Hosting.Authentication;

/// <summary>
/// A refused key file: the error, the 1-based line (0 when it concerns the whole file) and a
/// sentence for the operator. The sentence never quotes the line: it may hold a key.
/// </summary>
public readonly record struct AuthKeyFileProblem(AuthKeyFileError Error, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}
