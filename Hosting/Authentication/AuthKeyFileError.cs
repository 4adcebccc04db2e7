namespace Replicator.Hosting.Authentication;

/// <summary>Why a key file was refused (<see cref="AuthKeyFileFormat"/>).</summary>
public enum AuthKeyFileError
{
    None,

    /// <summary>No key line at all.</summary>
    NoKeys,

    /// <summary>A line with fewer than two or more than three fields.</summary>
    MalformedLine,

    /// <summary>The key id is not a decimal number 0..4294967295.</summary>
    InvalidKeyId,

    /// <summary>The same key id on two lines.</summary>
    DuplicateKeyId,

    /// <summary>The key does not start with <c>hex:</c> or <c>base64:</c>.</summary>
    UnknownEncoding,

    /// <summary>The key's hex or base64 text does not decode.</summary>
    InvalidEncoding,

    /// <summary>The decoded key is shorter than <see cref="AuthKeyRing.MinimumKeyBytes"/>.</summary>
    KeyTooShort,

    /// <summary>The decoded key is longer than <see cref="AuthKeyRing.MaximumKeyBytes"/>.</summary>
    KeyTooLong,

    /// <summary>A third field other than <c>primary</c>.</summary>
    UnknownOption,

    /// <summary>Several keys and none marked <c>primary</c>.</summary>
    NoPrimary,

    /// <summary>More than one key marked <c>primary</c>.</summary>
    SeveralPrimaries,
}
