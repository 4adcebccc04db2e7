using System.CommandLine;
using Replicator.Hosting.Management.Cli;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// <c>vxsnd keygen [FILE]</c> / <c>vxrd keygen [FILE]</c>: writes a new key file (one random
/// 32-byte key, primary, mode 0600) for <c>Authentication:KeyFile</c>; the same file then goes to every node.
/// Needs no running daemon and no configuration.
/// </summary>
public static class KeygenCommand
{
    public static Command Create(string toolName, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        time ??= TimeProvider.System;
        var file = new Argument<string>("FILE")
        {
            Description = "Key file to create; its directory must exist",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => AuthKeyFileWriter.DefaultPath,
        };
        var force = new Option<bool>("--force") { Description = "Replace an existing file (every node using the old key must get the new file)" };
        var id = new Option<uint>("--id")
        {
            Description = "Key id; give a new one when the key is to be added to an existing file for rotation",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("keygen", "Write a new key file for Authentication:KeyFile: one random 32-byte key, primary, mode 0600") { file, force, id };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            uint keyId = parse.GetValue(id);
            string text = AuthKeyFileWriter.NewKeyFileText(keyId, toolName, time.GetUtcNow());
            if (!AuthKeyFileWriter.TryWrite(path, text, parse.GetValue(force), out string problem)) throw new CliUsageException(problem);
            parse.InvocationConfiguration.Output.WriteLine(
                $"wrote {Path.GetFullPath(path)} (mode 0600): key id {keyId}, primary. Copy it to every vxsnd and vxrd and set Authentication:KeyFile to it");
            return 0;
        });
        return command;
    }
}
