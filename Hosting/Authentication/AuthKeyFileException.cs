namespace Replicator.Hosting.Authentication;

/// <summary>Thrown by <see cref="AuthKeyFileFormat.Parse"/>; the message names the line, never its text.</summary>
public sealed class AuthKeyFileException(AuthKeyFileProblem problem) : FormatException(problem.ToString())
{
    public AuthKeyFileProblem Problem { get; } = problem;

    public AuthKeyFileError Error => Problem.Error;

    public int Line => Problem.Line;
}
