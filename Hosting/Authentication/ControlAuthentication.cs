using Microsoft.Extensions.Logging;

namespace Replicator.Hosting.Authentication;

/// <summary>
/// A daemon's control-plane authentication: off without a key file (allowed only with
/// <c>AllowUnauthenticated</c>, see <see cref="AuthKeyFileStartupCheck"/>); otherwise it verifies
/// incoming datagrams (<see cref="ControlMessageVerifier"/>: unsigned, unknown key, bad signature,
/// stale, replayed) and signs outgoing ones with the primary key. A key file together with
/// <c>AllowUnauthenticated</c> is the roll-out transition (<see cref="ControlAuthenticationState.Transitional"/>):
/// unsigned datagrams pass too, while signed ones are still checked in full. <see cref="Reload"/>
/// swaps in the file's current keys and keeps the old ones when the file turned bad. Thread-safe.
/// </summary>
public sealed class ControlAuthentication
{
    private readonly string? _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControlMessageVerifier? _verifier;
    private readonly bool _acceptUnsigned;
    private readonly Lock _reloadGate = new();
    private DateTime _loadedModified;

    /// <exception cref="InvalidOperationException">The key file cannot be read or parsed (the message names path and line, never a key).</exception>
    public ControlAuthentication(ControlAuthenticationSettings settings, TimeProvider time, ILogger<ControlAuthentication> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _path = string.IsNullOrEmpty(settings.KeyFile) ? null : settings.KeyFile;
        _acceptUnsigned = settings.AllowUnauthenticated;
        if (_path is null)
        {
            // Every start says so: running open is the operator's explicit, visible choice.
            ControlAuthenticationLog.AuthenticationOff(_logger, settings.AllowUnauthenticatedOptionName, settings.KeyFileOptionName);
            return;
        }
        if (!AuthKeyFileReader.TryRead(_path, out AuthKeyRing? ring, out string problem, out _loadedModified))
            throw new InvalidOperationException($"{settings.KeyFileOptionName}: {problem}");
        _verifier = new ControlMessageVerifier(ring!, new ReplayGuard(time, settings.MaxClockSkew, settings.ReplayCacheSize));
        Loaded(ring!);
        if (_acceptUnsigned) ControlAuthenticationLog.Transitional(_logger, settings.AllowUnauthenticatedOptionName);
    }

    /// <summary>
    /// Whether a key file is in force: outgoing datagrams are signed and signed incoming ones
    /// verified. Not the same as "every accepted datagram was signed": in the
    /// <see cref="ControlAuthenticationState.Transitional"/> state an unsigned one passes
    /// <see cref="Verify"/> too; whether an accepted datagram was signed is whether it carries a
    /// trailer (its decoded <c>Authentication</c>) while this is true.
    /// </summary>
    public bool Enabled => _verifier is not null;

    /// <summary>Off, on, or transitional (keys and <c>AllowUnauthenticated</c>), for status.</summary>
    public ControlAuthenticationState State =>
        _verifier is null ? ControlAuthenticationState.Off
        : _acceptUnsigned ? ControlAuthenticationState.Transitional
        : ControlAuthenticationState.On;

    /// <summary>The keys in force (ids only in its ToString); null when off.</summary>
    public AuthKeyRing? Keys => _verifier?.Keys;

    /// <summary>
    /// <see cref="ControlVerification.Ok"/> when off; otherwise the verifier's verdict, except that
    /// an unsigned datagram is Ok in the transitional state. No allocation.
    /// </summary>
    public ControlVerification Verify(ReadOnlySpan<byte> datagram) => Verify(datagram, out _);

    /// <summary>
    /// <see cref="Verify(ReadOnlySpan{byte})"/>, telling whether the datagram carried a signature that
    /// verified (<paramref name="signed"/>): false when off, and false for an unsigned datagram the
    /// transitional state lets through, which must get no more trust than with authentication off.
    /// </summary>
    public ControlVerification Verify(ReadOnlySpan<byte> datagram, out bool signed)
    {
        signed = false;
        if (_verifier is null) return ControlVerification.Ok;
        ControlVerification verdict = _verifier.Verify(datagram);
        signed = verdict == ControlVerification.Ok;
        return verdict == ControlVerification.Unsigned && _acceptUnsigned ? ControlVerification.Ok : verdict;
    }

    /// <summary>Signs datagrams encoded with <c>reserveAuthenticationTrailer: Enabled</c>; does nothing when off.</summary>
    public void Sign(IEnumerable<byte[]> datagrams)
    {
        if (_verifier is null) return;
        _verifier.Keys.SignAll(datagrams, _time);
    }

    /// <summary>Re-reads the key file when its modification time changed (or <paramref name="force"/>); keeps the current keys when it is bad.</summary>
    public void Reload(bool force = false)
    {
        if (_verifier is null || _path is null) return;
        lock (_reloadGate)
        {
            DateTime modified;
            try
            {
                modified = File.GetLastWriteTimeUtc(_path);
            }
            catch (IOException)
            {
                return;
            }
            if (!force && modified == _loadedModified) return;
            bool ok = AuthKeyFileReader.TryRead(_path, out AuthKeyRing? ring, out string problem, out modified);
            _loadedModified = modified;
            if (!ok)
            {
                ControlAuthenticationLog.KeysReloadFailed(_logger, problem);
                return;
            }
            _verifier.Keys = ring!;
            Loaded(ring!);
        }
    }

    private void Loaded(AuthKeyRing ring)
    {
        ControlAuthenticationLog.KeysLoaded(_logger, ring.Count, string.Join(',', ring.KeyIds), _path!, ring.PrimaryKeyId);
        if (AuthKeyFileReader.IsTooOpen(_path!, out UnixFileMode mode))
            ControlAuthenticationLog.KeyFileTooOpen(_logger, _path!, Convert.ToString((int)mode, 8));
    }
}
